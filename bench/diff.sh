#!/usr/bin/env bash
# Times `handover diff` against `git diff --no-index --word-diff` on two generated
# ~20,000-word policies (bench/gen_policy.py), and prints the medians and the ratio.
#
#   bench/diff.sh                 # 30 runs of each command
#   RUNS=100 SEED=7 WORDS=40000 bench/diff.sh
#
# Uses hyperfine when it is installed, else a small Python timing loop (interleaved runs,
# after warm-up). Installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-30}
seed=${SEED:-1}
words=${WORDS:-20000}
out=bench/out

python3 bench/gen_policy.py --seed "$seed" --words "$words" --out "$out"
cargo build --release --locked --quiet
bin=target/release/handover
old=$out/old.md
new=$out/new.md

# The commands, as label and argv; all output goes to /dev/null.
labels=("handover text" "handover json" "git word-diff")
commands=(
  "$bin diff $old $new --format text -o /dev/null"
  "$bin diff $old $new --format json -o /dev/null"
  "git diff --no-index --word-diff $old $new"
)

# Older builds renamed a temporary file over the -o path, which turns /dev/null into a
# regular file when run as root; refuse to time such a build.
"$bin" diff "$old" "$new" --format text -o /dev/null
if [[ ! -c /dev/null ]]; then
  echo "bench/diff.sh: $bin replaced /dev/null with a regular file; restore it" \
    "(rm /dev/null && mknod -m 666 /dev/null c 1 3) and rebuild from a fixed tree" >&2
  exit 2
fi

"$bin" diff "$old" "$new" --format json -o "$out/diff.json"
python3 - "$out/diff.json" <<'EOF'
import collections, json, sys
diff = json.load(open(sys.argv[1]))
kinds = collections.Counter(c["kind"] for c in diff["text_changes"])
print("handover found:", ", ".join("%d %s" % (n, k) for k, n in sorted(kinds.items())))
EOF

if command -v hyperfine >/dev/null; then
  echo "timing with hyperfine, $runs runs each"
  # -N: no intermediate shell; -i: git diff exits 1 when the files differ.
  hyperfine -N -i --warmup 3 --runs "$runs" --export-json "$out/times.json" \
    "${commands[@]}" >/dev/null
  timing_source=hyperfine
else
  echo "hyperfine not found; timing with a Python loop, $runs runs each"
  timing_source=python
fi

python3 - "$timing_source" "$runs" "$out/times.json" "${labels[@]}" -- "${commands[@]}" <<'EOF'
import json, shlex, statistics, subprocess, sys, time

source, runs, times_json = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rest = sys.argv[4:]
split = rest.index("--")
labels, commands = rest[:split], rest[split + 1:]

if source == "hyperfine":
    results = json.load(open(times_json))["results"]
    samples = [r["times"] for r in results]
else:
    argvs = [shlex.split(c) for c in commands]
    def once(argv):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start
    for argv in argvs:          # warm-up: page cache, CPU frequency
        for _ in range(3):
            once(argv)
    samples = [[] for _ in argvs]
    for _ in range(runs):       # interleaved, so noise hits every command alike
        for k, argv in enumerate(argvs):
            samples[k].append(once(argv))

medians = [statistics.median(s) for s in samples]
for label, command, s, m in zip(labels, commands, samples, medians):
    print("%-14s median %7.1f ms  (min %7.1f, max %7.1f, n=%d)  %s"
          % (label, m * 1e3, min(s) * 1e3, max(s) * 1e3, len(s), command))
git = medians[-1]
for label, m in zip(labels[:-1], medians[:-1]):
    print("ratio %s / git: %.2f" % (label, m / git))
EOF
