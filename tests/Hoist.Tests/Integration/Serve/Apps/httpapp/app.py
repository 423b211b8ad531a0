# coding:utf-8
"""The serve tests' plain command app: Python's http.server on $PORT, answering HTTP/1.0 (http.server's default:
`HTTP/1.0 200` with no Connection header, then it closes) or, given `1.1`, HTTP/1.1 with keep-alive. Given
`1.1-drop`, it keeps each connection open after its first answer but closes it, unanswered, when a second request
comes: the keep-alive race of an app whose keep-alive timeout ran out just as the request was sent, every time.

/up is its health path and /api/info says which release (its folder's name) and process answered. Two settings
make it the kind of app a health check meets in the wild: ONLY_HOST=NAME answers 400 to any other Host header (as
Django's ALLOWED_HOSTS does), and UP_REDIRECTS=1 answers /up with a 301 to /up/ (as an APPEND_SLASH app does).
LOUD_BYTES=N prints a line of N characters to stderr for every request (an app that logs a lot)."""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RELEASE = os.path.basename(os.path.realpath(os.getcwd()))
ONLY_HOST = os.environ.get("ONLY_HOST")
UP_REDIRECTS = os.environ.get("UP_REDIRECTS") == "1"
LOUD_BYTES = int(os.environ.get("LOUD_BYTES", "0"))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1" if sys.argv[1:] in (["1.1"], ["1.1-drop"]) else "HTTP/1.0"
    drops = sys.argv[1:] == ["1.1-drop"]
    answered = 0

    def do_GET(self):
        self.answered += 1
        if LOUD_BYTES:
            sys.stderr.write("%s %s\n" % (self.path, "x" * LOUD_BYTES))
            sys.stderr.flush()
        if self.drops and self.answered > 1:
            self.close_connection = True
            return
        host = (self.headers.get("Host") or "").split(":")[0]
        if ONLY_HOST and host != ONLY_HOST:
            self.answer(400, "text/plain", "Invalid HTTP_HOST header: %r\n" % host)
        elif self.path == "/up" and UP_REDIRECTS:
            self.answer(301, "text/plain", "moved\n", [("Location", "/up/")])
        elif self.path in ("/up", "/up/"):
            self.answer(200, "text/plain", "ok\n")
        elif self.path == "/api/info":
            body = json.dumps({"release": RELEASE, "worker": os.environ.get("HOIST_WORKER"), "pid": os.getpid()})
            self.answer(200, "application/json", body)
        else:
            self.answer(404, "text/plain", "not found\n")

    def answer(self, status, kind, text, headers=()):
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
