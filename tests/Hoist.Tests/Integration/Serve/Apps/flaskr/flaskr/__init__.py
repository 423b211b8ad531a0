"""A small notes app laid out as Flask's documentation lays out a project: a package whose app factory builds the app,
an instance folder beside the package for its database and private settings, and its views in a blueprint. Hoist's
tests run it exactly so (module = flaskr:create_app()), with no wsgi.py added."""

import os

from flask import Flask


def create_app(mode="development"):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(MODE=mode, DATABASE=os.path.join(app.instance_path, "notes.sqlite"))
    # instance/settings.py, when the host has one: what a deployment keeps out of the repository.
    app.config.from_pyfile("settings.py", silent=True)
    os.makedirs(app.instance_path, exist_ok=True)
    if os.environ.get("NOTES_BROKEN"):
        raise RuntimeError("flaskr: NOTES_BROKEN is set, refusing to build the app")

    from . import notes, store

    store.init_app(app)
    app.register_blueprint(notes.bp)
    return app
