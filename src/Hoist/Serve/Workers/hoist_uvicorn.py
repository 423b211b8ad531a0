"""One hoist serve worker for an ASGI app: uvicorn's server, one event loop, accepting on hoist serve's own socket.

It keeps the protocol hoist_gunicorn.py keeps with hoist serve (read that one first), on an event loop:

- ready: the worker imports the app (a failure is Python's own traceback on stderr, which hoist serve quotes), runs
  the app's lifespan startup ("auto": an app without lifespan is fine), answers one request for the health path
  through uvicorn's own HTTP code (over a socket pair, before it accepts anything real), then prints a ready line with
  its token. A failing health check prints why and exits with HEALTH_FAILED, having served nothing.
- accepting: the loop takes connections from the shared socket one at a time while it is readable (the kernel's
  queue spreads them over the workers; a worker busy on the CPU takes none), and hands each to uvicorn's protocol.
- stats: the 16-byte file hoist serve maps, rewritten every tick (0.1 s): requests served, and what is in progress
  (HTTP requests being answered and WebSockets open).
- max-requests: past it the worker prints a recycle line and keeps serving until hoist serve replaces it.
- stopping: SIGTERM (a reload retiring this worker) stops accepting at once; idle keep-alive connections are closed,
  requests in progress finish, and open WebSockets stay open: they are closed (1012, "service restart": the client
  may connect again and reach the new generation) only when the mercy time is nearly up, since hoist serve kills the
  worker at mercy and a close frame is kinder than a reset. uvicorn's own shutdown closes WebSockets at once, which is
  why this one is not used. SIGUSR2 (hoist serve stopping, its socket already gone) first serves every connection
  still queued, then does the same.
- held: SIGTTOU stops accepting (what this worker took carries on); SIGTTIN accepts again.

- harakiri: not per request (one loop serves many at once; cutting one would cut them all) but for the loop: one that
  has not turned for harakiri seconds (30 without it; a blocking call in async code) exits the worker with
  LOOP_BLOCKED and its stack on stderr, so hoist serve replaces it, as gunicorn's timeout does to its uvicorn workers.

Not here, unlike the WSGI worker: threads (refused by hoist serve for an ASGI app), and the slow-client timeouts (a
slow client costs this worker a descriptor, not its only thread).

Settings come in HOIST_* environment variables, removed before the app is loaded.
"""

import ast
import asyncio
import functools
import importlib
import mmap
import os
import select
import signal
import socket
import struct
import sys
import threading
import time
import traceback

import uvicorn
from uvicorn.lifespan.on import LifespanOn

HEALTH_FAILED = 4
LIFESPAN_FAILED = 3
LOOP_BLOCKED = 6
# Without harakiri, what gunicorn's timeout gives its uvicorn workers.
DEFAULT_LOOP_LIMIT = 30.0
STATS = struct.Struct("<QQ")


class Stats:
    def __init__(self, path):
        with open(path, "r+b") as f:
            self.map = mmap.mmap(f.fileno(), STATS.size)

    def write(self, served, busy):
        STATS.pack_into(self.map, 0, served, busy)


class LoopWatch(threading.Thread):
    """Replaces a worker whose event loop has stopped turning: a blocking call in async code holds every request.

    The loop beats every BEAT; this thread, woken every period, exits the worker once no beat came for the limit,
    with the loop's stack on stderr (what blocked it). A wake-up far later than asked means the process itself was
    not running (SIGSTOP, which FrozenWatch handles; a starved machine): the loop's silence is then not its fault.
    """

    BEAT = 0.25

    def __init__(self, limit):
        super().__init__(name="hoist-loop-watch", daemon=True)
        self.limit = limit
        self.last = time.monotonic()
        self.loop_thread = threading.get_ident()

    def beat(self, loop):
        self.last = time.monotonic()
        loop.call_later(self.BEAT, self.beat, loop)

    def run(self):
        period = min(1.0, self.limit / 4)
        woke = time.monotonic()
        while True:
            time.sleep(period)
            now = time.monotonic()
            if now - woke > period + 2.0:
                self.last = now
            woke = now
            silent = now - self.last
            if silent > self.limit:
                frame = sys._current_frames().get(self.loop_thread)
                stack = "".join(traceback.format_stack(frame)) if frame else "(not known)\n"
                say_err("the event loop has not turned for %.1f s (harakiri %g s): a blocking call in async code (time.sleep, "
                        "requests, a synchronous database driver) holds every request of this worker; use its async form or "
                        "run it in a thread (await asyncio.to_thread(...)). The worker exits to be replaced. The loop is at:\n%s"
                        % (silent, self.limit, stack.rstrip("\n")))
                os._exit(LOOP_BLOCKED)


class StartupGuard(LifespanOn):
    """uvicorn's lifespan "auto", except for an app that raised once asked to start up.

    "auto" reads any app raising on the lifespan scope as one without lifespan support (Django's asgi raises at once,
    before it receives anything) and serves on. One that received lifespan.startup and raised before answering did not
    start, though: that is reported as lifespan.startup.failed with its traceback, as Starlette does for its own.
    """

    def __init__(self, config):
        super().__init__(config)
        self.inner = config.loaded_app
        self.config = AppSwap(config, self.guarded)
        self.asked = False
        self.answered = False

    async def guarded(self, scope, receive, send):
        try:
            await self.inner(scope, receive, send)
        except Exception:
            if self.asked and not self.answered:
                await self.send({"type": "lifespan.startup.failed", "message": traceback.format_exc().rstrip("\n")})
            raise

    async def receive(self):
        message = await super().receive()
        self.asked = self.asked or message["type"] == "lifespan.startup"
        return message

    async def send(self, message):
        self.answered = self.answered or message["type"].startswith("lifespan.startup.")
        await super().send(message)


class AppSwap:
    """The lifespan's view of uvicorn's config: the same, but for the app it calls."""

    def __init__(self, config, app):
        self.config = config
        self.loaded_app = app

    def __getattr__(self, name):
        return getattr(self.config, name)


class HoistServer(uvicorn.Server):
    def __init__(self, config, listener, token, health, health_host, recycle_after, stats, mercy, loop_limit):
        super().__init__(config)
        self.watch = LoopWatch(loop_limit)
        self.listener = listener
        self.token = token
        self.health = health
        self.health_host = health_host
        self.recycle_after = recycle_after
        self.stats = stats
        self.mercy = mercy
        self.ppid = os.getppid()
        self.exit_code = 0
        self.accepting = False
        self.paused = False
        self.serve_queue = False
        self.stop_at = None
        self.recycle_said = False
        self.baseline = 0
        self.pending = set()
        self.stop_event = None
        self.started_at = time.monotonic()

    # -- start ------------------------------------------------------------------------------------------------------

    async def startup(self, sockets=None):
        self.loop = asyncio.get_running_loop()
        # A SIGTERM (ready-timeout passed, or hoist serve stopping) ends a lifespan startup that hangs, rather than
        # leaving hoist serve to wait out the mercy time for a worker that never served.
        starting = asyncio.ensure_future(self.lifespan.startup())
        self.stop_event = asyncio.Event()
        if self.stop_at is not None:
            self.stop_event.set()
        stopped = asyncio.ensure_future(self.stop_event.wait())
        await asyncio.wait([starting, stopped], return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not starting.done():
            # Said before the cancel, whose traceback (the app's line it hung on) follows.
            say_err("stopped while the app's lifespan startup was still running (after %.1f s): a startup hook that "
                    "never returns (a connection without a timeout?) keeps the worker from ever being ready; where it "
                    "waits:" % (time.monotonic() - self.started_at))
            starting.cancel()
            await asyncio.wait([starting], timeout=1.0)
            self.exit_code = LIFESPAN_FAILED
            self.should_exit = True
            return
        if self.lifespan.should_exit:
            self.exit_code = LIFESPAN_FAILED
            self.should_exit = True
            return
        self.protocol = functools.partial(self.config.http_protocol_class, config=self.config, server_state=self.server_state)
        problem = await self.check_health()
        if problem:
            say("::hoist-unready:: %s %s" % (self.token, problem))
            self.exit_code = HEALTH_FAILED
            self.should_exit = True
            # The app's lifespan ends as at any stop: left running, asyncio.run would cancel it, and the app log
            # that traceback over the health check's answer.
            try:
                await asyncio.wait_for(self.lifespan.shutdown(), 5)
            except asyncio.TimeoutError:
                pass
            return
        # The health check's request is not one the app served for anyone.
        self.baseline = self.server_state.total_requests
        self.write_stats()
        say("::hoist-ready:: %s" % self.token)
        self.watch.beat(self.loop)
        self.watch.start()
        self.start_accepting()
        self.started = True

    async def check_health(self):
        """None when the health path answers 2xx or 3xx (or none is set), else what it answered: ReadinessProbe's rule."""
        if not self.health:
            return None
        ours, theirs = socket.socketpair()
        ours.setblocking(False)
        theirs.setblocking(False)
        try:
            await self.loop.connect_accepted_socket(self.protocol, theirs)
            request = "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: hoist-serve-healthcheck\r\n\r\n" % (self.health, self.health_host)
            await self.loop.sock_sendall(ours, request.encode("latin-1"))
            answer = await asyncio.wait_for(read_all(self.loop, ours), 10)
        except (asyncio.TimeoutError, OSError) as e:
            answer = b""
            say_err("health check of %s: %r" % (self.health, e))
        finally:
            ours.close()
        status_line = bytes(answer).split(b"\r\n", 1)[0].decode("latin-1", "replace")
        parts = status_line.split(" ", 2)
        if len(parts) >= 2 and parts[1].isdigit() and 200 <= int(parts[1]) < 400:
            return None
        hint = " (asked with Host: %s; set healthcheck-host to a name the app allows)" % self.health_host if parts[1:2] == ["400"] else ""
        return "%s answered %s%s" % (self.health, " ".join(parts[1:]) or "nothing", hint)

    # -- accepting --------------------------------------------------------------------------------------------------

    def start_accepting(self):
        if not self.accepting and not self.paused and self.stop_at is None:
            self.loop.add_reader(self.listener.fileno(), self.accept_one)
            self.accepting = True

    def stop_accepting(self):
        if self.accepting:
            self.loop.remove_reader(self.listener.fileno())
            self.accepting = False

    def accept_one(self):
        # One per wake-up (the loop calls again while the queue has more): what this worker cannot start soon stays in
        # the kernel's queue for the other workers.
        try:
            client, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return
        client.setblocking(False)
        task = self.loop.create_task(self.loop.connect_accepted_socket(self.protocol, client))
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)

    # -- signals ----------------------------------------------------------------------------------------------------

    def install_signal_handlers(self):
        loop = asyncio.get_event_loop()
        loop.add_signal_handler(signal.SIGTERM, self.on_stop, False)
        loop.add_signal_handler(signal.SIGINT, self.on_stop, False)
        loop.add_signal_handler(signal.SIGUSR2, self.on_stop, True)
        loop.add_signal_handler(signal.SIGTTOU, self.on_pause)
        loop.add_signal_handler(signal.SIGTTIN, self.on_resume)

    def on_stop(self, serve_queue):
        if self.stop_at is None:
            self.stop_at = time.monotonic()
        if self.stop_event is not None:
            self.stop_event.set()
        self.serve_queue = self.serve_queue or serve_queue
        self.should_exit = True

    def on_pause(self):
        self.paused = True
        self.stop_accepting()

    def on_resume(self):
        self.paused = False
        self.start_accepting()

    # -- running ----------------------------------------------------------------------------------------------------

    async def on_tick(self, counter):
        self.write_stats()
        served = self.server_state.total_requests - self.baseline
        if self.recycle_after and not self.recycle_said and served >= self.recycle_after:
            self.recycle_said = True
            say("::hoist-recycle:: %s %d" % (self.token, served))
        if os.getppid() != self.ppid:
            # hoist serve is gone (killed): nothing will stop this worker but itself.
            self.should_exit = True
            self.force_exit = True
        return await super().on_tick(counter)

    def is_websocket(self, connection):
        kind = self.config.ws_protocol_class
        return kind is not None and isinstance(connection, kind)

    def busy(self):
        count = 0
        for connection in list(self.server_state.connections):
            cycle = getattr(connection, "cycle", None)
            if self.is_websocket(connection) or (cycle is not None and not cycle.response_complete):
                count += 1
        return count

    def write_stats(self):
        self.stats.write(max(0, self.server_state.total_requests - self.baseline), self.busy())

    # -- stopping ---------------------------------------------------------------------------------------------------

    async def shutdown(self, sockets=None):
        if self.stop_at is None:
            self.stop_at = time.monotonic()
        # Past this, what is still open is closed by the worker itself; hoist serve's SIGKILL comes at mercy.
        close_at = self.stop_at + self.mercy - min(1.0, self.mercy / 4)
        if self.serve_queue and not self.force_exit:
            # hoist serve is stopping: its socket takes nothing new, and what is queued would otherwise be reset.
            while readable(self.listener) and time.monotonic() < close_at:
                await asyncio.sleep(0.01)
        self.stop_accepting()
        self.listener.close()
        if self.pending:
            await asyncio.wait(list(self.pending), timeout=max(0.0, close_at - time.monotonic()))
        # Idle keep-alive connections close now; a request in progress finishes and then closes its connection.
        asked = set()
        while not self.force_exit and time.monotonic() < close_at:
            for connection in list(self.server_state.connections):
                if connection not in asked and not self.is_websocket(connection):
                    asked.add(connection)
                    connection.shutdown()
            if not self.server_state.connections:
                break
            await asyncio.sleep(0.05)
        await self.close_the_rest()
        if self.server_state.tasks and not self.force_exit:
            await asyncio.wait(list(self.server_state.tasks), timeout=1.0)
        if not self.force_exit:
            try:
                await asyncio.wait_for(self.lifespan.shutdown(), max(1.0, self.mercy / 4))
            except asyncio.TimeoutError:
                say_err("the app's lifespan shutdown took too long; leaving it")
        self.write_stats()

    async def close_the_rest(self):
        """The mercy time is nearly up: WebSockets get a close frame (1012), anything else is closed."""
        closing = []
        for connection in list(self.server_state.connections):
            if not self.is_websocket(connection):
                connection.transport.close()
            elif hasattr(connection, "close") and asyncio.iscoroutinefunction(connection.close):
                # websockets' protocol: a closing handshake, the app's receive() then gets websocket.disconnect.
                closing.append(asyncio.ensure_future(connection.close(code=1012, reason="server restarting")))
            else:
                connection.shutdown()  # wsproto's: sends 1012 itself
        if closing:
            await asyncio.wait(closing, timeout=min(1.0, max(0.1, self.mercy / 4)))
        deadline = time.monotonic() + 0.5
        while self.server_state.connections and time.monotonic() < deadline:
            await asyncio.sleep(0.02)


async def read_all(loop, sock):
    answer = bytearray()
    while True:
        chunk = await loop.sock_recv(sock, 65536)
        if not chunk:
            return answer
        answer.extend(chunk)


def readable(sock):
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return False


def load_app(target):
    """module:name, or module:factory(literal arguments), as hoist serve's asgi setting names the app."""
    module_name, _, expression = target.partition(":")
    module = importlib.import_module(module_name)
    node = ast.parse(expression, mode="eval").body
    if isinstance(node, ast.Name):
        return getattr(module, node.id)
    factory = getattr(module, node.func.id)
    args = [ast.literal_eval(a) for a in node.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    return factory(*args, **kwargs)


def say(line):
    os.write(1, (line + "\n").encode("utf-8", "replace"))


def say_err(line):
    os.write(2, (line + "\n").encode("utf-8", "replace"))


def main():
    # Its own process group, as hoist_gunicorn.py's (why: there).
    os.setpgid(0, 0)
    env = os.environ
    listener = socket.socket(fileno=int(env.pop("HOIST_LISTEN_FD")))
    listener.setblocking(False)
    token = env.pop("HOIST_TOKEN")
    target = env.pop("HOIST_ASGI_APP")
    health = env.pop("HOIST_HEALTHCHECK", "")
    health_host = env.pop("HOIST_HEALTHCHECK_HOST", "localhost")
    recycle_after = int(env.pop("HOIST_MAX_REQUESTS", "0"))
    mercy = float(env.pop("HOIST_MERCY", "30"))
    stats = Stats(env.pop("HOIST_STATS"))
    loop_limit = float(env.pop("HOIST_HARAKIRI", "0")) or DEFAULT_LOOP_LIMIT
    for name in ("HOIST_HEADER_TIMEOUT", "HOIST_BODY_TIMEOUT", "HOIST_THREADS", "HOIST_WSGI_APP"):
        env.pop(name, None)
    app = load_app(target)
    config = uvicorn.Config(
        app,
        lifespan="auto",
        log_level="warning",
        access_log=False,
        # On hoist serve's unix socket only what may open it (nginx, by its mode) reaches the app: its X-Forwarded-*
        # headers are the client's. On TCP, uvicorn's default (trust 127.0.0.1 only) stands.
        forwarded_allow_ips="*" if listener.family == socket.AF_UNIX else None,
    )
    config.load()
    if config.lifespan == "auto":
        config.lifespan_class = StartupGuard
    server = HoistServer(config, listener, token, health, health_host, recycle_after, stats, mercy, loop_limit)
    server.run()
    if server.exit_code == 0 and not server.started:
        server.exit_code = LIFESPAN_FAILED
    sys.exit(server.exit_code)


if __name__ == "__main__":
    main()
