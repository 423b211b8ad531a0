# coding:utf-8
"""The serve tests' Flask app, in the seed chapter's app_factory shape: a page, a health path, and routes
that show what reached the worker (forwarded headers, which process and release answered) or take a while."""
import os
import time

from flask import Flask, jsonify, request

RELEASE = os.path.basename(os.path.realpath(os.getcwd()))


def app_factory(name):
    app = Flask(name)

    @app.route("/")
    def index():
        return "<!doctype html><title>%s</title><h1>Hello from %s</h1>\n" % (name, name)

    @app.route("/up")
    def up():
        return "ok\n"

    @app.route("/api/info")
    def info():
        return jsonify(release=RELEASE, worker=os.environ.get("HOIST_WORKER"), pid=os.getpid())

    @app.route("/headers")
    def headers():
        return jsonify(
            host=request.headers.get("Host"),
            x_forwarded_for=request.headers.get("X-Forwarded-For"),
            x_forwarded_proto=request.headers.get("X-Forwarded-Proto"),
            x_forwarded_host=request.headers.get("X-Forwarded-Host"),
        )

    @app.route("/slow")
    def slow():
        ms = int(request.args.get("ms", "1000"))
        time.sleep(ms / 1000.0)
        return jsonify(slept_ms=ms, pid=os.getpid())

    return app
