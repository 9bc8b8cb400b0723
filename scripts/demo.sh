#!/usr/bin/env bash
# The demo: ingest the bundled data into the default local bucket, run the whole pipeline for the
# target years 2020 and 2021 on both horizons, and summarise the results.
set -euo pipefail
cd "$(dirname "$0")/.."
loadcast=${1:-build/loadcast}
years=(2020 2021)
horizons=(year day)

echo "== ingest the bundled data (data/italian-power-load/load.csv) into var/bucket"
"$loadcast" --log-level warn ingest data/italian-power-load/load.csv

# Outputs go outside var/: --out refuses the bucket and the database's folder.
mkdir -p out/forecasts
for year in "${years[@]}"; do
  for horizon in "${horizons[@]}"; do
    echo
    echo "== run --target-year $year --horizon $horizon"
    "$loadcast" --log-level warn run --target-year "$year" --horizon "$horizon" \
      --out "out/forecasts/${year}-${horizon}.csv"
  done
done

echo
echo "== summary: latest evaluation per target year and horizon"
echo "   (skill = 1 - MAPE / MAPE of the seasonal naive, same weekday 52 weeks earlier)"
"$loadcast" --log-level warn metrics
echo
echo "== alerts"
"$loadcast" --log-level warn alerts --limit 10
echo
echo "database:  $(pwd)/var/loadcast.db"
echo "bucket:    $(pwd)/var/bucket"
echo "forecasts: $(pwd)/out/forecasts/{2020,2021}-{year,day}.csv"
