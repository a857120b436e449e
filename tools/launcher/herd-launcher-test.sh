#!/usr/bin/env bash
# The launcher as a user runs it, with a three-server topology: ./herd up supervises (a server killed is
# reported and restarted while the others serve; ./herd stop / start / kill one server; a second
# ./herd up and a taken port are refused with exit 3), ./herd status reads the herd, ./herd reload
# makes the servers read an edited file again, ./herd down ends it.
# Loopback only, ports 14101-14103 (admin 15101-15103, peers 16101-16103); every process it starts is stopped.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
export HERD_RUN_DIR="$work/run"
launcher_pid=""
blocker_pid=""
cleanup() {
    set +e
    if [ -n "$launcher_pid" ] && kill -0 "$launcher_pid" 2>/dev/null; then
        kill -TERM "$launcher_pid"
        for _ in $(seq 100); do kill -0 "$launcher_pid" 2>/dev/null || break; sleep 0.1; done
    fi
    [ -z "$blocker_pid" ] || kill "$blocker_pid" 2>/dev/null
    pkill -TERM -f "herd-server.jar [ABC] --config $work/trio.json" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
say() { echo "launcher: $*"; }
fail() { say "FAILED: $*"; echo "--- ./herd up said:"; cat "$work/up.out" 2>/dev/null; exit 1; }
# Waits up to $1 seconds for the command after it to succeed.
within() {
    local seconds=$1
    shift
    for _ in $(seq $((seconds * 5))); do "$@" && return 0; sleep 0.2; done
    return 1
}

cat >"$work/trio.json" <<'JSON'
{"servers": {"A": {"port": 14101, "peers": ["B"]}, "B": {"port": 14102, "peers": ["A", "C"]},
             "C": {"port": 14103, "peers": ["B"]}}}
JSON
trio=(--config "$work/trio.json")
cd "$root"

# A port that is taken: ./herd up says whose and exits 3 before it starts anything.
python3 -c 'import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 14102)); s.listen(); time.sleep(60)' &
blocker_pid=$!
within 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/14102' 2>/dev/null || fail "the port blocker did not listen"
set +e
./herd up "${trio[@]}" --log-dir "$work/logs" >"$work/refused.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 3 ] || fail "./herd up beside a taken port exited $rc (expected 3): $(cat "$work/refused.out")"
grep -q "^herd: not starting: something already listens on the port of B (127.0.0.1:14102)" "$work/refused.out" \
    || fail "unexpected refusal: $(cat "$work/refused.out")"
kill "$blocker_pid"; wait "$blocker_pid" 2>/dev/null || true; blocker_pid=""
say "a taken port: ./herd up names the server and the address, starts nothing and exits 3"

./herd up "${trio[@]}" --log-dir "$work/logs" >"$work/up.out" 2>&1 &
launcher_pid=$!

serving() { ./herd status "${trio[@]}" >"$work/status.out" 2>&1; }
within 30 serving || fail "./herd status did not report all three serving within 30 s: $(cat "$work/status.out")"
grep -q "^A  *serving  *127.0.0.1:14101 .*B up$" "$work/status.out" || fail "unexpected status table: $(cat "$work/status.out")"
grep -q "^\[A\] A listening on 127.0.0.1:14101, peers on 16101, status page http://127.0.0.1:15101/" "$work/up.out" \
    || fail "no prefixed start line for A"
say "./herd up started A, B, C; ./herd status shows them serving"

set +e
./herd up "${trio[@]}" >"$work/second.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 3 ] || fail "a second ./herd up exited $rc (expected 3)"
grep -q "^herd: a herd is already running from here (launcher pid $launcher_pid)" "$work/second.out" \
    || fail "unexpected answer to a second ./herd up: $(cat "$work/second.out")"
say "a second ./herd up beside it: one line, exit 3"

# A crash: the launcher says which server and how, restarts it, and the others never stop.
./herd kill B "${trio[@]}" >"$work/kill.out" || fail "./herd kill B failed: $(cat "$work/kill.out")"
within 10 grep -q "^herd: B was killed by SIGKILL after [0-9]*s; its last lines" "$work/up.out" || fail "the crash of B was not reported"
grep -q "^herd:   | B listening on 127.0.0.1:14102" "$work/up.out" || fail "B's last lines were not shown"
grep -q "^herd: restarting B in 1s (the others keep serving)" "$work/up.out" || fail "no restart announced"
kill -0 "$launcher_pid" || fail "the launcher exited when B was killed"
within 30 serving || fail "B did not serve again within 30 s: $(cat "$work/status.out")"
[ "$(grep -c '^\[A\] A listening' "$work/up.out")" -eq 1 ] || fail "A was restarted too"
say "./herd kill B: reported as killed by SIGKILL with its last lines, restarted after 1 s; A and C kept running"

# Stopped by hand: it stays stopped until ./herd start, the others serve.
./herd stop C "${trio[@]}" >"$work/stop.out" || fail "./herd stop C failed: $(cat "$work/stop.out")"
grep -q "^herd: C stopped; ./herd start C starts it again" "$work/stop.out" || fail "unexpected: $(cat "$work/stop.out")"
sleep 1.5 # longer than the first restart delay: C must not come back by itself
set +e
./herd status "${trio[@]}" >"$work/status.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "./herd status with C stopped exited $rc (expected 1)"
grep -q "^C  *DOWN" "$work/status.out" && grep -q "^A  *serving" "$work/status.out" && grep -q "^B  *serving" "$work/status.out" \
    || fail "expected A and B serving, C down: $(cat "$work/status.out")"
grep -q "^herd: C stopped (./herd stop): it exited with code 0" "$work/up.out" || fail "the launcher did not report C's stop"
./herd start C "${trio[@]}" >"$work/start.out" || fail "./herd start C failed: $(cat "$work/start.out")"
within 30 serving || fail "C did not serve again within 30 s: $(cat "$work/status.out")"
say "./herd stop C: C down and left down, A and B serving; ./herd start C: all three serving"

# ./herd reload: the file gains a link between A and C; each server reads it again on SIGHUP.
cat >"$work/trio.json" <<'JSON'
{"servers": {"A": {"port": 14101, "peers": ["B", "C"]}, "B": {"port": 14102, "peers": ["A", "C"]},
             "C": {"port": 14103, "peers": ["B", "A"]}}}
JSON
./herd reload "${trio[@]}" >"$work/reload.out" || fail "./herd reload failed: $(cat "$work/reload.out")"
grep -q "^herd: reload sent to A B C" "$work/reload.out" || fail "unexpected: $(cat "$work/reload.out")"
within 10 grep -q "A: topology reloaded; peers \[B, C\]; linking to \[C\]" "$work/logs/A.log" \
    || fail "A did not log the new link: $(grep -h reload "$work"/logs/*.log)"
within 10 grep -q "B: topology reloaded; peers \[A, C\] (unchanged)" "$work/logs/B.log" || fail "B did not log its reload"
say "./herd reload: A and C linked to each other from the edited file, B unchanged, all three serving"

./herd down "${trio[@]}" >"$work/down.out" || fail "./herd down failed: $(cat "$work/down.out")"
set +e
wait "$launcher_pid"
rc=$?
set -e
launcher_pid=""
[ "$rc" -eq 0 ] || fail "the launcher exited $rc after ./herd down (expected 0)"
grep -q "^herd: stopped" "$work/up.out" || fail "the launcher did not say it stopped"
if grep -q "Killed\|line [0-9]*:" "$work/up.out"; then fail "bash noise in the launcher's output"; fi
set +e
./herd status "${trio[@]}" >"$work/status.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "./herd status exited $rc with every server down (expected 1)"
[ "$(grep -c ' DOWN ' "$work/status.out")" -eq 3 ] || fail "expected three DOWN rows: $(cat "$work/status.out")"
say "./herd down: the launcher stopped all three and exited 0; ./herd status reports all three DOWN (exit 1)"
say "PASSED"
