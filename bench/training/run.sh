#!/usr/bin/env bash
# The training benchmark of issue 4: one epoch of PGD-10 adversarial training of the Fashion-MNIST small CNN,
# Robustlab's TrainingRun (Java, DJL) against the same loop in Python torch (train_epoch.py). See README.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

usage() {
  cat <<USAGE
Usage: bench/training/run.sh [options]

Trains one epoch of PGD-10 adversarial training (l-inf eps 0.1, alpha eps/4, random start, SGD momentum 0.9,
batches of 128) of the small CNN on Fashion-MNIST, first in Python torch (train_epoch.py, Debian's python3-torch),
then in Java (./robustlab train: Robustlab's TrainingRun, method pgd-at), with the same threads, and prints each
side's epoch time, final train loss and train accuracy, and the time ratio Java/Python against the target of
issue 4 (<= 1.1).

Options:
  --limit N          train on the first N training images, 0 for all 60000 (default: 0)
  --threads N        torch threads of both sides: Python's intra- and inter-op threads, Java's
                     ai.djl.pytorch.num_threads / num_interop_threads, and OMP_NUM_THREADS (default: 2)
  --batch-size B     (default: 128)
  --eps E            l-inf radius; alpha = E/4 (default: 0.1)
  --lr LR            SGD learning rate (default: 0.01)
  --seed S           seed of both sides (default: 0)
  --only SIDE        python or java: run one side only
  --out DIR          where the spec, each side's JSON and output and summary.json go (default: bench/training/out)
  --python PATH      the interpreter with torch (default: /usr/bin/python3)
  --robustlab PATH   the Java command (default: the repository's ./robustlab; it builds itself when needed)
  -h, --help         this text

Times compared are each side's own epoch time: the training loop (permutation, batches, attack, SGD step), not the
process start, engine start, data loading or model creation (each side's JSON has those as setup_seconds, the
summary has each process's wall time). Prefix the command with 'nice -n 19' on a machine others use: both sides
inherit it.
USAGE
}

LIMIT=0; THREADS=2; BATCH=128; EPS=0.1; LR=0.01; SEED=0; ONLY=""; OUT="$HERE/out"
PYTHON=/usr/bin/python3; ROBUSTLAB="$ROOT/robustlab"
need() { [ $# -ge 2 ] || { echo "run.sh: $1 needs a value (see --help)" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --limit) need "$@"; LIMIT="$2"; shift 2 ;;
    --threads) need "$@"; THREADS="$2"; shift 2 ;;
    --batch-size) need "$@"; BATCH="$2"; shift 2 ;;
    --eps) need "$@"; EPS="$2"; shift 2 ;;
    --lr) need "$@"; LR="$2"; shift 2 ;;
    --seed) need "$@"; SEED="$2"; shift 2 ;;
    --only) need "$@"; ONLY="$2"; shift 2 ;;
    --out) need "$@"; OUT="$2"; shift 2 ;;
    --python) need "$@"; PYTHON="$2"; shift 2 ;;
    --robustlab) need "$@"; ROBUSTLAB="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for value in "$LIMIT" "$THREADS" "$BATCH" "$SEED"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "run.sh: '$value' is not a whole number (see --help)" >&2; exit 2; }
done
for value in "$EPS" "$LR"; do
  [[ "$value" =~ ^[0-9]*\.?[0-9]+([eE]-?[0-9]+)?$ ]] || {
    echo "run.sh: '$value' is not a positive number (see --help)" >&2; exit 2; }
done
[ "$THREADS" -ge 1 ] && [ "$BATCH" -ge 1 ] || {
  echo "run.sh: --threads and --batch-size must be at least 1" >&2; exit 2; }
[ "$LIMIT" -le 60000 ] || { echo "run.sh: --limit must be at most 60000 (the training split)" >&2; exit 2; }
case "$ONLY" in ""|python|java) ;; *) echo "run.sh: --only takes python or java, got '$ONLY'" >&2; exit 2 ;; esac
if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "run.sh: $PYTHON cannot import torch: install Debian's python3-torch (apt-get install python3-torch)" \
       "or pass --python" >&2
  exit 1
fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
# the same thread settings for both sides; passive OpenMP waiting (spinning threads slow a shared machine)
export OMP_NUM_THREADS="$THREADS" OMP_WAIT_POLICY=PASSIVE OPT_OUT_TRACKING=true DJL_OFFLINE=true
SIZE=$LIMIT; [ "$SIZE" -eq 0 ] && SIZE=60000
ALPHA=$(awk -v e="$EPS" 'BEGIN { printf "%.10g", e / 4 }')

seconds_now() { date +%s.%N; }
wall_since() { awk -v now="$(seconds_now)" -v from="$1" 'BEGIN { printf "%.2f", now - from }'; }
PYTHON_WALL=-; JAVA_WALL=-
rm -f "$OUT/python.json" "$OUT/java.json"
if [ "$ONLY" != java ]; then
  echo "== Python torch: 1 epoch of PGD-10 training on $SIZE images, $THREADS threads" >&2
  started=$(seconds_now)
  "$PYTHON" "$HERE/train_epoch.py" --limit "$LIMIT" --batch-size "$BATCH" --eps "$EPS" --alpha "$ALPHA" \
    --steps 10 --lr "$LR" --momentum 0.9 --seed "$SEED" --threads "$THREADS" --json "$OUT/python.json" \
    > "$OUT/python.log" 2>&1 || { cat "$OUT/python.log" >&2; echo "run.sh: the Python side failed" >&2; exit 1; }
  PYTHON_WALL=$(wall_since "$started")
  cat "$OUT/python.log" >&2
fi
if [ "$ONLY" != python ]; then
  cat > "$OUT/spec.json" <<JSON
{"name": "training-benchmark", "dataset": {"name": "fashion-mnist", "trainSize": $SIZE},
 "model": {"architecture": "small-cnn"}, "training": {"method": "pgd-at"}, "epochs": 1, "batchSize": $BATCH,
 "optimizer": {"learningRate": $LR, "momentum": 0.9, "weightDecay": 0}, "lrSchedule": {"type": "constant"},
 "threatModel": {"norm": "linf", "epsilon": $EPS, "stepSize": $ALPHA, "steps": 10}, "seed": $SEED}
JSON
  echo "== Java (Robustlab TrainingRun): 1 epoch of PGD-10 training on $SIZE images, $THREADS threads" >&2
  "$ROBUSTLAB" --help > /dev/null  # builds the command line when its jars are missing, outside the measurement
  started=$(seconds_now)
  threads="-Dai.djl.pytorch.num_threads=$THREADS -Dai.djl.pytorch.num_interop_threads=$THREADS"
  JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -Dai.djl.offline=true $threads" \
    "$ROBUSTLAB" train --spec "$OUT/spec.json" --json "$OUT/java.json" > "$OUT/java.log" 2> "$OUT/java.err" || {
      cat "$OUT/java.err" >&2; echo "run.sh: the Java side failed" >&2; exit 1; }
  JAVA_WALL=$(wall_since "$started")
  cat "$OUT/java.log" >&2
fi
echo
echo "Fashion-MNIST small CNN, 1 epoch of PGD-10 adversarial training on $SIZE images (l-inf eps $EPS," \
     "alpha $ALPHA, batches of $BATCH, SGD lr $LR momentum 0.9, seed $SEED), $THREADS threads"
"$PYTHON" "$HERE/compare.py" --python "$OUT/python.json" --java "$OUT/java.json" --python-wall "$PYTHON_WALL" \
  --java-wall "$JAVA_WALL" --threads "$THREADS" --summary "$OUT/summary.json"
