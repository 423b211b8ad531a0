# coding:utf-8
"""The bench's Flask app: the seed chapter's app_factory shape, one small page and a health path."""
import os
import time

from flask import Flask

BOOTED = time.strftime("%H:%M:%S")


def app_factory(name):
    app = Flask(name)

    @app.route("/")
    def index():
        return (
            "<!doctype html><html><head><title>%s</title></head><body>"
            "<h1>Hello from %s</h1><p>worker pid %d, booted %s</p></body></html>\n"
            % (name, name, os.getpid(), BOOTED)
        )

    @app.route("/up")
    def up():
        return "ok\n"

    return app
