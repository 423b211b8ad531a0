# coding:utf-8
# The seed chapter's wsgi.py; its app_factory lives in the myproject package instead of main.py.
from myproject import app_factory

app = app_factory(name="myproject")
