#!/usr/bin/env bash
# Benchmark `handover export` beside `age` encrypting the same members CSV, in the same run.
#
#   bench/export.sh             # 1 million and 10 million members
#   bench/export.sh 200000      # other sizes
#
# For each size: generates the members file (examples/gen_members), plans it, marks every
# member told (examples/bench_told: a shortcut around `handover record`), signs off, then
# times `handover export` (one X25519 recipient, after the notice window) and `age -r` on
# the members file, each once under /usr/bin/time -v. Prints plaintext MB/s (the members
# file's bytes over wall time), CPU seconds (user + system) and peak RSS for both, and the
# ratios of wall and CPU time (CPU time is the fairer figure on a busy machine). Targets on
# a 2-core machine: export at least 60% of age's throughput, under 100 MiB whatever the
# count.
# Files go under bench/out/ (git-ignored; about 2 GB for 10 million, plus the bundles, and
# while it runs the export's temporary files: about 2 GB more).
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/lib.sh
need_tools bench/export.sh time:/usr/bin/time age:age

sizes=("$@")
((${#sizes[@]})) || sizes=(1000000 10000000)

cargo build --release --quiet --bin handover --example gen_members --example bench_told
out=bench/out
mkdir -p "$out"
key="$out/export-bench.key"
[[ -s $key ]] || age-keygen -o "$key" 2>/dev/null
recipient=$(age-keygen -y "$key")

rss_mib() { awk -v kb="$(time_rss_kb "$1")" 'BEGIN { printf "%.1f", kb / 1024 }'; }

printf '%-10s %-8s %9s %9s %9s %9s %12s\n' members tool MB seconds MB/s "CPU s" "peak RSS MiB"
for n in "${sizes[@]}"; do
  members="$out/members-$n.csv"
  [[ -s $members ]] || target/release/examples/gen_members --rows "$n" --out "$members"
  case_file="$out/export-case-$n.yaml"
  sed -e "s|path: members.csv|path: members-$n.csv|" \
      -e "s|ledger: handover.db|ledger: export-ledger-$n.db|" \
      examples/acquisition/handover.yaml > "$case_file"
  ledger="$out/export-ledger-$n.db"
  rm -f "$ledger" "$ledger-wal" "$ledger-shm" "$out/export-$n".* "$out/age-$n.age"
  hv=(target/release/handover)
  "${hv[@]}" plan --case "$case_file" --now 2026-12-01T09:00:00Z > /dev/null
  target/release/examples/bench_told "$ledger" > /dev/null
  "${hv[@]}" signoff --case "$case_file" --now 2026-12-01T09:00:00Z --by "Benchmark" > /dev/null
  # Both read the members file from the page cache.
  cat "$members" > /dev/null
  /usr/bin/time -v -o "$out/time-export-$n.txt" "${hv[@]}" export --case "$case_file" \
    --now 2027-02-01T00:00:00Z --partial -r "$recipient" --out "$out/export-$n.handover.age" > "$out/export-$n.txt"
  /usr/bin/time -v -o "$out/time-age-$n.txt" age -r "$recipient" -o "$out/age-$n.age" "$members"
  mb=$(awk -v b="$(stat -c %s "$members")" 'BEGIN { printf "%.1f", b / 1e6 }')
  for tool in export age; do
    s=$(time_seconds "$out/time-$tool-$n.txt")
    cpu=$(time_cpu "$out/time-$tool-$n.txt")
    awk -v n="$n" -v t="$tool" -v mb="$mb" -v s="$s" -v cpu="$cpu" \
      -v rss="$(rss_mib "$out/time-$tool-$n.txt")" \
      'BEGIN { printf "%-10d %-8s %9.1f %9.2f %9.1f %9.2f %12s\n", n, t, mb, s, mb / s, cpu, rss }'
  done
  awk -v a="$(time_seconds "$out/time-age-$n.txt")" -v e="$(time_seconds "$out/time-export-$n.txt")" \
    -v ac="$(time_cpu "$out/time-age-$n.txt")" -v ec="$(time_cpu "$out/time-export-$n.txt")" \
    'BEGIN { printf "%-10s export throughput = %.1f%% of age (CPU time: %.1f%%)\n", "", 100 * a / e, 100 * ac / ec }'
  rm -f "$out/age-$n.age"
done
