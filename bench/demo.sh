#!/usr/bin/env bash
# Benchmark of `./robustlab demo`: wall time from starting the local stack to the final table, build excluded.
# Usage: bench/demo.sh [runs] [extra demo options...]
# Prints, per run, the phases the demo reports (stack ready, services ready, finished) and the total.
# The target (issue 2): under 180 s on a 2-core machine. As a same-run baseline it also reports the share of the
# time spent before the first run was submitted (infrastructure and service start-up), which does not depend on
# the ML work.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-1}"; shift || true
"$ROOT/robustlab" --help >/dev/null  # builds whatever is missing, outside the measurement
for i in $(seq 1 "$runs"); do
  state="$(mktemp -d "${TMPDIR:-/tmp}/robustlab-bench.XXXXXX")"
  chmod 755 "$state"  # as root, PostgreSQL runs as user postgres, which must reach its data directory
  log="$state/demo.out"
  "$ROOT/robustlab" demo --exit --state-dir "$state/state" "$@" > "$log" 2>&1 || {
    echo "run $i failed; output in $log" >&2; exit 1; }
  stack=$(grep -o 'Local stack ready after [0-9.]* s' "$log" | grep -o '[0-9.]*' | head -1)
  services=$(grep -o 'Services ready after [0-9.]* s' "$log" | grep -o '[0-9.]*' | head -1)
  total=$(grep -o 'Demo finished in [0-9.]* s' "$log" | grep -o '[0-9.]*' | head -1)
  awk -v i="$i" -v s="$stack" -v v="$services" -v t="$total" 'BEGIN {
    printf "run %d: stack ready %.1f s, services ready %.1f s, final table %.1f s (target 180 s: %.2fx of it); start-up share %.0f%%\n",
      i, s, v, t, t / 180, 100 * v / t }'
  rm -rf "$state"
done
