# Shared by the bench/*.sh scripts (sourced, not run): the tools they need, and the figures
# they read from GNU time's report (`/usr/bin/time -v -o FILE`).

# need_tools SCRIPT PACKAGE:COMMAND...: installs the Debian packages whose commands are
# missing (as root), else says which are needed and exits 2.
need_tools() {
  local script=$1 need=() pair
  shift
  for pair in "$@"; do
    command -v "${pair#*:}" >/dev/null || [[ -x ${pair#*:} ]] || need+=("${pair%%:*}")
  done
  ((${#need[@]})) || return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq "${need[@]}"
  else
    echo "$script needs the packages: ${need[*]}" >&2
    exit 2
  fi
}

# Wall-clock seconds, CPU seconds (user + system) and peak RSS in KiB of a GNU time report.
time_seconds() {
  awk -F': ' '/Elapsed \(wall clock\)/ {
      n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$1"
}
time_cpu() { awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$1"; }
time_rss_kb() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
