#!/usr/bin/env bash
# A/B of two server jars, as shipped (line log on), alternating A B / B A so drift hits both alike.
#
#   tools/bench/ab.sh OLD.jar NEW.jar [PAIRS] [WARM_SECONDS]
#
# Each run starts a fresh `java -jar JAR Hill`, drives it with herdload (50 connections, pipeline 16)
# for WARM seconds unmeasured, then 8 s measured, and prints: label, IAMAT/s, the server's CPU per
# reply (us, all threads, from /proc) and its C2 compiler's CPU in the window (ticks). With two or
# more CPUs the server is pinned to CPU 1 and herdload to CPU 0, so the jars are compared on one core
# each rather than on whatever herdload leaves them (unpinned, the spread between runs hid a 10%
# difference). Ends with the pairwise ratio new/old and its 95% interval.
#
# herdload: $HERDLOAD, else built from ../shared/bench/herdload.c into a temporary folder.
set -euo pipefail
old=${1:?usage: ab.sh OLD.jar NEW.jar [PAIRS] [WARM_SECONDS]}
new=${2:?usage: ab.sh OLD.jar NEW.jar [PAIRS] [WARM_SECONDS]}
pairs=${3:-6}
warm=${4:-20}
port=12205
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
herdload=${HERDLOAD:-}
if [[ -z $herdload ]]; then
  herdload=$work/herdload
  cc -O2 -o "$herdload" "$here/../shared/bench/herdload.c" -lpthread
fi
server_cpu=() load_cpu=()
if (( $(nproc) >= 2 )); then server_cpu=(taskset -c 1); load_cpu=(taskset -c 0); fi

ticks() { # thread-name-pattern pid: CPU ticks of the matching threads
  local sum=0 t
  for t in /proc/$2/task/*; do
    if [[ $(cat "$t/comm" 2>/dev/null) =~ $1 ]]; then sum=$((sum + $(awk '{print $14+$15}' "$t/stat"))); fi
  done
  echo $sum
}

run() { # jar label
  local logs=$work/logs-$2 out t0 c0 t1 c1 replies rps
  mkdir -p "$logs"
  "${server_cpu[@]}" java -jar "$1" Hill --admin-port off --log-dir "$logs" > "$logs/out" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
  "${load_cpu[@]}" "$herdload" --port $port --conns 50 --pipeline 16 --duration "$warm" --server-name Hill > /dev/null 2>&1
  t0=$(ticks . $pid); c0=$(ticks C2 $pid)
  out=$("${load_cpu[@]}" "$herdload" --port $port --conns 50 --pipeline 16 --duration 8 --server-name Hill 2>&1 | grep RESULT)
  t1=$(ticks . $pid); c1=$(ticks C2 $pid)
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$logs"
  replies=$(grep -oE 'replies=[0-9]+' <<< "$out" | cut -d= -f2); rps=$(grep -oE 'rps=[0-9]+' <<< "$out" | cut -d= -f2)
  echo "$2 $rps $(python3 -c "print('%.2f' % (($t1 - $t0) * 1e6 / $(getconf CLK_TCK) / $replies))") $((c1 - c0))"
  sleep 1
}

echo "label IAMAT/s cpu_us_per_reply c2_ticks   (warm-up $warm s, 8 s measured, pinned: ${server_cpu[*]:-no})"
for p in $(seq "$pairs"); do
  if (( p % 2 )); then run "$old" old; run "$new" new; else run "$new" new; run "$old" old; fi
done | tee "$work/runs"
python3 - "$work/runs" <<'EOF'
import statistics as st, sys
rows = [l.split() for l in open(sys.argv[1])]
for col, name in ((1, "IAMAT/s"), (2, "CPU per reply")):
    old = [float(r[col]) for r in rows if r[0] == "old"]
    new = [float(r[col]) for r in rows if r[0] == "new"]
    d = [n / o - 1 for o, n in zip(old, new)]
    half = 2.1 * st.stdev(d) / len(d) ** 0.5 if len(d) > 1 else float("nan")
    print(f"{name}: old median {st.median(old):.6g}, new median {st.median(new):.6g}; "
          f"new/old pairwise {st.mean(d):+.1%} (95% interval {st.mean(d) - half:+.1%} .. {st.mean(d) + half:+.1%})")
EOF
