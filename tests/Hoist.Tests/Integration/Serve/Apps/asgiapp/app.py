"""A small Starlette app for hoist serve's ASGI worker: an HTTP route naming its release, a health path, a WebSocket echo.

The echo answers "<release> <pid>: <text>", so a test knows which generation's worker holds its socket.
"""

import os

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute


def revision():
    try:
        with open("REVISION") as f:
            return f.read().strip()
    except OSError:
        return "unknown"


REVISION = revision()


async def home(request):
    return PlainTextResponse("%s %d\n" % (REVISION, os.getpid()))


async def up(request):
    return PlainTextResponse("ok\n")


async def echo(websocket):
    await websocket.accept()
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        await websocket.send_text("%s %d: %s" % (REVISION, os.getpid(), message.get("text") or ""))


app = Starlette(routes=[Route("/", home), Route("/up", up), WebSocketRoute("/echo", echo)])
