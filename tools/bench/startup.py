#!/usr/bin/env python3
"""Start-up as tests in the wild see it: start the five servers of the default herd half a second
apart (one JVM each), note how long each took to accept a TCP connection, then send an IAMAT to the
last one at once and time its reply. Every process is stopped at the end.

    python3 tools/bench/startup.py [rounds] [-- JVM options]

Needs herd-server/target/herd-server.jar (mvn -B package). Loopback only; ports 12205-12209.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERD = [("Hill", 12205), ("Jaquez", 12206), ("Smith", 12207), ("Campbell", 12208), ("Singleton", 12209)]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAR = os.path.join(ROOT, "herd-server", "target", "herd-server.jar")


def wait_listening(port, started, limit=10.0):
    while time.monotonic() - started < limit:
        s = socket.socket()
        try:
            s.connect(("127.0.0.1", port))
            return (time.monotonic() - started) * 1000
        except OSError:
            time.sleep(0.002)
        finally:
            s.close()
    raise RuntimeError("port %d not listening after %.0f s" % (port, limit))


def one_round(jvm_options, workdir):
    procs, listen_ms = [], []
    try:
        for name, port in HERD:
            started = time.monotonic()
            procs.append(subprocess.Popen(["java"] + jvm_options + ["-jar", JAR, name],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir))
            listen_ms.append(wait_listening(port, started))
            time.sleep(max(0.0, 0.5 - (time.monotonic() - started)))
        client = socket.create_connection(("127.0.0.1", HERD[-1][1]), timeout=10)
        sent = time.monotonic()
        client.sendall(b"IAMAT kiwi +34.068930-118.445127 1621464827.959498503\n")
        reply = client.recv(200)
        reply_ms = (time.monotonic() - sent) * 1000
        client.close()
        assert reply.startswith(b"AT Singleton "), reply
        return listen_ms, reply_ms
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=20)


def main():
    args = sys.argv[1:]
    jvm_options = args[args.index("--") + 1:] if "--" in args else []
    rounds = int(args[0]) if args and args[0] != "--" else 3
    with tempfile.TemporaryDirectory() as workdir:
        for r in range(rounds):
            listen_ms, reply_ms = one_round(jvm_options, workdir)
            print("round %d: listening after %s ms; first reply from Singleton after %.0f ms" % (
                r + 1, ", ".join("%s %.0f" % (n, ms) for (n, _), ms in zip(HERD, listen_ms)), reply_ms))
            time.sleep(1)


if __name__ == "__main__":
    main()
