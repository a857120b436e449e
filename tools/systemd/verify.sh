#!/usr/bin/env bash
# Checks tools/systemd/herd@.service with systemd-analyze verify, as an instance (herd@Hill.service):
# fails on a fatal error and also on any warning about the file (systemd ignores a setting it cannot
# parse and carries on, exit 0). Skips itself, saying so, where systemd-analyze is missing. Run by .ci/run.
set -euo pipefail
unit="$(cd "$(dirname "$0")" && pwd)/herd@.service"
if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "systemd: no systemd-analyze here; the unit file is not checked"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$unit" "$work/herd@Hill.service"
status=0
out=$(cd "$work" && systemd-analyze verify ./herd@Hill.service 2>&1) || status=$?
warnings=$(printf '%s\n' "$out" | grep -F "herd@Hill.service" || true)
if [ "$status" -ne 0 ] || [ -n "$warnings" ]; then
    echo "systemd: tools/systemd/herd@.service does not verify (exit $status):"
    printf '%s\n' "$out"
    exit 1
fi
echo "systemd: tools/systemd/herd@.service verifies (systemd-analyze verify, as herd@Hill.service)"
