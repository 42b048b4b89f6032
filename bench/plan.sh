#!/usr/bin/env bash
# Benchmark `handover plan` end to end (CSV in, decisions and ledger out) on synthetic members.
#
#   bench/plan.sh             # 1 million and 10 million members
#   bench/plan.sh 200000      # other sizes
#   HANDOVER_BIN=/path/to/other/handover bench/plan.sh   # the same runs with another build
#
# Builds the release binary and the generator, writes the members files and ledgers under
# bench/out/ (git-ignored; about 1.4 GB for 10 million), runs each plan once under
# /usr/bin/time -v, and prints members per second and the peak resident set size. Targets on
# a 2-core machine: at least 500,000 members/s and under 100 MiB whatever the member count.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/lib.sh
need_tools bench/plan.sh time:/usr/bin/time

sizes=("$@")
((${#sizes[@]})) || sizes=(1000000 10000000)

cargo build --release --quiet --bin handover --example gen_members
bin=${HANDOVER_BIN:-target/release/handover}
out=bench/out
mkdir -p "$out"

printf '%-12s %10s %14s %14s\n' members seconds members/s "peak RSS MiB"
for n in "${sizes[@]}"; do
  members="$out/members-$n.csv"
  [[ -s $members ]] || target/release/examples/gen_members --rows "$n" --out "$members"
  case_file="$out/case-$n.yaml"
  sed -e "s|path: members.csv|path: members-$n.csv|" \
      -e "s|ledger: handover.db|ledger: ledger-$n.db|" \
      -e "s|\.\./\.\./policies/|../../policies/|" \
      examples/acquisition/handover.yaml > "$case_file"
  rm -f "$out/ledger-$n.db" "$out/ledger-$n.db-wal" "$out/ledger-$n.db-shm" "$out/ledger-$n.db.lock"
  /usr/bin/time -v -o "$out/time-$n.txt" "$bin" plan --case "$case_file" \
    --now 2026-12-01T09:00:00Z --out "$out/decisions-$n.csv" > "$out/summary-$n.txt"
  seconds=$(time_seconds "$out/time-$n.txt")
  rss_kb=$(time_rss_kb "$out/time-$n.txt")
  awk -v n="$n" -v s="$seconds" -v kb="$rss_kb" \
    'BEGIN { printf "%-12d %10.2f %14.0f %14.1f\n", n, s, n / s, kb / 1024 }'
done
