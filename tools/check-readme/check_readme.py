#!/usr/bin/env python3
"""Runs the README's examples against a started herd and checks what they print, so that a claim
in the README that drifts from what the herd does fails CI (run by .ci/run after the tests).

Usage: tools/check-readme/check_readme.py [README.md]
Starts the default herd with ./herd up (its run folder and logs in a temporary folder), runs each
`$ command` of the "Talking to a server" section a second apart, as the README says, and checks its
output against the lines the README shows under it: "..." in a shown line stands for anything, and
the times in an AT line (which the reader's clock decides) for any time. Then checks the README's
other stated facts that a run can show: the radius range, the status page's port, ./herd cli doing
what nc does, and the simulator example's figures. Exits 0 when all hold, 1 naming each that does not.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "README.md")
failures = []


def check(what, ok, detail=""):
    print(("ok    " if ok else "FAIL  ") + what + ("" if ok else "\n      " + detail.replace("\n", "\n      ")))
    if not ok:
        failures.append(what)


def section(text, title):
    start = text.index("## " + title)
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def examples(block):
    """The `$ command` lines of a section's indented code, each with the lines shown under it."""
    found = []
    for line in block.split("\n"):
        if line.startswith("    $ "):
            found.append((line[6:], []))
        elif line.startswith("    ") and found and not line.strip() == "":
            found[-1][1].append(line[4:])
    return found


def pattern(shown):
    """Regexes for one shown line: '...' is anything; in an AT line a time (digits, a point, nine
    digits, maybe signed: the time difference and the client time) is any such time."""
    regexes = []
    for part in (p.strip() for p in shown.split("...")):
        if not part:
            continue
        if part.startswith("AT "):
            regexes.append(r" +".join(r"[+-]?[0-9]+\.[0-9]{9}" if re.fullmatch(r"[+-]?[0-9]+\.[0-9]{9}", token)
                                      else re.escape(token) for token in part.split(" ")))
        else:
            # Blanks are any blanks, line ends included: the README folds a JSON object onto one line.
            regexes.append(r"\s*".join(re.escape(token) for token in part.split()))
    return regexes


def matches(shown_lines, actual):
    """Every fragment of every shown line found in the output, in order."""
    at = 0
    for shown in shown_lines:
        for r in pattern(shown):
            m = re.compile(r).search(actual, at)
            if not m:
                return False, "not found after position %d: %s\nin:\n%s" % (at, shown, actual[:2000])
            at = m.end()
    return True, ""


def wait_for_port(port, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def ask(port, line, timeout=10):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(line.encode() + b"\n")
        s.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return data.decode("utf-8", "replace")
            data += chunk


def main():
    text = open(README, encoding="utf-8").read()
    work = tempfile.mkdtemp(prefix="herd-check-readme-")
    env = dict(os.environ, HERD_RUN_DIR=os.path.join(work, "run"))
    herd = subprocess.Popen([os.path.join(ROOT, "herd"), "up"], cwd=work, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        up = all(wait_for_port(p, 60) for p in range(12205, 12210))
        check("./herd up: the five servers listen on 127.0.0.1:12205-12209", up)
        if not up:
            return
        # The README's talking example waits for a herd "started 12 s before"; links up within a second or two.
        time.sleep(3)
        talk = examples(section(text, "Talking to a server"))
        check("the README has its talking examples", len(talk) >= 3, "found %d" % len(talk))
        at_line = None
        for command, shown in talk:
            out = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30, cwd=work).stdout
            ok, detail = matches(shown, out)
            check("README example: " + command, ok, detail)
            first = out.split("\n")[0]
            if command.startswith("printf \"IAMAT"):
                at_line = first
            elif command.startswith("printf 'WHATSAT") and at_line:
                check("the WHATSAT two hops away answers the record the IAMAT made (flooded)", first == at_line,
                      "IAMAT: %s\nWHATSAT: %s" % (at_line, first))
            time.sleep(1)

        # "<radius km, 0 < r <= 50> <bound 1-20>"
        for line, refused in (("WHATSAT kiwi.cs.ucla.edu 0 2", True), ("WHATSAT kiwi.cs.ucla.edu 50 2", False),
                              ("WHATSAT kiwi.cs.ucla.edu 50.1 2", True), ("WHATSAT kiwi.cs.ucla.edu 10 20", False),
                              ("WHATSAT kiwi.cs.ucla.edu 10 21", True), ("WHATSAT kiwi.cs.ucla.edu 10 0", True)):
            reply = ask(12205, line)
            check("README: %s is %s" % (line, "refused" if refused else "answered"),
                  reply.startswith("? ") == refused, reply[:200])

        # "Each server's live status page is at its port plus 1000"
        try:
            with urllib.request.urlopen("http://127.0.0.1:13205/", timeout=10) as r:
                page = r.status == 200
        except OSError as e:
            page = False
        check("README: Hill's status page answers at http://127.0.0.1:13205/", page)

        # "./herd cli Hill IAMAT ... does the same without it"
        out = subprocess.run([os.path.join(ROOT, "herd"), "cli", "Hill", "IAMAT", "cli.example", "+34.068930-118.445127",
                              "%.9f" % time.time()], capture_output=True, text=True, timeout=60, cwd=work, env=env).stdout
        check("README: ./herd cli Hill IAMAT ... answers as nc does",
              re.match(r"AT Hill [+-][0-9]+\.[0-9]{9} cli\.example \+34\.068930-118\.445127 [0-9]+\.[0-9]{9}$", out.strip()) is not None, out)
    finally:
        subprocess.run([os.path.join(ROOT, "herd"), "down"], cwd=work, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
        try:
            herd.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(herd.pid, 9)

    # The simulator example: "sends 61.0 messages per update where 19 would do"
    sim = section(text, "Herds of many servers")
    command = re.search(r"\n    (\./herd simulate [^\n]+)\n", sim).group(1)
    claimed = re.search(r"sends ([0-9.]+) messages per update where ([0-9]+) would do", sim)
    out = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=300, cwd=ROOT).stdout
    check("README example: " + command, claimed is not None and
          ("%s per update on the links (optimum %s)" % (claimed.group(1), claimed.group(2))) in out
          and "0 updates missing somewhere" in out, out)

    if failures:
        print("check-readme: %d claim(s) do not hold" % len(failures))
        sys.exit(1)
    print("check-readme: every example and claim checked holds")


if __name__ == "__main__":
    main()
