# coding:utf-8
"""The serve tests' app for requests that must not be carried out twice: http.server on $PORT whose POST handler
appends `path pid worker` to the file given as its second argument before it does what its first argument says.

  exit     HTTP/1.1 keep-alive; a POST is recorded, then the process exits (os._exit) without answering.
  close    HTTP/1.1 keep-alive; a POST is recorded, then its connection is closed unanswered (the process stays).
  lying10  HTTP/1.0 answers that say `Connection: keep-alive` and close anyway; a POST (with a body) is recorded
           and answered 200.

GET /up (its health path) and any other GET answer 200 with a Content-Length."""
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = sys.argv[1]
RECORD = sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0" if MODE == "lying10" else "HTTP/1.1"

    def do_GET(self):
        self.answer(b"ok\n")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        line = "%s %d %s\n" % (self.path, os.getpid(), os.environ.get("HOIST_WORKER"))
        # One write to an O_APPEND file: lines from threads and processes do not interleave.
        fd = os.open(RECORD, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
        os.close(fd)
        if MODE == "exit":
            os._exit(1)
        if MODE == "close":
            self.close_connection = True
            return
        self.answer(b"recorded\n")

    def answer(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        if MODE == "lying10":
            # Says keep-alive over HTTP/1.0 (send_header then keeps the connection open); closes it all the same.
            self.send_header("Connection", "keep-alive")
        self.end_headers()
        self.wfile.write(body)
        if MODE == "lying10":
            self.close_connection = True

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
