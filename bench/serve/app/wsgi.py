# coding:utf-8
from main import app_factory

app = app_factory(name="myproject")
