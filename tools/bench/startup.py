#!/usr/bin/env python3
"""Start-up as users and graders meet it, with the packaged jar and the default herd's ports.

    python3 tools/bench/startup.py [rounds]          (HERD_JAR=path: another build, for A/B;
                                                      HERD_ARGS="--places-url URL": more server arguments)

Four measurements, each over `rounds` rounds (default 5), reported as min / median / max:

  alone  one `java -jar herd-server.jar Hill` on an otherwise idle machine: how long until it accepts
         a connection, and until it answers an IAMAT sent at once;
  floor  the same for a JDK-only program that listens and echoes (compiled here from floor/Listen.java):
         what any JVM costs on this machine before it can accept;
  herd   the five servers of the default herd started half a second apart without waiting for them
         (the public graders' pattern): how long each took to accept, and how long an IAMAT sent to
         the last one half a second after its start took to be answered.

Needs herd-server/target/herd-server.jar (mvn -B package). Loopback only, ports 12205-12209 and their
peer and admin ports; every process it starts is stopped.
"""
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERD = [("Hill", 12205), ("Jaquez", 12206), ("Smith", 12207), ("Campbell", 12208), ("Singleton", 12209)]
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
JAR = os.environ.get("HERD_JAR", os.path.join(ROOT, "herd-server", "target", "herd-server.jar"))
SERVER_ARGS = os.environ.get("HERD_ARGS", "").split()
RESTART_AT = (4.5, 6.5, 8.0)
IAMAT = b"IAMAT kiwi +34.068930-118.445127 1621464827.959498503\n"


def wait_accepting(port, started, limit=15.0):
    """Milliseconds from `started` until `port` accepts a connection; the connection is returned open."""
    while time.monotonic() - started < limit:
        s = socket.socket()
        try:
            s.connect(("127.0.0.1", port))
            return (time.monotonic() - started) * 1000, s
        except OSError:
            s.close()
            time.sleep(0.001)
    raise RuntimeError("port %d not accepting after %.0f s" % (port, limit))


def ask(s, line, timeout=15):
    s.settimeout(timeout)
    s.sendall(line)
    reply = b""
    while not reply.endswith(b"\n"):
        chunk = s.recv(4096)
        if not chunk:
            break
        reply += chunk
    return reply


def stop(procs):
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()


def launch(name, workdir):
    """`java -jar herd-server.jar NAME` with HERD_ARGS, its output discarded."""
    return subprocess.Popen(["java", "-jar", JAR, name] + SERVER_ARGS, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=workdir)


def one_alone(command, workdir, port):
    started = time.monotonic()
    p = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir)
    try:
        accept_ms, s = wait_accepting(port, started)
        reply = ask(s, IAMAT)
        first_ms = (time.monotonic() - started) * 1000
        s.close()
        assert reply, "no reply"
        return accept_ms, first_ms
    finally:
        stop([p])
        time.sleep(0.3)


def one_herd(workdir):
    procs, accept = [], {}
    threads = []

    def watch(name, port, started):
        ms, s = wait_accepting(port, started)
        s.close()
        accept[name] = ms

    try:
        t0 = time.monotonic()
        for i, (name, port) in enumerate(HERD):
            # Half a second apart on the clock, whether or not the one before accepts yet.
            time.sleep(max(0.0, t0 + 0.5 * i - time.monotonic()))
            started = time.monotonic()
            procs.append(launch(name, workdir))
            t = threading.Thread(target=watch, args=(name, port, started))
            t.start()
            threads.append(t)
        time.sleep(max(0.0, t0 + 0.5 * len(HERD) - time.monotonic()))
        # Sent now; if the last server does not accept yet, the wait for it counts in the reply's time.
        sent = time.monotonic()
        _, client = wait_accepting(HERD[-1][1], sent)
        reply = ask(client, IAMAT)
        reply_ms = (time.monotonic() - sent) * 1000
        client.close()
        assert reply.startswith(b"AT Singleton "), reply
        for t in threads:
            t.join()
        return [accept[name] for name, _ in HERD], reply_ms
    finally:
        stop(procs)
        time.sleep(1)


def accepts(port):
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def one_restart(workdir, at):
    """Starts the herd 0.5 s apart, stops Smith `at` s after the first start and starts it again: ms to accept."""
    assert not any(accepts(port) for _, port in HERD), "a port of the default herd is taken: another herd is running"
    procs = {}
    try:
        t0 = time.monotonic()
        for i, (name, _) in enumerate(HERD):
            time.sleep(max(0.0, t0 + 0.5 * i - time.monotonic()))
            procs[name] = launch(name, workdir)
        time.sleep(max(0.0, t0 + at - time.monotonic()))
        smith = dict(HERD)["Smith"]
        procs["Smith"].send_signal(signal.SIGTERM)
        procs["Smith"].wait(timeout=20)
        assert not accepts(smith), "Smith's port still accepts after it ended"
        started = time.monotonic()
        procs["Smith"] = launch("Smith", workdir)
        ms, s = wait_accepting(smith, started)
        s.close()
        return ms
    finally:
        stop(list(procs.values()))
        time.sleep(1)


def spread(values):
    return "%.0f / %.0f / %.0f" % (min(values), statistics.median(values), max(values))


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as workdir:
        subprocess.run(["javac", "-d", workdir, os.path.join(HERE, "floor", "Listen.java")], check=True)
        floor = [one_alone(["java", "-cp", workdir, "Listen", "12205"], workdir, 12205) for _ in range(rounds)]
        alone = [one_alone(["java", "-jar", JAR, "Hill"], workdir, 12205) for _ in range(rounds)]
        herd = [one_herd(workdir) for _ in range(rounds)]
        restart = {at: [one_restart(workdir, at) for _ in range(rounds)] for at in RESTART_AT}
    print("min / median / max over %d rounds, ms" % rounds)
    print("floor (JDK-only listener): accepting %s; first reply %s" % (spread([a for a, _ in floor]), spread([f for _, f in floor])))
    print("one server alone:          accepting %s; first reply %s" % (spread([a for a, _ in alone]), spread([f for _, f in alone])))
    for i, (name, _) in enumerate(HERD):
        print("herd, %-9s accepting %s after its start" % (name + ":", spread([h[0][i] for h in herd])))
    print("herd, an IAMAT to Singleton 0.5 s after its start answered in %s" % spread([h[1] for h in herd]))
    for at, values in restart.items():
        print("restart, Smith stopped %.1f s after the first start and started again: accepting %s" % (at, spread(values)))
    every = [v for values in restart.values() for v in values]
    print("restart, all %d: accepting %s; %d of them after more than 500 ms" % (
        len(every), spread(every), sum(1 for v in every if v > 500)))


if __name__ == "__main__":
    main()
