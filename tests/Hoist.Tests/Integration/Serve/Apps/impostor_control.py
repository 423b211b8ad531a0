# A fake hoist serve control socket, run by another user: it answers every command as a healthy server would, and
# notes each command it was told (an empty line for a connection that told it nothing). With a third argument it
# writes its pid there, as a server's pidfile.
import json
import os
import socket
import sys

path, seen = sys.argv[1], sys.argv[2]
answers = {
    "status": {"pid": 4194000, "listen": "127.0.0.1:1", "generation": 1, "reloads": 0, "last_reload": None,
               "rss_bytes": 0, "workers": [{"slot": 0, "pid": 4194001, "state": "ready", "requests": 0,
                                            "in_flight": 0, "rss_bytes": 0, "restarts": 0, "errored": False,
                                            "generation": 1, "release": "/", "endpoint": "x"}]},
    "reload": {"ok": True, "message": "reloaded: 1 worker(s)", "abandoned": False},
    "stop": {"ok": True, "message": "stopping"},
}
if len(sys.argv) > 3:
    with open(sys.argv[3], "w") as pidfile:
        pidfile.write(f"{os.getpid()}\n")
server = socket.socket(socket.AF_UNIX)
server.bind(path)
os.chmod(path, 0o777)
server.listen(8)
while True:
    client, _ = server.accept()
    command = client.makefile().readline().strip()
    with open(seen, "a") as log:
        log.write(command + "\n")
    try:
        client.sendall(json.dumps(answers.get(command, {})).encode())
    except OSError:
        pass
    client.close()
