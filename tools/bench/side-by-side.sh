#!/usr/bin/env bash
# CartPole training speed, side by side: gymlab (one real Session of an SLM Lab spec) against the
# same algorithm in PyTorch (tools/bench/<algo>_cartpole_torch.py), in one run, one after the
# other. Both run the same number of frames; prints frames/s of each (wall, and per CPU second),
# their ratio, and the BLAS library torch's products ran in. The first argument names the
# benchmark: `ppo` (tools/bench-ppo-cartpole.sh) or `dqn` (tools/bench-dqn-cartpole.sh).
# Fairness: PyTorch on 1 intra-op and 1 inter-op thread and OpenBLAS on 1 thread
# (OPENBLAS_NUM_THREADS=1: torch.set_num_threads does not bound the pthread OpenBLAS, whose
# threads otherwise spin on the second core), with OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE unset (this machine sets them for older OpenBLAS builds; unset, OpenBLAS picks
# its tuned kernels as a PyTorch user's would); gymlab in 1 Node process (tfjs wasm and the fast
# path are single-threaded in Node). Installs nothing; needs Debian's python3-torch (and
# libopenblas0-pthread for a tuned BLAS: without it torch runs the reference netlib BLAS, which
# the BLAS line shows).
set -euo pipefail

BENCH="${1:-}"
case "$BENCH" in
  ppo) ALGO=PPO; DEFAULT_FRAMES=50000; DEFAULT_SPEC=ppo/ppo_cartpole.json; DEFAULT_NAME=ppo_cartpole ;;
  dqn) ALGO=DQN; DEFAULT_FRAMES=10000; DEFAULT_SPEC=dqn/dqn_cartpole.json; DEFAULT_NAME=dqn_boltzmann_cartpole ;;
  *) echo "side-by-side.sh: the first argument must be ppo or dqn, got '$BENCH'" >&2; exit 2 ;;
esac
shift
SCRIPT="bench-$BENCH-cartpole"

usage() {
  cat <<USAGE
usage: tools/$SCRIPT.sh [--frames N] [--seed S] [--repeat K] [--backend wasm|cpu|fast|native]
                                   [--spec-file FILE] [--spec-name NAME]
                                   [--skip-torch] [--skip-gymlab] [--no-build]
  --frames N     frames per side (default $DEFAULT_FRAMES)
  --seed S       seed of both sides (default 0)
  --repeat K     run each side K times, alternating (torch, gymlab, torch, ...); the ratio is of
                 the medians (default 1)
  --backend B    gymlab's backend, fast|native: the fast CPU path on its wasm|native kernels (default: the spec's choice; wasm unless it says otherwise)
  --spec-file F  SLM Lab spec (default ../shared/slm_lab_specs/benchmark/$DEFAULT_SPEC)
  --spec-name N  spec name in the file (default $DEFAULT_NAME)
  --skip-torch / --skip-gymlab   run one side only (no ratio)
  --no-build     do not run 'npx tsc -b libs/lab' first
USAGE
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON=/usr/bin/python3
FRAMES=$DEFAULT_FRAMES
SEED=0
REPEAT=1
BACKEND=""
SPEC_FILE="$ROOT/../shared/slm_lab_specs/benchmark/$DEFAULT_SPEC"
SPEC_NAME=$DEFAULT_NAME
RUN_TORCH=1
RUN_GYMLAB=1
BUILD=1

while [[ $# -gt 0 ]]; do
  case "$1" in
    --frames) FRAMES="${2:?--frames needs a value}"; shift 2 ;;
    --seed) SEED="${2:?--seed needs a value}"; shift 2 ;;
    --repeat) REPEAT="${2:?--repeat needs a value}"; shift 2 ;;
    --backend) BACKEND="${2:?--backend needs a value}"; shift 2 ;;
    --spec-file) SPEC_FILE="${2:?--spec-file needs a value}"; shift 2 ;;
    --spec-name) SPEC_NAME="${2:?--spec-name needs a value}"; shift 2 ;;
    --skip-torch) RUN_TORCH=0; shift ;;
    --skip-gymlab) RUN_GYMLAB=0; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$SCRIPT: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if ! [[ "$FRAMES" =~ ^[1-9][0-9]*$ ]]; then echo "$SCRIPT: --frames must be a positive integer, got '$FRAMES'" >&2; exit 2; fi
if ! [[ "$SEED" =~ ^[0-9]+$ ]]; then echo "$SCRIPT: --seed must be a non-negative integer, got '$SEED'" >&2; exit 2; fi
if ! [[ "$REPEAT" =~ ^[1-9][0-9]*$ ]]; then echo "$SCRIPT: --repeat must be a positive integer, got '$REPEAT'" >&2; exit 2; fi
if [[ -n "$BACKEND" && "$BACKEND" != wasm && "$BACKEND" != cpu && "$BACKEND" != fast && "$BACKEND" != native ]]; then echo "$SCRIPT: --backend must be wasm, cpu, fast or native, got '$BACKEND'" >&2; exit 2; fi
if [[ ! -f "$SPEC_FILE" ]]; then echo "$SCRIPT: no spec file '$SPEC_FILE'" >&2; exit 2; fi
if [[ $RUN_TORCH -eq 0 && $RUN_GYMLAB -eq 0 ]]; then echo "$SCRIPT: nothing to run (both sides skipped)" >&2; exit 2; fi

if [[ $RUN_TORCH -eq 1 ]]; then
  if [[ ! -x "$PYTHON" ]]; then
    echo "$SCRIPT: $PYTHON not found. The PyTorch side needs Debian's python3 with python3-torch (apt-get install python3-torch); this script installs nothing. Use --skip-torch to measure gymlab alone." >&2
    exit 3
  fi
  if ! "$PYTHON" -B -c 'import torch, numpy' 2>/dev/null; then
    echo "$SCRIPT: PyTorch (or NumPy) is not importable by $PYTHON. Install Debian's python3-torch (apt-get install python3-torch); this script installs nothing. Use --skip-torch to measure gymlab alone." >&2
    exit 3
  fi
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/$SCRIPT.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "$ALGO CartPole-v1 training speed: $SPEC_NAME from $SPEC_FILE, $FRAMES frames per side, seed $SEED"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "gymlab: git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- libs 2>/dev/null || echo ' (libs/ has uncommitted changes)')"
echo "fairness: sides run one after the other; PyTorch on 1 thread (intra- and inter-op, OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset), gymlab in 1 Node process"
if [[ $RUN_TORCH -eq 1 ]] && command -v dpkg >/dev/null && ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "note: libopenblas0-pthread is not installed: torch runs the reference (netlib) BLAS, not the tuned one a PyTorch user gets (apt-get install libopenblas0-pthread)"
fi

TORCH_JSON=-
GYMLAB_JSON=-
if [[ $RUN_TORCH -eq 1 ]]; then TORCH_JSON="$TMP/torch.json"; : > "$TORCH_JSON"; fi
if [[ $RUN_GYMLAB -eq 1 ]]; then
  GYMLAB_JSON="$TMP/gymlab.json"; : > "$GYMLAB_JSON"
  if [[ $BUILD -eq 1 ]]; then
    echo "building libs/lab and its dependencies (npx tsc -b libs/lab)..."
    (cd "$ROOT" && npx tsc -b libs/lab)
  fi
fi
GYMLAB_ARGS=(--spec-file "$SPEC_FILE" --spec-name "$SPEC_NAME" --frames "$FRAMES" --seed "$SEED")
if [[ -n "$BACKEND" ]]; then GYMLAB_ARGS+=(--backend "$BACKEND"); fi

for ((run = 1; run <= REPEAT; run++)); do
  if [[ $RUN_TORCH -eq 1 ]]; then
    echo "run $run/$REPEAT: PyTorch side..."
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 "$PYTHON" -B "$ROOT/tools/bench/${BENCH}_cartpole_torch.py" --spec-file "$SPEC_FILE" --spec-name "$SPEC_NAME" \
      --frames "$FRAMES" --seed "$SEED" >> "$TORCH_JSON"
  fi
  if [[ $RUN_GYMLAB -eq 1 ]]; then
    echo "run $run/$REPEAT: gymlab side..."
    GYMLAB_RC=0
    (cd "$ROOT" && node "$ROOT/tools/bench/ppo_cartpole_gymlab.mjs" "${GYMLAB_ARGS[@]}") >> "$GYMLAB_JSON" || GYMLAB_RC=$?
    if [[ $GYMLAB_RC -ne 0 ]]; then
      echo "$SCRIPT: the gymlab side failed (exit $GYMLAB_RC); no ratio" >&2
      node "$ROOT/tools/bench/summary.mjs" "$TORCH_JSON" -
      exit "$GYMLAB_RC"
    fi
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

node "$ROOT/tools/bench/summary.mjs" "$TORCH_JSON" "$GYMLAB_JSON"
