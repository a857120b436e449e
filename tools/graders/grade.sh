#!/usr/bin/env bash
# Runs a public grading script for this design against herd-server.jar, in a scratch copy.
#
#   tools/graders/grade.sh spring2020 GRADER_CHECKOUT   (CS131-TA-team/CS131-Project-Sample-Grading-Script)
#   tools/graders/grade.sh winter2022 GRADER_CHECKOUT   (ZhaoweiTan/CS131-Project-Sample-Grading-Script)
#
# GRADER_CHECKOUT is a checkout of the script's repository; it is copied, never changed. The copy gets
# this folder's server.py (which execs the jar) and the script's ports and links as herd.json; Places
# answers come from places_stand_in.py on 127.0.0.1:18999. The scripts run servers with "python3.8"
# (Spring 2020, whose asyncio calls need Python < 3.10) or "python3.10" (Winter 2022), so those must be
# on PATH; both import pandas without using it, so an empty stand-in module is put on PYTHONPATH when
# pandas is missing. Prints the script's output and a total. Needs lsof (the scripts stop servers with it).
set -euo pipefail
which=${1:?spring2020 or winter2022}
checkout=${2:?a checkout of the grading script}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar="$root/herd-server/target/herd-server.jar"
[ -f "$jar" ] || { echo "grade.sh: no $jar (mvn -B package)" >&2; exit 2; }
case "$which" in
    spring2020) python=python3.8 ;;
    winter2022) python=python3.10 ;;
    *) echo "grade.sh: spring2020 or winter2022" >&2; exit 2 ;;
esac
command -v "$python" >/dev/null || { echo "grade.sh: $python is not on PATH (the script runs it)" >&2; exit 2; }
command -v lsof >/dev/null || { echo "grade.sh: lsof is not installed (the script stops servers with it)" >&2; exit 2; }

work=$(mktemp -d)
stand_in=""
cleanup() {
    [ -n "$stand_in" ] && kill "$stand_in" 2>/dev/null || true
    pkill -f "$work/grader/sample_submission/herd-server.jar" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
cp -r "$checkout/." "$work/grader"
rm -rf "$work/grader/sample_submission/logs"
cp "$here/server.py" "$work/grader/sample_submission/server.py"
cp "$here/$which.json" "$work/grader/sample_submission/herd.json"
cp "$jar" "$work/grader/sample_submission/herd-server.jar"
if ! "$python" -c "import pandas" 2>/dev/null; then
    mkdir -p "$work/shim/pandas" && touch "$work/shim/pandas/__init__.py"
    export PYTHONPATH="$work/shim${PYTHONPATH:+:$PYTHONPATH}"
fi
python3 "$here/places_stand_in.py" 18999 &
stand_in=$!
export HERD_PLACES_URL=http://127.0.0.1:18999/maps/api/place/nearbysearch/json

cd "$work/grader"
# Into a file, not a pipe: the servers the script starts in the background inherit its output, and
# one it failed to stop would hold a pipe open.
"$python" client_basic.py >"$work/raw.txt" 2>&1 || true
grep -v "^nohup: \|^kill: \|^Usage:\|^ kill \|^Options:\|^ <pid>\|^ -\|^For more details\|^ *specify the\|^$" \
    "$work/raw.txt" >"$work/out.txt" || true
cat "$work/out.txt"
# A server the script failed to stop (its kill by port came before the server listened) is stopped here.
# The ones it did stop get 3 s to finish (a stopping server gives owed replies up to 0.5 s): one still
# running then was never sent SIGTERM.
for _ in $(seq 30); do
    pgrep -f "$work/grader/sample_submission/herd-server.jar" >/dev/null || break
    sleep 0.1
done
if pkill -f "$work/grader/sample_submission/herd-server.jar"; then
    echo "grade.sh: stopped a server the script left running"
fi
if [ "$which" = spring2020 ]; then
    awk '/score/ {split($NF, a, "/"); s += a[1]; n += a[2]} END {printf "total: %d/%d\n", s, n}' "$work/out.txt"
else
    printf 'total: %d/%d\n' "$(grep -o True "$work/out.txt" | wc -l)" "$(grep -o 'True\|False' "$work/out.txt" | wc -l)"
fi
# The servers' logs, kept for a look (trace.py reads them): $GRADE_LOGS/herd-NAME-logs, /tmp by default.
logs="${GRADE_LOGS:-/tmp}/herd-$which-logs"
rm -rf "$logs" && cp -r "$work/grader/sample_submission/logs" "$logs" && echo "logs: $logs"
