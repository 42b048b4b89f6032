#!/usr/bin/env bash
# Benchmark `handover notify --outbox`: render and write the notices of synthetic members
# (one .eml, one text body, and a mail-merge CSV row each) after a plan.
#
#   bench/notify.sh             # 1 million members
#   bench/notify.sh 100000      # other sizes
#
# Builds the release binary and the generator, writes the members file, plans it (not timed),
# then runs `notify --outbox` once under /usr/bin/time -v and prints notices per second and
# the peak resident set size. Everything goes under bench/out/ (git-ignored; for 1 million
# members about 14 GB of small files: the outbox is deleted after the run). Target on a
# 2-core machine: at least 20,000 notices/s and under 100 MiB. Measured 2026-11-30 on the
# shared 2-core development machine (load average 5 to 7 from other builds), 1,000,000
# members, 854,637 notices: before the batch pipeline, 1,193 notices/s (701 s, peak RSS 79.2
# MiB; 119 s user + 106 s system, 32% CPU: waiting on a syncfs per batch of 2,048); after
# it, 3,974 notices/s (215 s, peak RSS 75.5 MiB; 93.6 s user + 92.4 s system, 86% CPU).
# 2026-12-02, 100,000 members (85,432 notices), one planned ledger copied before each run,
# each run into a new folder (the kernel's inode allocator slows down for minutes after a
# large rm -rf): writing new notices in place instead of through a temporary file and a
# rename, two pairs: 17.28 / 17.20 s -> 14.86 / 15.57 s (about 4,950 -> 5,600 notices/s;
# system time 18.5 / 18.3 -> 14.1 / 14.9 s; user 9.0 s both; peak RSS 72 MiB); on tmpfs
# 6.8-7.0 -> 6.1-7.0 s (about 12,000-14,000 notices/s).
# Still short of the target: about half the CPU time is the kernel creating two files of
# about 4.5 KB each per notice (the documented layout), and the run writes about 14 GB.
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/lib.sh
need_tools bench/notify.sh time:/usr/bin/time

sizes=("$@")
((${#sizes[@]})) || sizes=(1000000)

cargo build --release --quiet --bin handover --example gen_members
out=bench/out
mkdir -p "$out"
now=2026-12-01T09:00:00Z

printf '%-12s %10s %12s %14s %14s\n' members notices seconds notices/s "peak RSS MiB"
for n in "${sizes[@]}"; do
  members="$out/members-$n.csv"
  [[ -s $members ]] || target/release/examples/gen_members --rows "$n" --out "$members"
  case_file="$out/notify-case-$n.yaml"
  rm -rf "$out/templates" && cp -r examples/acquisition/templates "$out/templates"
  sed -e "s|path: members.csv|path: members-$n.csv|" \
      -e "s|ledger: handover.db|ledger: notify-ledger-$n.db|" \
      examples/acquisition/handover.yaml > "$case_file"
  rm -f "$out/notify-ledger-$n.db"*
  target/release/handover plan --case "$case_file" --now "$now" > /dev/null
  rm -rf "$out/outbox-$n"
  /usr/bin/time -v -o "$out/notify-time-$n.txt" target/release/handover notify --case "$case_file" \
    --now "$now" --outbox "$out/outbox-$n" > "$out/notify-summary-$n.txt"
  notices=$(($(wc -l < "$out/outbox-$n/mail-merge.csv") - 1))
  seconds=$(time_seconds "$out/notify-time-$n.txt")
  rss_kb=$(time_rss_kb "$out/notify-time-$n.txt")
  awk -v n="$n" -v k="$notices" -v s="$seconds" -v kb="$rss_kb" \
    'BEGIN { printf "%-12d %10d %12.2f %14.0f %14.1f\n", n, k, s, k / s, kb / 1024 }'
  rm -rf "$out/outbox-$n"
done
