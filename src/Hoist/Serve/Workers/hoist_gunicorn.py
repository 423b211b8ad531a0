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
- slow clients: the worker takes connections from the socket without blocking and reads their request heads side by
  side, handing gunicorn only a connection whose head has arrived; one that has not within HOIST_HEADER_TIMEOUT
  seconds of its accept gets 408 (or is closed, having sent nothing); a body that stalls for HOIST_BODY_TIMEOUT
  seconds, or that is slower than 240 bytes a second once it has had that long, gets 408; and an answer the client
  takes no byte of for HOIST_BODY_TIMEOUT seconds is cut. Nothing else reads the request before the worker does (no
  nginx in front on the socket), so a client sending a byte a second, or reading nothing, would otherwise hold a sync
  worker for good. A head that completes while its worker serves another request waits for that one (no other worker
  can take a connection already accepted) and is then served, not cut: the bytes that came meanwhile count.
- stopping: SIGTERM (a reload retiring this worker) finishes the request in progress and exits, leaving queued
  connections to the other workers; SIGUSR2 (hoist serve stopping, its socket already gone) also serves every
  connection still queued, then exits.
- threads: with HOIST_THREADS above 1 the worker serves that many requests at once, each on a thread of its own
  (gunicorn's gthread model, on hoist serve's socket): heads are still read side by side by the main loop, which hands
  a complete one to a free thread and takes connections from the queue only while a thread is free, so what one worker
  cannot start yet stays in the kernel's queue for the others. harakiri is kept per request by the main loop (an
  interval timer is one per process) and replaces the worker as without threads. The app sees wsgi.multithread true.
- held: SIGTTOU (a reload with a hold) stops accepting, finishing what this worker took, and keeps it alive; SIGTTIN
  (a revert) makes it accept again at once. SIGTERM or SIGUSR2 stop a held worker as any other.

Settings come in HOIST_* environment variables, removed before the app is loaded.
"""

import errno
import mmap
import os
import select
import signal
import socket
import struct
import sys
import threading
import time

from concurrent.futures import ThreadPoolExecutor

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.workers.sync import SyncWorker

HEALTH_FAILED = 4
HARAKIRI = 5
STATS = struct.Struct("<QQ")
HEAD_END = b"\r\n\r\n"
# Past this without the end of a head, gunicorn's parser gets it anyway and answers 400 (its own limits are lower).
HEAD_LIMIT = 65536
# A body slower than this on average, past its grace, is cut (Kestrel's MinRequestBodyDataRate, as on the other front).
BODY_MIN_RATE = 240.0
# Connections one worker holds while their heads arrive: bounded, so its descriptors are too.
MAX_PENDING = 256
# How long a worker holding a connection whose head has not come waits before it takes another: a client (nginx)
# writes its head right after connecting, but the kernel can hand the connection over in between, above all on a busy
# CPU, and taking the next one then would queue it behind the first while another worker idles. A head still missing
# after this is a slow client, and the worker takes others again so that slow clients hold no worker.
HEAD_GRACE = 0.25
# A head this soon after its accept is a normal client's (nginx, even preempted between its connect and its write).
HEAD_PROMPT = 0.05
# After a connection that brought no prompt head (it went away headless, its head came later than HEAD_PROMPT, or was
# still missing after HEAD_GRACE) the worker holds back no more for this long: else a client connecting over and over
# and closing within the grace, or sending its head just within it, would cost the queue up to HEAD_GRACE a connection
# (seen: 1 worker answering 50 requests in 10 s instead of 190, each ~150 ms late, to one such client); now it costs
# at most one grace in HEAD_DISTRUST.
HEAD_DISTRUST = 10.0
TIMEOUT_BODY = b"408 the request took too long to arrive\n"
TIMEOUT_ANSWER = (
    "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
    % len(TIMEOUT_BODY)
).encode("latin-1") + TIMEOUT_BODY


class App(BaseApplication):
    def __init__(self, target):
        self.target = target
        super().__init__()

    def load_config(self):
        self.cfg.set("loglevel", "warning")

    def load(self):
        return util.import_app(self.target)


class InFlight:
    """One request being served on a thread: its client, its harakiri deadline (None without harakiri), its path."""

    __slots__ = ("client", "deadline", "path")

    def __init__(self, client, deadline):
        self.client = client
        self.deadline = deadline
        self.path = ""


class Stats:
    def __init__(self, path):
        with open(path, "r+b") as f:
            self.map = mmap.mmap(f.fileno(), STATS.size)

    def write(self, served, busy):
        STATS.pack_into(self.map, 0, served, busy)


class Pending:
    """An accepted connection whose request head has not all arrived."""

    def __init__(self, sock, addr, taken, deadline):
        self.sock = sock
        self.addr = addr
        self.taken = taken
        self.deadline = deadline
        self.data = bytearray()

    def complete(self):
        return HEAD_END in self.data or len(self.data) >= HEAD_LIMIT


class Client:
    """
    The accepted socket as gunicorn reads and writes it: the head already read first, then the body, then the answer.

    The body must keep up BODY_MIN_RATE bytes a second on average once it has had client_timeout seconds (Kestrel's
    MinRequestBodyDataRate, which the other front applies), and no read may stall for client_timeout seconds: a
    stall limit alone lets a client sending a byte a second hold a sync worker for good. Each send of the answer must
    make progress within client_timeout seconds (nginx's send_timeout): a client that reads nothing is cut, one that
    reads slowly but steadily gets it all, however long that takes.
    """

    def __init__(self, sock, head, client_timeout):
        self._sock = sock
        self._head = bytes(head)
        self._timeout = client_timeout
        self._body_started = None
        self._body_read = 0

    def recv(self, size):
        if self._head:
            chunk, self._head = self._head[:size], self._head[size:]
            return chunk
        now = time.monotonic()
        if self._body_started is None:
            self._body_started = now
        # The moment the average falls below the minimum rate (not before the grace), and the stall limit.
        rate_deadline = self._body_started + max(self._timeout, self._body_read / BODY_MIN_RATE)
        wait = min(self._timeout, rate_deadline - now)
        if wait <= 0:
            self._cut(answer=True)
        # Only around the read: a timeout on the socket would also cut a slow reader off a long response.
        self._sock.settimeout(wait)
        try:
            chunk = self._sock.recv(size)
        except socket.timeout:
            self._cut(answer=True)
        finally:
            self._sock.settimeout(None)
        self._body_read += len(chunk)
        return chunk

    def send(self, data):
        # Python's sendall with a timeout bounds the whole answer; each send here waits for room at most that long.
        self._sock.settimeout(self._timeout)
        try:
            return self._sock.send(data)
        except socket.timeout:
            self._cut(answer=False)
        finally:
            self._sock.settimeout(None)

    def sendall(self, data):
        view = memoryview(data)
        while view:
            view = view[self.send(view):]

    def sendfile(self, file, offset=0, count=None):
        # A file answer (wsgi.file_wrapper): Python's sendfile applies the timeout to each wait for room, too.
        self._sock.settimeout(self._timeout)
        try:
            return self._sock.sendfile(file, offset, count)
        except socket.timeout:
            self._cut(answer=False)
        finally:
            self._sock.settimeout(None)

    def _cut(self, answer):
        if answer:
            answer_timeout(self._sock)
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        # ENOTCONN (it is shut down now): gunicorn closes it and logs nothing, as for a client that went away.
        raise OSError(errno.ENOTCONN, "cut: the client was too slow")

    def __getattr__(self, name):
        return getattr(self._sock, name)


class HoistWorker(SyncWorker):
    def setup(self, token, health, harakiri, recycle_after, stats, header_timeout, body_timeout, threads):
        self.threads = threads
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="hoist") if threads > 1 else None
        self.lock = threading.Lock()
        self.local = threading.local()
        self.inflight = {}
        self.header_timeout = header_timeout
        self.body_timeout = body_timeout
        self.token = token
        self.health = health
        self.harakiri = harakiri
        self.recycle_after = recycle_after
        self.stats = stats
        self.served = 0
        self.client = None
        self.path = ""
        self.draining = False
        self.paused = False
        self.distrust_until = 0.0
        # HOIST_HEAD_GRACE replaces it only for tests, which make a hold long enough to see without timing anything.
        self.head_grace = HEAD_GRACE

    def init_signals(self):
        super().init_signals()
        signal.signal(signal.SIGALRM, self.on_harakiri)
        signal.signal(signal.SIGUSR2, self.on_drain)
        signal.siginterrupt(signal.SIGUSR2, False)
        signal.signal(signal.SIGTTOU, self.on_pause)
        signal.signal(signal.SIGTTIN, self.on_resume)
        signal.siginterrupt(signal.SIGTTOU, False)
        signal.siginterrupt(signal.SIGTTIN, False)

    def load_wsgi(self):
        super().load_wsgi()
        if self.pool is not None:
            # gunicorn 20.1 says wsgi.multithread is false whatever its worker; here it is true, and an app may rely on it.
            app = self.wsgi

            def multithreaded(environ, start_response):
                environ["wsgi.multithread"] = True
                return app(environ, start_response)

            self.wsgi = multithreaded

    def run(self):
        problem = self.check_health()
        if problem:
            say("::hoist-unready:: %s %s" % (self.token, problem))
            sys.exit(HEALTH_FAILED)
        say("::hoist-ready:: %s" % self.token)
        self.serve()
        if self.pool is not None:
            self.pool.shutdown(wait=True)

    def serve(self):
        """
        gunicorn's loop for one listener, reading heads of several connections at once. It ends when stopping and
        every connection taken is done (they are no longer in the queue, so no other worker would serve them), or
        when draining and nothing is left to accept either.
        """
        listener = self.sockets[0]
        listener.setblocking(0)
        pending = []
        while True:
            self.notify()
            if not self.is_parent_alive():
                return
            if pending:
                # What arrived while this worker was busy serving arrived in time: read it before judging deadlines.
                self.wait_for(None, pending, 0)
            self.check_harakiri()
            ready = next((p for p in pending if p.complete()), None) if self.free() else None
            if ready is not None:
                pending.remove(ready)
                ready.sock.setblocking(True)
                client = Client(ready.sock, ready.data, self.body_timeout)
                if self.pool is None:
                    self.handle(listener, client, ready.addr)
                else:
                    self.start_threaded(listener, client, ready.addr)
                continue
            now = time.monotonic()
            # A complete head waiting for a free thread came in time: it is served, not cut.
            for late in [p for p in pending if p.deadline <= now and not p.complete()]:
                pending.remove(late)
                if late.data:
                    answer_timeout(late.sock)
                util.close(late.sock)
            holding = self.holding_back(pending, now)
            accepting = (self.draining or (self.alive and not self.paused)) and len(pending) < MAX_PENDING and self.free() and not holding
            if accepting and self.accept_one(listener, pending):
                continue
            if not pending and not self.inflight and (not self.alive or self.draining):
                return
            self.wait_for(listener if accepting else None, pending, holding or None)

    def holding_back(self, pending, now):
        """
        Seconds this worker leaves the queue to the others: while the oldest head it waits for is younger than
        HEAD_GRACE, unless a connection brought no prompt head within the last HEAD_DISTRUST seconds.
        """
        if now < self.distrust_until:
            return 0.0
        waiting = [p.taken for p in pending if not p.complete()]
        if not waiting:
            return 0.0
        left = min(waiting) + self.head_grace - now
        if left <= 0:
            self.distrust_until = now + HEAD_DISTRUST
            return 0.0
        return left

    def accept_one(self, listener, pending):
        """Takes one connection from the queue, if one is there; True when it did."""
        try:
            client, addr = listener.accept()
        except EnvironmentError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return False
        client.setblocking(False)
        util.close_on_exec(client)
        now = time.monotonic()
        taken = Pending(client, addr, now, now + self.header_timeout)
        pending.append(taken)
        # A normal client (nginx) has usually sent its head already: read it now, so that it is served before this
        # worker takes more connections from the queue that an idle worker could serve.
        self.read_some(taken, pending)
        return True

    def read_some(self, p, pending):
        try:
            chunk = p.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        now = time.monotonic()
        if chunk:
            was_complete = p.complete()
            p.data.extend(chunk)
            if not was_complete and p.complete() and now - p.taken > HEAD_PROMPT:
                self.distrust_until = now + HEAD_DISTRUST
        elif not p.complete():
            # Gone before its head was complete: there is no one to answer, and no normal client (nginx) to hold back for.
            pending.remove(p)
            util.close(p.sock)
            self.distrust_until = now + HEAD_DISTRUST
        # A whole head and then the end of its input (printf ... | nc -N) is a request to answer: it stays.

    def wait_for(self, listener, pending, wait=None):
        """Waits for a connection, a head's bytes, a signal or the next deadline (or wait seconds); reads what arrived."""
        poll = select.poll()
        if listener is not None:
            poll.register(listener, select.POLLIN)
        poll.register(self.PIPE[0], select.POLLIN)
        by_fd = {}
        # Only heads still coming: a complete one waits for a free thread, and one whose client shut its write side
        # would wake the poll at once, again and again.
        for p in pending:
            if not p.complete():
                by_fd[p.sock.fileno()] = p
                poll.register(p.sock, select.POLLIN)
        if wait is None:
            wait = self.timeout
        deadlines = [p.deadline for p in pending if not p.complete()] + [f.deadline for f in list(self.inflight.values()) if f.deadline]
        if deadlines and wait > 0:
            wait = max(0.0, min(wait, min(deadlines) - time.monotonic()))
        try:
            events = poll.poll(wait * 1000)
        except InterruptedError:
            return
        for fd, _ in events:
            if fd == self.PIPE[0]:
                os.read(fd, 4096)
            elif fd in by_fd:
                self.read_some(by_fd[fd], pending)

    def on_drain(self, signum, frame):
        self.draining = True
        os.write(self.PIPE[1], b"1")

    def on_pause(self, signum, frame):
        self.paused = True
        os.write(self.PIPE[1], b"1")

    def on_resume(self, signum, frame):
        self.paused = False
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

    def free(self):
        """True when this worker can start serving one more request now."""
        return self.pool is None or len(self.inflight) < self.threads

    def start_threaded(self, listener, client, addr):
        deadline = time.monotonic() + self.harakiri if self.harakiri else None
        flight = InFlight(client, deadline)
        with self.lock:
            self.inflight[flight] = flight
            self.stats.write(self.served, len(self.inflight))
        self.pool.submit(self.handle_threaded, flight, listener, client, addr)

    def handle_threaded(self, flight, listener, client, addr):
        self.local.flight = flight
        try:
            SyncWorker.handle(self, listener, client, addr)
        finally:
            with self.lock:
                del self.inflight[flight]
                self.served += 1
                self.stats.write(self.served, len(self.inflight))
                recycle = self.served == self.recycle_after
            if recycle:
                say("::hoist-recycle:: %s %d" % (self.token, self.served))
            # Wakes the main loop: a thread is free, so it may take the next connection.
            os.write(self.PIPE[1], b"1")

    def check_harakiri(self):
        """With threads, the main loop keeps each request's harakiri: the first past it replaces the worker."""
        now = time.monotonic()
        late = next((f for f in list(self.inflight.values()) if f.deadline and f.deadline <= now), None)
        if late is not None:
            self.client = late.client
            self.path = late.path
            self.on_harakiri(None, None)

    def handle_request(self, listener, req, client, addr):
        self.path = req.path
        flight = getattr(self.local, "flight", None)
        if flight is not None:
            flight.path = req.path
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


def answer_timeout(sock):
    try:
        sock.sendall(TIMEOUT_ANSWER)
    except OSError:
        pass


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
    header_timeout = float(env.pop("HOIST_HEADER_TIMEOUT", "10"))
    threads = int(env.pop("HOIST_THREADS", "1"))
    body_timeout = float(env.pop("HOIST_BODY_TIMEOUT", "30"))
    stats = Stats(env.pop("HOIST_STATS"))
    app = App(target)
    worker = HoistWorker(1, os.getppid(), [listener], app, 1.0, app.cfg, app.cfg.logger_class(app.cfg))
    worker.setup(token, health, harakiri, recycle_after, stats, header_timeout, body_timeout, threads)
    worker.health_host = env.pop("HOIST_HEALTHCHECK_HOST", "localhost")
    worker.head_grace = float(env.pop("HOIST_HEAD_GRACE", str(HEAD_GRACE)))
    worker.init_process()
    sys.exit(0)


if __name__ == "__main__":
    main()
