# coding:utf-8
"""The seed chapter's Flask app, deployable by Hoist: each visit to / is a row in PostgreSQL, and the page
shows the latest rows with the worker and release that wrote them, so a deploy or a reload shows from outside."""
import logging
import os

import psycopg2
from flask import Flask, render_template

from . import dotenv, visits
from .database_url import DatabaseUrlError, from_environment

STATIC_FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static")


def release_name():
    """HOIST_RELEASE, else the name of the folder the app runs in (links resolved: releases/<id> under `current`)."""
    return os.environ.get("HOIST_RELEASE") or os.path.basename(os.path.realpath(os.getcwd()))


def app_factory(name):
    dotenv.load()
    # The static folder is the release's static/, which nginx serves itself in production.
    app = Flask(name, static_folder=STATIC_FOLDER, static_url_path="/static")
    log = logging.getLogger(name)
    release = release_name()
    worker = os.environ.get("HOIST_WORKER", "-")
    try:
        database_url = from_environment("DATABASE_URL")
        configuration_error = None
    except DatabaseUrlError as error:
        database_url, configuration_error = None, str(error)
        log.error("%s: %s", name, configuration_error)

    def database_error(error):
        # libpq's message names the host and the role, never the password; scrub it anyway.
        message = database_url.scrub(" ".join(str(error).split()))  # one line: libpq's messages span several
        log.error("%s: database %s: %s", name, database_url, message)
        return message

    @app.route("/")
    def index():
        if configuration_error:
            return render_template("error.html", name=name, reason=configuration_error), 500
        try:
            rows = visits.record_and_list(database_url, worker, release, os.getpid())
        except psycopg2.Error as error:
            reason = "the database at %s did not answer: %s" % (database_url, database_error(error))
            return render_template("error.html", name=name, reason=reason), 503
        return render_template("index.html", name=name, release=release, worker=worker, pid=os.getpid(),
                               database=database_url, rows=rows)

    @app.route("/up")
    def up():
        # Healthy means able to serve /, so the database must answer; hoist serve keeps a worker that
        # cannot reach it out of rotation.
        if configuration_error:
            return "not ready: %s\n" % configuration_error, 503, {"Content-Type": "text/plain; charset=utf-8"}
        try:
            visits.ping(database_url)
        except psycopg2.Error as error:
            database_error(error)
            return "not ready: database unavailable\n", 503, {"Content-Type": "text/plain; charset=utf-8"}
        return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}

    return app
