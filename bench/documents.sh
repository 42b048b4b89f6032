#!/usr/bin/env bash
# Times reading the document formats and writing the document reports, on two generated
# ~20,000-word policies (bench/gen_policy.py) made into HTML and Word by pandoc and into PDF
# by LibreOffice headless:
#   - `handover convert` of the new policy as Markdown, HTML, .docx and PDF;
#   - `handover diff old.md new.pdf` (a PDF on one side), and `diff --format html` and
#     `--format docx` of the Markdown pair.
# Prints the median wall time of RUNS runs and the peak memory of one (/usr/bin/time -v).
#
#   bench/documents.sh
#   RUNS=10 WORDS=40000 bench/documents.sh
#
# Needs pandoc and soffice (Debian: pandoc, libreoffice-writer); installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-5}
seed=${SEED:-1}
words=${WORDS:-20000}
out=bench/out/documents
mkdir -p "$out"
for tool in pandoc soffice /usr/bin/time awk; do
  command -v "$tool" >/dev/null || { echo "bench/documents.sh: $tool is not installed" >&2; exit 2; }
done

python3 bench/gen_policy.py --seed "$seed" --words "$words" --out "$out"
pandoc --from=gfm --to=html5 --standalone --metadata title=Policy -o "$out/new.html" "$out/new.md"
pandoc --from=gfm --to=docx -o "$out/new.docx" "$out/new.md"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice --headless --norestore -env:UserInstallation=file://"$profile" \
  --convert-to pdf --outdir "$out" "$out/new.docx" >/dev/null 2>&1
cargo build --release --locked --quiet
bin=target/release/handover
pages=$(python3 -c "import re,sys; print(len(re.findall(rb'/Type\s*/Page[^s]', open(sys.argv[1],'rb').read())))" "$out/new.pdf")
echo "policy: $words words; new.pdf has $pages pages"

# Median wall seconds of $runs runs, then peak RSS of one run.
measure() {
  local label=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    times+=("$(awk "BEGIN {print $end - $start}")")
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  local rss
  rss=$(/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}')
  printf '%-34s median %6.3f s   peak %7.1f MiB\n' "$label" "$median" "$(awk "BEGIN {print $rss / 1024}")"
}

measure "convert new.md" "$bin" convert "$out/new.md" -o /dev/null
measure "convert new.html" "$bin" convert "$out/new.html" -o /dev/null
measure "convert new.docx" "$bin" convert "$out/new.docx" -o /dev/null
measure "convert new.pdf" "$bin" convert "$out/new.pdf" -o /dev/null
measure "diff old.md new.pdf (text)" "$bin" diff "$out/old.md" "$out/new.pdf" -o /dev/null
measure "diff old.md new.md --format text" "$bin" diff "$out/old.md" "$out/new.md" -o /dev/null
measure "diff old.md new.md --format html" "$bin" diff "$out/old.md" "$out/new.md" -f html -o "$out/report.html"
measure "diff old.md new.md --format docx" "$bin" diff "$out/old.md" "$out/new.md" -f docx -o "$out/redline.docx"
ls -l "$out/report.html" "$out/redline.docx" | awk '{printf "%-40s %8d bytes\n", $9, $5}'
