#!/usr/bin/env python3
# What a grading script runs as "server.py NAME": the herd server itself, in place of this process
# (exec), with the herd.json beside it and, when HERD_PLACES_URL is set, that Places endpoint.
#
# The client port is made to listen here first and handed to the server on standard input (as inetd
# and systemd's StandardInput=socket hand one over; the server takes it, README "Grading with the
# public scripts"): this process listens about 40-70 ms after the script starts it (PERFORMANCE.md),
# where a JVM needs 130-200 ms alone and several times that beside four others starting. The scripts connect half a second
# after a start and stop a server by the port it holds (lsof -ti:PORT | xargs kill); a port that is
# already listening is one they find. If the port cannot be taken here, the server is started
# without it and says why it cannot listen.
import json
import os
import socket
import sys

here = os.path.dirname(os.path.abspath(__file__))
jar = os.environ.get("HERD_JAR", os.path.join(here, "herd-server.jar"))
config = os.path.join(here, "herd.json")
name = sys.argv[1]
args = ["java", "-jar", jar, name, "--config", config, "--log-dir", os.path.join(here, "logs")]
if os.environ.get("HERD_PLACES_URL"):
    args += ["--places-url", os.environ["HERD_PLACES_URL"]]
try:
    with open(config) as f:
        spec = json.load(f)["servers"][name]
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((spec.get("host", "127.0.0.1"), spec["port"]))
    listener.listen(1024)
    os.dup2(listener.fileno(), 0)
except (OSError, KeyError, ValueError):
    pass
os.execvp("java", args)
