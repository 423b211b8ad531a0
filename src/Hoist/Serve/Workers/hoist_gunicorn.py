"""One hoist serve worker: a gunicorn sync worker that accepts straight from hoist serve's listening socket.

hoist serve owns the socket nginx talks to and hands it to each worker (inherited file descriptor), as systemd
socket activation does; the kernel's accept queue spreads connections over the workers, so no request takes an
extra hop through hoist serve. What hoist serve must still know comes through cheap side channels:

- ready: the worker loads the app, answers one request for the health path through gunicorn's own HTTP code (over a
  socket pair, before it accepts anything real), then prints a ready line with its token on stdout. A failing health
  check prints why and exits with HEALTH_FAILED, having served nothing.
- stats: a 16-byte file the worker maps: requests served and whether one is in progress, read by `--status`.
- max-requests: past its limit the worker prints a recycle line and keeps serving until hoist serve has started its
  successor and sends SIGTERM (gunicorn's graceful stop: the request in progress finishes).
- harakiri: a request running past the limit gets a 504 written to its client, and the worker exits with HARAKIRI.
- stopping: SIGTERM (a reload retiring this worker) finishes the request in progress and exits, leaving queued
  connections to the other workers; SIGUSR2 (hoist serve stopping, its socket already gone) also serves every
  connection still queued, then exits.

Settings come in HOIST_* environment variables, removed before the app is loaded.
"""

import errno
import mmap
import os
import signal
import socket
import struct
import sys
import threading

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.workers.sync import StopWaiting, SyncWorker

HEALTH_FAILED = 4
HARAKIRI = 5
STATS = struct.Struct("<QQ")


class App(BaseApplication):
    def __init__(self, target):
        self.target = target
        super().__init__()

    def load_config(self):
        self.cfg.set("loglevel", "warning")

    def load(self):
        return util.import_app(self.target)


class Stats:
    def __init__(self, path):
        with open(path, "r+b") as f:
            self.map = mmap.mmap(f.fileno(), STATS.size)

    def write(self, served, busy):
        STATS.pack_into(self.map, 0, served, busy)


class HoistWorker(SyncWorker):
    def setup(self, token, health, harakiri, recycle_after, stats):
        self.token = token
        self.health = health
        self.harakiri = harakiri
        self.recycle_after = recycle_after
        self.stats = stats
        self.served = 0
        self.client = None
        self.path = ""
        self.draining = False

    def init_signals(self):
        super().init_signals()
        signal.signal(signal.SIGALRM, self.on_harakiri)
        signal.signal(signal.SIGUSR2, self.on_drain)
        signal.siginterrupt(signal.SIGUSR2, False)

    def run(self):
        problem = self.check_health()
        if problem:
            say("::hoist-unready:: %s %s" % (self.token, problem))
            sys.exit(HEALTH_FAILED)
        say("::hoist-ready:: %s" % self.token)
        self.serve()

    def serve(self):
        """gunicorn's loop for one listener, which also ends when draining and nothing is left to accept."""
        listener = self.sockets[0]
        listener.setblocking(0)
        while self.alive:
            self.notify()
            try:
                self.accept(listener)
                continue
            except EnvironmentError as e:
                if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                    raise
            if self.draining or not self.is_parent_alive():
                return
            try:
                self.wait(self.timeout)
            except StopWaiting:
                return

    def on_drain(self, signum, frame):
        self.draining = True
        os.write(self.PIPE[1], b"1")

    def check_health(self):
        """None when the health path answers 2xx or 3xx (or none is set), else what it answered: ReadinessProbe's rule
        (a redirect is an answer from a loaded app and is not followed), asked with the Host the app allows."""
        if not self.health:
            return None
        ours, theirs = socket.socketpair()
        request = "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: hoist-serve-healthcheck\r\n\r\n" % (self.health, self.health_host)
        ours.sendall(request.encode("latin-1"))
        answer = bytearray()
        reader = threading.Thread(target=read_all, args=(ours, answer), daemon=True)
        reader.start()
        theirs.setblocking(True)
        SyncWorker.handle(self, self.sockets[0], theirs, "")
        reader.join(10)
        ours.close()
        status_line = bytes(answer).split(b"\r\n", 1)[0].decode("latin-1", "replace")
        parts = status_line.split(" ", 2)
        if len(parts) >= 2 and parts[1].isdigit() and 200 <= int(parts[1]) < 400:
            return None
        hint = " (asked with Host: %s; set healthcheck-host to a name the app allows)" % self.health_host if parts[1:2] == ["400"] else ""
        return "%s answered %s%s" % (self.health, " ".join(parts[1:]) or "nothing", hint)

    def handle(self, listener, client, addr):
        self.client = client
        self.stats.write(self.served, 1)
        if self.harakiri:
            signal.setitimer(signal.ITIMER_REAL, self.harakiri)
        try:
            super().handle(listener, client, addr)
        finally:
            if self.harakiri:
                signal.setitimer(signal.ITIMER_REAL, 0)
            self.client = None
            self.served += 1
            self.stats.write(self.served, 0)
            if self.served == self.recycle_after:
                say("::hoist-recycle:: %s %d" % (self.token, self.served))

    def handle_request(self, listener, req, client, addr):
        self.path = req.path
        return super().handle_request(listener, req, client, addr)

    def on_harakiri(self, signum, frame):
        body = b"504 the request ran past harakiri; the worker is being replaced\n"
        head = "HTTP/1.1 504 Gateway Timeout\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
        client = self.client
        if client is not None:
            try:
                client.sendall(head.encode("latin-1") + body)
            except OSError:
                pass
        say("::hoist-harakiri:: %s %s" % (self.token, self.path))
        os._exit(HARAKIRI)


def read_all(sock, into):
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        into.extend(chunk)


def say(line):
    os.write(1, (line + "\n").encode("utf-8", "replace"))


def main():
    # Its own process group, so that hoist serve's signals reach whatever the app starts too; not its own session
    # (setsid), which the kernel would schedule as a group of its own, as much CPU as all of nginx on a busy host.
    os.setpgid(0, 0)
    env = os.environ
    listener = socket.socket(fileno=int(env.pop("HOIST_LISTEN_FD")))
    token = env.pop("HOIST_TOKEN")
    target = env.pop("HOIST_WSGI_APP")
    health = env.pop("HOIST_HEALTHCHECK", "")
    harakiri = float(env.pop("HOIST_HARAKIRI", "0"))
    recycle_after = int(env.pop("HOIST_MAX_REQUESTS", "0"))
    stats = Stats(env.pop("HOIST_STATS"))
    app = App(target)
    worker = HoistWorker(1, os.getppid(), [listener], app, 1.0, app.cfg, app.cfg.logger_class(app.cfg))
    worker.setup(token, health, harakiri, recycle_after, stats)
    worker.health_host = env.pop("HOIST_HEALTHCHECK_HOST", "localhost")
    worker.init_process()
    sys.exit(0)


if __name__ == "__main__":
    main()
