"""The app's views, in a blueprint as a larger Flask app has them."""

import os
import sys
import threading
import time

from flask import Blueprint, current_app, jsonify, request

from .store import connect

bp = Blueprint("notes", __name__)


@bp.get("/up")
def up():
    return "up\n"


@bp.post("/notes")
def add():
    db = connect()
    db.execute("INSERT INTO note (body) VALUES (?)", (request.get_data(as_text=True),))
    db.commit()
    return "", 201


@bp.get("/notes")
def notes():
    return jsonify([body for (body,) in connect().execute("SELECT body FROM note ORDER BY id")])


@bp.get("/about")
def about():
    return jsonify(
        mode=current_app.config["MODE"],
        instance=current_app.instance_path,
        pid=os.getpid(),
        prefix=sys.prefix,
        executable=sys.executable,
        multithread=request.environ.get("wsgi.multithread"),
    )


@bp.get("/slow")
def slow():
    time.sleep(int(request.args.get("ms", "500")) / 1000)
    return jsonify(pid=os.getpid(), thread=threading.get_ident())
