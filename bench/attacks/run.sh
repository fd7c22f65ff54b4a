#!/usr/bin/env bash
# The attack benchmark of issue 3: Robustlab's Java attacks against a Python torch implementation of the same
# algorithms (attacks.py), on the same Fashion-MNIST CNN, examples, seed and thread count. See README.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

usage() {
  cat <<EOF
Usage: bench/attacks/run.sh [options]

Trains the Fashion-MNIST small CNN with PGD adversarial training if the model file is missing (about 3 minutes),
then for each run (pgd-20, cw-inf, AutoAttack standard) evaluates it with the Python implementation
(evaluate.py, Debian's python3-torch) and with the Java one (./robustlab evaluate) on the same examples, seed,
batch size and threads, and prints robust accuracy and attack time side by side with the targets of issue 3
(|Δ| <= 0.5 points, Java/Python time <= 1.0).

Options:
  --out DIR          where models, results and the summary go (default: bench/attacks/out)
  --model FILE       the TorchScript model (default: DIR/fmnist-cnn-pgdat.pt, trained when missing)
  --limit N          test examples for pgd-20 and cw-inf (default: 1000)
  --aa-limit N       test examples for AutoAttack standard (default: --limit)
  --offset K         first test example (default: 0)
  --eps E            l-inf radius (default: 0.1)
  --seed S           seed of both sides (default: 0)
  --repeats R        run each side R times with seeds S .. S+R-1 and compare the means (default: 1); one seed's
                     robust accuracy varies by a few tenths of a point, the size of the 0.5-point target
  --batch-size B     examples per batch, both sides (default: 256)
  --threads N        torch threads of both sides: Python's intra- and inter-op threads, Java's
                     ai.djl.pytorch.num_threads / num_interop_threads and OMP_NUM_THREADS (default: 2)
  --runs LIST        comma-separated subset of pgd-20,cw-inf,standard (default: all three)
  --only SIDE        python or java: run one side only (the other's columns show '-')
  --summary FILE     the JSON summary (default: DIR/summary.json)
  --python PATH      the interpreter with torch (default: /usr/bin/python3)
  --robustlab PATH   the Java command (default: the repository's ./robustlab; it builds itself when needed)
  -h, --help         this text

Each side's JSON is DIR/python-RUN-sS.json and DIR/java-RUN-sS.json (RUN: pgd-20, cw-inf, standard; S the seed),
its output DIR/python-RUN-sS.log and DIR/java-RUN-sS.log (stderr in .err).
Times compared are each side's own 'seconds' (attacking: clean pass, sanity checks, attacks; not the process
start, model or data loading); the summary also has each process's wall time.
EOF
}

OUT="$HERE/out"; MODEL=""; LIMIT=1000; AA_LIMIT=""; OFFSET=0; EPS=0.1; SEED=0; REPEATS=1; BATCH=256; THREADS=2
RUNS="pgd-20,cw-inf,standard"; ONLY=""; SUMMARY=""; PYTHON=/usr/bin/python3; ROBUSTLAB="$ROOT/robustlab"
need() { [ $# -ge 2 ] || { echo "run.sh: $1 needs a value (see --help)" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --out) need "$@"; OUT="$2"; shift 2 ;;
    --model) need "$@"; MODEL="$2"; shift 2 ;;
    --limit) need "$@"; LIMIT="$2"; shift 2 ;;
    --aa-limit) need "$@"; AA_LIMIT="$2"; shift 2 ;;
    --offset) need "$@"; OFFSET="$2"; shift 2 ;;
    --eps) need "$@"; EPS="$2"; shift 2 ;;
    --seed) need "$@"; SEED="$2"; shift 2 ;;
    --repeats) need "$@"; REPEATS="$2"; shift 2 ;;
    --batch-size) need "$@"; BATCH="$2"; shift 2 ;;
    --threads) need "$@"; THREADS="$2"; shift 2 ;;
    --runs) need "$@"; RUNS="$2"; shift 2 ;;
    --only) need "$@"; ONLY="$2"; shift 2 ;;
    --summary) need "$@"; SUMMARY="$2"; shift 2 ;;
    --python) need "$@"; PYTHON="$2"; shift 2 ;;
    --robustlab) need "$@"; ROBUSTLAB="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for value in "$LIMIT" "$OFFSET" "$SEED" "$REPEATS" "$BATCH" "$THREADS" ${AA_LIMIT:+"$AA_LIMIT"}; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "run.sh: '$value' is not a whole number (see --help)" >&2; exit 2; }
done
case "$ONLY" in ""|python|java) ;; *) echo "run.sh: --only takes python or java, got '$ONLY'" >&2; exit 2 ;; esac
IFS=',' read -r -a RUN_LIST <<< "$RUNS"
for run in "${RUN_LIST[@]}"; do
  case "$run" in pgd-20|cw-inf|standard) ;;
    *) echo "run.sh: --runs: unknown run '$run'; known: pgd-20, cw-inf, standard" >&2; exit 2 ;; esac
done
AA_LIMIT="${AA_LIMIT:-$LIMIT}"
[ "$REPEATS" -ge 1 ] || { echo "run.sh: --repeats must be at least 1" >&2; exit 2; }
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
MODEL="${MODEL:-$OUT/fmnist-cnn-pgdat.pt}"
SUMMARY="${SUMMARY:-$OUT/summary.json}"

if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "run.sh: $PYTHON cannot import torch: install Debian's python3-torch (apt-get install python3-torch)" \
       "or pass --python" >&2
  exit 1
fi
# the same thread settings for both sides; passive OpenMP waiting (spinning threads slow a shared machine).
# oneDNN: the Java side runs its convolutions without it (libtorch 2.7.1's oneDNN convolution backward is wrong,
# docs/CONVENTIONS.md; JAVA_OPTS=-Drobustlab.onednn=on times it with); Python torch 1.13 is right with its default
# and keeps it, so each side is timed as it has to run.
export OMP_NUM_THREADS="$THREADS" OMP_WAIT_POLICY=PASSIVE OPT_OUT_TRACKING=true DJL_OFFLINE=true

if [ ! -f "$MODEL" ]; then
  echo "== training $MODEL (PGD adversarial training, about 3 minutes)" >&2
  "$PYTHON" "$HERE/train_cnn.py" --out "$MODEL" --threads "$THREADS" 2>&1 | tee "$OUT/train.log" >&2
fi

seconds_now() { date +%s.%N; }
# seconds since $1, added to $2
elapsed_since() { awk -v now="$(seconds_now)" -v from="$1" -v sum="$2" 'BEGIN { printf "%.2f", sum + now - from }'; }
COMPARE_ARGS=()
for run in "${RUN_LIST[@]}"; do
  if [ "$run" = standard ]; then
    selection=(--suite standard); limit="$AA_LIMIT"
  else
    selection=(--attacks "$run"); limit="$LIMIT"
  fi
  python_files=(); java_files=(); python_wall=0; java_wall=0
  for ((r = 0; r < REPEATS; r++)); do
    seed=$((SEED + r))
    common=(--model "$MODEL" --dataset fashion-mnist --offset "$OFFSET" --limit "$limit" --eps "$EPS"
            "${selection[@]}" --seed "$seed" --batch-size "$BATCH")
    base="$run-s$seed"
    if [ "$ONLY" != java ]; then
      echo "== $run, Python: $limit examples, seed $seed, $THREADS threads" >&2
      rm -f "$OUT/python-$base.json"
      started=$(seconds_now)
      "$PYTHON" "$HERE/evaluate.py" "${common[@]}" --threads "$THREADS" --json "$OUT/python-$base.json" \
        > "$OUT/python-$base.log" 2> "$OUT/python-$base.err" || {
          echo "run.sh: the Python evaluation of $run failed; see $OUT/python-$base.err" >&2; exit 1; }
      python_wall=$(elapsed_since "$started" "$python_wall")
      cat "$OUT/python-$base.log" >&2
    fi
    if [ "$ONLY" != python ]; then
      echo "== $run, Java: $limit examples, seed $seed, $THREADS threads" >&2
      rm -f "$OUT/java-$base.json"
      started=$(seconds_now)
      JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$THREADS -Dai.djl.pytorch.num_interop_threads=$THREADS" \
        "$ROBUSTLAB" evaluate "${common[@]}" --json "$OUT/java-$base.json" \
        > "$OUT/java-$base.log" 2> "$OUT/java-$base.err" || {
          echo "run.sh: the Java evaluation of $run failed; see $OUT/java-$base.err" >&2; exit 1; }
      java_wall=$(elapsed_since "$started" "$java_wall")
      cat "$OUT/java-$base.log" >&2
    fi
    python_files+=("$OUT/python-$base.json"); java_files+=("$OUT/java-$base.json")
  done
  [ "$ONLY" = java ] && python_wall="-"
  [ "$ONLY" = python ] && java_wall="-"
  COMPARE_ARGS+=("$run" "$(IFS=,; echo "${python_files[*]}")" "$(IFS=,; echo "${java_files[*]}")"
                 "$python_wall" "$java_wall")
done

echo
echo "Fashion-MNIST small CNN ($(basename "$MODEL")), l-inf eps $EPS, examples from $OFFSET (pgd-20, cw-inf: $LIMIT;" \
     "AutoAttack standard: $AA_LIMIT), seeds $SEED..$((SEED + REPEATS - 1)), batches of $BATCH, $THREADS threads"
"$PYTHON" "$HERE/compare.py" --summary "$SUMMARY" --threads "$THREADS" "${COMPARE_ARGS[@]}"
