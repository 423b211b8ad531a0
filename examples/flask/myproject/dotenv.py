# coding:utf-8
"""Reads .env (Hoist's shared .env, linked into each release) into os.environ, without overriding it."""
import os


def load(path=".env"):
    """NAME=value lines; blank lines and # comments are skipped, one pair of surrounding quotes removed."""
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except FileNotFoundError:
        return
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(name.strip(), value)
