#!/usr/bin/env bash
# The launcher as a user runs it: ./herd up --config with a three-server topology, ./herd status while
# it runs, a server killed (the launcher stops the others and exits), ./herd status once all are down.
# Loopback only, ports 14101-14103 (admin 15101-15103, peers 16101-16103); every process it starts is stopped.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
launcher_pid=""
cleanup() {
    set +e
    if [ -n "$launcher_pid" ] && kill -0 "$launcher_pid" 2>/dev/null; then
        kill -TERM "$launcher_pid"
        for _ in $(seq 50); do kill -0 "$launcher_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    pkill -TERM -f "herd-server.jar [ABC] --config $work/trio.json" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
say() { echo "launcher: $*"; }
fail() { say "FAILED: $*"; echo "--- ./herd up said:"; cat "$work/up.out" 2>/dev/null; exit 1; }

cat >"$work/trio.json" <<'JSON'
{"servers": {"A": {"port": 14101, "peers": ["B"]}, "B": {"port": 14102, "peers": ["A", "C"]},
             "C": {"port": 14103, "peers": ["B"]}}}
JSON

cd "$root"
./herd up --config "$work/trio.json" --log-dir "$work/logs" >"$work/up.out" 2>&1 &
launcher_pid=$!

serving() { ./herd status --config "$work/trio.json" >"$work/status.out" 2>&1; }
for _ in $(seq 150); do serving && break; sleep 0.2; done
serving || fail "./herd status did not report all three serving within 30 s: $(cat "$work/status.out")"
grep -q "^A  *serving  *127.0.0.1:14101 .*B up$" "$work/status.out" || fail "unexpected status table: $(cat "$work/status.out")"
grep -q "^B  *serving .*A up, C up$" "$work/status.out" || fail "unexpected status table: $(cat "$work/status.out")"
grep -q "^\[A\] A listening on 127.0.0.1:14101, peers on 16101, status page http://127.0.0.1:15101/" "$work/up.out" \
    || fail "no prefixed start line for A"
say "./herd up started A, B, C; ./herd status shows them serving with their links up"

# One server dies: the launcher stops the others and exits.
pkill -TERM -f "herd-server.jar B --config $work/trio.json"
for _ in $(seq 100); do kill -0 "$launcher_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$launcher_pid" 2>/dev/null; then fail "the launcher still runs 10 s after B exited"; fi
grep -q "herd: a server exited; stopping the rest" "$work/up.out" || fail "the launcher did not say why it stopped"
grep -q "herd: stopped" "$work/up.out" || fail "the launcher did not say it stopped"
launcher_pid=""

set +e
./herd status --config "$work/trio.json" >"$work/status.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "./herd status exited $rc with every server down (expected 1)"
[ "$(grep -c ' DOWN ' "$work/status.out")" -eq 3 ] || fail "expected three DOWN rows: $(cat "$work/status.out")"
say "B killed: the launcher stopped A and C and exited; ./herd status reports all three DOWN (exit 1)"
say "PASSED"
