#!/usr/bin/env bash
# The herd across separate network addresses: each of the five servers runs in a network namespace
# of its own, with its own address, joined to its peers by veth pairs that follow the herd's links
# (no other routes, so Hill cannot reach Campbell but through the herd). The test checks that an
# IAMAT at Hill reaches the farthest servers, cuts the Hill-Smith link (ip link set down), checks
# the herd routes around it and that both ends report the link down, restores it, checks the link
# carries updates again (by cutting Hill's other link for a moment), and removes every namespace it
# made, whatever happens.
#
# Needs root (ip netns) and herd-server/target/herd-server.jar. Without root, or where namespaces
# cannot be made, it says so and exits 0 (skipped). Exit 1 on a failed check.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/herd-server/target/herd-server.jar"
names=(Hill Jaquez Smith Campbell Singleton)
declare -A addr=([Hill]=10.77.0.1 [Jaquez]=10.77.0.2 [Smith]=10.77.0.3 [Campbell]=10.77.0.4 [Singleton]=10.77.0.5)
declare -A port=([Hill]=12205 [Jaquez]=12206 [Smith]=12207 [Campbell]=12208 [Singleton]=12209)
# Where each admin endpoint listens: on the server's address, but Singleton's only on its own
# loopback ("admin_host" in the config), as an operator keeps it off the network.
declare -A admin_addr=([Hill]=10.77.0.1 [Jaquez]=10.77.0.2 [Smith]=10.77.0.3 [Campbell]=10.77.0.4 [Singleton]=127.0.0.1)
links=("Hill Jaquez" "Hill Smith" "Jaquez Singleton" "Smith Campbell" "Smith Singleton" "Campbell Singleton")
tag="herd$$"

say() { echo "netns: $*"; }
skip() { say "SKIPPED: $*"; exit 0; }
fail() { say "FAILED: $*"; show_logs; exit 1; }

if [ "$(id -u)" -ne 0 ]; then skip "needs root for ip netns"; fi
command -v ip >/dev/null || skip "no ip command (Debian package iproute2)"
[ -f "$jar" ] || { say "no $jar: build it first (mvn -B -q install -DskipTests)"; exit 1; }
if ! ip netns add "$tag-probe" 2>/dev/null; then skip "this machine does not let root make network namespaces"; fi
ip netns del "$tag-probe"

work=$(mktemp -d)
pids=()
ns() { echo "$tag-${1,,}"; }                  # the namespace of a server
dev() { echo "to-${1,,}"; }                   # the veth that leads to a server

cleanup() {
    set +e
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
    done
    wait 2>/dev/null
    for name in "${names[@]}"; do ip netns del "$(ns "$name")" 2>/dev/null; done
    left=$(ip netns list | grep -c "^$tag-" || true)
    [ "$left" -eq 0 ] && say "removed every namespace it made" || say "WARNING: $left namespaces left behind"
    rm -rf "$work"
}
trap cleanup EXIT

show_logs() {
    for name in "${names[@]}"; do
        echo "--- $name.log (last lines)"; tail -n 15 "$work/logs/$name.log" 2>/dev/null || true
        tail -n 3 "$work/$name.out" 2>/dev/null || true
    done
}

# One protocol line to a server, from inside a namespace; prints the first line of the reply.
herd_line() { # from-server to-server line
    ip netns exec "$(ns "$1")" timeout 5 bash -c \
        'exec 3<>"/dev/tcp/$0/$1" && printf "%s\n" "$2" >&3 && IFS= read -r -t 4 reply <&3 && printf "%s\n" "$reply"' \
        "${addr[$2]}" "${port[$2]}" "$3" 2>/dev/null || true
}

# GET a path of a server's admin endpoint, from inside its namespace; prints the body.
admin_get() { # server path
    ip netns exec "$(ns "$1")" timeout 5 bash -c \
        'exec 3<>"/dev/tcp/$0/$1" && printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$0" >&3 && sed "1,/^\r$/d" <&3' \
        "${admin_addr[$1]}" "$((port[$1] + 1000))" "$2" 2>/dev/null || true
}

wait_for() { # seconds description command...
    local seconds=$1 what=$2; shift 2
    for _ in $(seq $((seconds * 10))); do
        if "$@"; then return 0; fi
        sleep 0.1
    done
    fail "$what (waited ${seconds} s)"
}

# --- the network: a namespace and an address per server, a veth pair per link
for name in "${names[@]}"; do
    ip netns add "$(ns "$name")"
    ip -n "$(ns "$name")" link set lo up
    ip -n "$(ns "$name")" addr add "${addr[$name]}/32" dev lo
done
i=0
for link in "${links[@]}"; do
    read -r a b <<<"$link"
    i=$((i + 1))
    ip link add "$tag-$i-a" type veth peer name "$tag-$i-b"
    ip link set "$tag-$i-a" netns "$(ns "$a")"
    ip link set "$tag-$i-b" netns "$(ns "$b")"
    ip -n "$(ns "$a")" link set "$tag-$i-a" name "$(dev "$b")"
    ip -n "$(ns "$b")" link set "$tag-$i-b" name "$(dev "$a")"
done
route_link() { # a b: bring up a's end of the a-b link and its route to b
    ip -n "$(ns "$1")" link set "$(dev "$2")" up
    ip -n "$(ns "$1")" route replace "${addr[$2]}/32" dev "$(dev "$2")" src "${addr[$1]}"
}
for link in "${links[@]}"; do
    read -r a b <<<"$link"
    route_link "$a" "$b"
    route_link "$b" "$a"
done
say "made 5 namespaces, 6 veth links: $(for n in "${names[@]}"; do printf '%s=%s ' "$n" "${addr[$n]}"; done)"

# Real separation: Hill has no route to Campbell.
if ip netns exec "$(ns Hill)" timeout 2 bash -c "exec 3<>/dev/tcp/${addr[Campbell]}/${port[Campbell]}" 2>/dev/null; then
    fail "Hill reached Campbell directly; the namespaces are not separate"
fi

# --- the herd: a config naming those addresses, one server per namespace
{
    echo '{"servers": {'
    sep=""
    for name in "${names[@]}"; do
        peers=""
        for link in "${links[@]}"; do
            read -r a b <<<"$link"
            [ "$a" = "$name" ] && peers="$peers\"$b\", "
            [ "$b" = "$name" ] && peers="$peers\"$a\", "
        done
        printf '%s  "%s": {"host": "%s", "port": %s, "peers": [%s], "admin_host": "%s"}' "$sep" "$name" "${addr[$name]}" \
            "${port[$name]}" "${peers%, }" "${admin_addr[$name]}"
        sep=$',\n'
    done
    printf '\n}}\n'
} >"$work/herd.json"
say "config: $(tr -d '\n' <"$work/herd.json")"
# The servers listen beyond loopback, where a server refuses to start without a herd secret.
HERD_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export HERD_SECRET
for name in "${names[@]}"; do
    ip netns exec "$(ns "$name")" java -Xmx256m -jar "$jar" "$name" --config "$work/herd.json" \
        --log-dir "$work/logs" --io-threads 2 >"$work/$name.out" 2>&1 &
    pids+=($!)
done

all_links_up() {
    for name in "${names[@]}"; do
        local health; health=$(admin_get "$name" /health)
        [[ "$health" == *'"status":"serving"'* && "$health" != *'"down"'* ]] || return 1
    done
}
wait_for 60 "every server serving with every link up" all_links_up
say "five servers up in their namespaces, every link up"
if ip netns exec "$(ns Singleton)" timeout 2 bash -c "exec 3<>/dev/tcp/${addr[Singleton]}/$((port[Singleton] + 1000))" 2>/dev/null; then
    fail "Singleton's admin endpoint answers on ${addr[Singleton]}; admin_host says 127.0.0.1 only"
fi
say "Singleton's admin endpoint answers on its loopback only, as its admin_host says"

# --- an IAMAT at Hill reaches the farthest servers (two hops: Campbell and Singleton)
at=$(herd_line Hill Hill "IAMAT kiwi +34.068930-118.445127 1621464827.959498503")
[[ "$at" == "AT Hill "*" kiwi +34.068930-118.445127 1621464827.959498503" ]] || fail "Hill answered '$at'"
holds() { # server client line: the server's WHATSAT names the line
    [ "$(herd_line "$1" "$1" "WHATSAT $2 10 1")" = "$3" ]
}
for far in Campbell Singleton; do
    wait_for 10 "$far to hold Hill's record" holds "$far" kiwi "$at"
done
say "an IAMAT at Hill reached Campbell and Singleton, two links away"

# --- cut Hill-Smith: the herd routes around it
ip -n "$(ns Hill)" link set "$(dev Smith)" down
if ip netns exec "$(ns Hill)" timeout 2 bash -c "exec 3<>/dev/tcp/${addr[Smith]}/${port[Smith]}" 2>/dev/null; then
    fail "Hill still reaches Smith with the link down"
fi
at=$(herd_line Hill Hill "IAMAT owl +34.0522-118.2437 1621464900")
for name in Smith Campbell Singleton Jaquez; do
    wait_for 10 "$name to hold owl's record with Hill-Smith cut" holds "$name" owl "$at"
done
say "with Hill-Smith down, an IAMAT at Hill reached Smith the long way (Jaquez, Singleton)"
at=$(herd_line Smith Smith "IAMAT fox +51.5074-0.1278 1621465000")
wait_for 10 "Hill to hold fox's record with Hill-Smith cut" holds Hill fox "$at"
say "and an IAMAT at Smith reached Hill the long way"
# TCP alone would not notice the dead path for many minutes; the links' probes do within seconds.
link_down() { [[ "$(admin_get Hill /health)" == *'"Smith":"down"'* && "$(admin_get Smith /health)" == *'"Hill":"down"'* ]]; }
wait_for 30 "Hill and Smith to report their link down" link_down
say "Hill and Smith each report the link down (their probes went unanswered)"

# --- restore it: the link carries updates again. To be sure they take it, cut Hill-Jaquez for a
# moment: Hill's only way out is then Smith.
route_link Hill Smith
ip -n "$(ns Hill)" link set "$(dev Jaquez)" down
at=$(herd_line Hill Hill "IAMAT owl +34.0522-118.2437 1621464999")
for name in Smith Campbell Singleton Jaquez; do
    wait_for 60 "$name to hold owl's newest record through the restored Hill-Smith link" holds "$name" owl "$at"
done
route_link Hill Jaquez
wait_for 60 "every link up again" all_links_up
say "Hill-Smith restored: with Hill-Jaquez down for a moment, an IAMAT at Hill reached everyone through it"
say "PASSED"
