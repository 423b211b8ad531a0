# coding:utf-8
"""The serve tests' Flask app, in the seed chapter's app_factory shape: a page, a health path, and routes
that show what reached the worker (forwarded headers, which process and release answered), take a while, read a
body (/post) or answer a big one (/big?kb=N).
ONLY_HOST=NAME answers 400 to any other Host (as Django's ALLOWED_HOSTS does); UP_REDIRECTS=1 answers /up with a
301 to /up/."""
import os
import time

from flask import Flask, jsonify, redirect, request

RELEASE = os.path.basename(os.path.realpath(os.getcwd()))


def app_factory(name):
    app = Flask(name)
    only_host = os.environ.get("ONLY_HOST")
    up_redirects = os.environ.get("UP_REDIRECTS") == "1"

    @app.before_request
    def allowed_hosts():
        if only_host and request.host.split(":")[0] != only_host:
            return "Invalid HTTP_HOST header: %r\n" % request.host, 400
        if up_redirects and request.path == "/up":
            return redirect("/up/", code=301)

    @app.route("/up/")
    def up_slash():
        return "ok\n"

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

    @app.route("/post", methods=["POST"])
    def post():
        return jsonify(received=len(request.get_data()), pid=os.getpid())

    @app.route("/big")
    def big():
        return b"x" * (int(request.args.get("kb", "1024")) * 1024)

    return app
