#!/usr/bin/env bash
# The nightly flows for one target year, for cron or a systemd timer:
#   ingest <incoming>/<year>.csv -> run (validate, train, gate, predict, check, evaluate) -> monitor
# Usage: loadcast-nightly.sh [YEAR]   (default: the current UTC year)
# Environment: LOADCAST_INCOMING (folder of the arriving yearly files, default
# /srv/loadcast/incoming), LOADCAST_CONFIG (config file, optional), LOADCAST_HORIZONS (default
# "day year"), LOADCAST_BINARY (default: loadcast on the PATH), and the backend variables
# LOADCAST_DATABASE_URL, LOADCAST_STORAGE_URL, LOADCAST_S3_ENDPOINT, AWS_*, PGPASSWORD.
# Exits with the first failing command's exit code (docs/operations.md, "Exit codes"): 3 and 4
# need a person, 1 and 5 may be retried.
set -euo pipefail

year="${1:-$(date -u +%Y)}"
incoming="${LOADCAST_INCOMING:-/srv/loadcast/incoming}"
loadcast=("${LOADCAST_BINARY:-loadcast}")
if [ -n "${LOADCAST_CONFIG:-}" ]; then loadcast+=(--config "$LOADCAST_CONFIG"); fi

file="$incoming/$year.csv"
if [ ! -f "$file" ]; then
  echo "loadcast-nightly: $file: the file of $year has not arrived" >&2
  exit 2
fi

"${loadcast[@]}" ingest "$file"
for horizon in ${LOADCAST_HORIZONS:-day year}; do
  "${loadcast[@]}" run --target-year "$year" --horizon "$horizon"
done
"${loadcast[@]}" monitor --target-year "$year"
