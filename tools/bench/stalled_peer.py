#!/usr/bin/env python3
"""A peer frozen (SIGSTOP) while a burst goes to its neighbour, then resumed: how long until the two
stores agree. Usage: PAD=200 tools/bench/stalled_peer.py JAR [IAMATS]. PAD lengthens client ids
(bytes past what the sockets buffer make the link queue overflow); WAIT caps the wait (s); JAVA_OPTS
goes to both servers' JVMs (e.g. -Dherd.lineLog=off); WARM=N first sends N IAMATs with B running, so
that both servers are warm (as long-running ones are) when B freezes; KILL=1 kills B (-9) instead and
starts it again, empty, after the same 6 s."""
import json, os, signal, socket, subprocess, sys, threading, time, urllib.request
jar = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 48000
d = '/tmp/herd-stalled-peer'
import shutil; shutil.rmtree(d, ignore_errors=True); os.makedirs(d)
cfg = {"servers": {"A": {"host": "127.0.0.1", "port": 23100, "peers": ["B"]},
                   "B": {"host": "127.0.0.1", "port": 23101, "peers": ["A"]}}}
open(d + '/herd.json', 'w').write(json.dumps(cfg))
def start(name):
    return subprocess.Popen(['java'] + os.environ.get('JAVA_OPTS', '').split() + ['-jar', jar, name, '--config',
                            d + '/herd.json', '--log-dir', d + '/logs'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
procs = {name: start(name) for name in 'AB'}
kill = os.environ.get('KILL') == '1'  # B killed (-9) and started again, empty, instead of frozen
what = 'its restart' if kill else 'SIGCONT'
def records(port):
    with urllib.request.urlopen('http://127.0.0.1:%d/status' % (port + 1000), timeout=2) as r:
        return json.load(r)['records']
try:
    deadline = time.time() + 30
    while True:
        try:
            if records(23100) == 0 and records(23101) == 0: break
        except Exception: pass
        time.sleep(0.2)
    time.sleep(1)
    warm = int(os.environ.get('WARM', '0'))
    pad = b'x' * int(os.environ.get('PAD', '0'))
    if warm:  # both servers warmed up (as a server that has been running is) before the freeze
        w = socket.create_connection(('127.0.0.1', 23100))
        threading.Thread(target=lambda: w.sendall(b''.join(b'IAMAT w%d%s +34.068930-118.445127 %d.5\n'
                                                           % (i, pad, 1621464827 + i) for i in range(warm)))).start()
        f = w.makefile('rb')
        for _ in range(warm): f.readline()
        while records(23101) < warm: time.sleep(0.1)
        w.close()
    s = socket.create_connection(('127.0.0.1', 23100))
    got = [0]
    def reader():
        f = s.makefile('rb')
        while got[0] < n and f.readline(): got[0] += 1
    t = threading.Thread(target=reader); t.start()
    os.kill(procs['B'].pid, signal.SIGKILL if kill else signal.SIGSTOP)
    t0 = time.time()
    data = b''.join(b'IAMAT c%d%s +34.068930-118.445127 %d.5\n' % (i, pad, 1621464827 + i) for i in range(n))
    s.sendall(data)
    t.join()
    print('A answered %d IAMATs in %.2f s with B stopped' % (got[0], time.time() - t0))
    time.sleep(max(0, 6 - (time.time() - t0)))
    if kill:
        procs['B'].wait()
        procs['B'] = start('B')
    else:
        os.kill(procs['B'].pid, signal.SIGCONT)
    cont = time.time()
    a = b = -1
    while True:
        try: a, b = records(23100), records(23101)
        except Exception: pass
        if a == b == n + warm or time.time() - cont > float(os.environ.get('WAIT', '60')): break
        time.sleep(0.05)
    equal = time.time()
    print('B back after %.1f s; A %d, B %d records; equal %.2f s after %s' % (cont - t0, a, b, equal - cont, what))
    log = open(d + '/logs/A.log').read()
    print('A overflowed: %s; compared stores: %s' % ('dropping them' in log, 'comparing stores' in log))
    import datetime
    for line in log.splitlines():
        if 'comparing stores' in line:
            at = datetime.datetime.fromisoformat(line.split()[0].replace('Z', '+00:00')).timestamp()
            if at >= cont:
                print('comparison started %.2f s after %s (once B read again); stores equal %.2f s after that'
                      % (at - cont, what, equal - at))
finally:
    for p in procs.values():
        try: os.kill(p.pid, signal.SIGCONT)
        except Exception: pass
        p.terminate(); p.wait()
