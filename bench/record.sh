#!/usr/bin/env bash
# Benchmark `handover record` (ingest) on generated provider events.
#
#   bench/record.sh              # 1 million events, SES JSON lines and the generic CSV
#   bench/record.sh 200000       # other sizes
#
# Builds the release binary and the generators, plans 1 million generated members
# (examples/gen_members), stands in for `handover notify` (examples/gen_events inserts one
# notice per email member and records `sent`), writes N events, then runs `handover record`
# once under /usr/bin/time -v and once more on the same file (every event a replay). Prints
# events per second and the peak resident set size. Files go under bench/out/ (git-ignored).
# Targets on a 2-core machine: at least 200,000 events/s and under 100 MiB. Measured
# 2026-11-30 on the shared 2-core development machine (load average 5 to 6), 1,000,000
# events: ses 33,080 events/s (23.0 CPU s, 43,403 events per CPU second), its replay
# 54,259/s; csv 26,028/s (26.7 CPU s, 37,481 per CPU second), its replay 92,593/s; peak RSS
# 81.0 MiB. With the journal copied back every 16,384 pages instead of 1,000 (same machine,
# quieter, 2026-11-30 16:00): ses 46,104 events/s (20.9 CPU s), its replay 82,919/s; csv
# 33,829/s (25.6 CPU s), its replay 100,200/s; peak RSS 81.3 MiB. Still short of the target:
# most of the time is SQLite keeping the evidence indexes (random dedupe keys and
# Message-IDs) and the member states, one event at a time, in file order.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/lib.sh
need_tools bench/record.sh time:/usr/bin/time

sizes=("$@")
((${#sizes[@]})) || sizes=(1000000)
members=1000000

cargo build --release --quiet --bin handover --example gen_members --example gen_events
out=bench/out/record
mkdir -p "$out"
[[ -s $out/members.csv ]] || target/release/examples/gen_members --rows "$members" --out "$out/members.csv"

# On a shared machine the wall clock measures the neighbours too: the CPU time (user +
# system) of the run is printed beside it, and the rate per CPU second.
run() { # label file format
  local time="$out/time-$1-$n.txt"
  /usr/bin/time -v -o "$time" target/release/handover record --case "$case_file" \
    --now 2026-12-03T09:00:00Z --format "$3" "$2" > "$out/summary-$1-$n.txt"
  seconds=$(time_seconds "$time")
  cpu=$(time_cpu "$time")
  rss_kb=$(time_rss_kb "$time")
  awk -v l="$1" -v n="$n" -v s="$seconds" -v c="$cpu" -v kb="$rss_kb" \
    'BEGIN { printf "%-16s %9d %9.2f %11.0f %9.2f %13.0f %13.1f\n", l, n, s, n / s, c, n / c, kb / 1024 }'
}

printf '%-16s %9s %9s %11s %9s %13s %13s\n' run events wall-s events/s cpu-s events/cpu-s "peak RSS MiB"
for n in "${sizes[@]}"; do
  for format in ses csv; do
    case_file="$out/case-$format.yaml"
    ledger="$out/ledger-$format.db"
    sed -e "s|path: members.csv|path: members.csv|" \
        -e "s|ledger: handover.db|ledger: ledger-$format.db|" \
        -e "s|\.\./\.\./policies/|../../../policies/|" \
        examples/acquisition/handover.yaml > "$case_file"
    rm -f "$ledger" "$ledger-wal" "$ledger-shm"
    target/release/handover plan --case "$case_file" --now 2026-12-01T09:00:00Z > /dev/null
    ext=jsonl; [[ $format == csv ]] && ext=csv
    events="$out/events-$n.$ext"
    target/release/examples/gen_events --ledger "$ledger" --members "$out/members.csv" \
      --events "$n" --format "$format" --out "$events"
    run "$format" "$events" "$format"
    run "$format-replay" "$events" "$format"
  done
done
