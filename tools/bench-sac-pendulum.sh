#!/usr/bin/env bash
# SAC speed on SLM Lab's sac_pendulum (or CrossQ's, --spec-file .../crossq_classic.yaml --spec-name
# crossq_pendulum|crossq_cartpole --skip-torch: the gymlab side alone): gymlab (tools/bench/sac_pendulum_gymlab.mjs: ms and GFLOP/s
# of one SAC update, the tfjs-wasm 256x256 matmul GFLOP/s in the same process, frames/s of a real
# Session) against SLM Lab's SAC in PyTorch (tools/bench/sac_pendulum_torch.py: ms per update,
# frames/s on Gymnasium's Pendulum-v1), alternating, --repeat times, one thread each side.
# Prints each run, the medians and ratios, and which BLAS torch ran. Installs nothing; needs
# Debian's python3-torch (+ libopenblas0-pthread for the tuned BLAS) and the libs built.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON=/usr/bin/python3
SPEC_FILE="$ROOT/../shared/slm_lab_specs/benchmark/sac/sac_pendulum.json"
SPEC_NAME=sac_pendulum
UPDATES=200 FRAMES=1000 REPEAT=3 SEED=0 BACKEND=fast RUN_TORCH=1

usage() { echo "usage: tools/bench-sac-pendulum.sh [--updates N (200)] [--frames N (1000; 0: no session)] [--repeat K (3)] [--seed S] [--backend fast|native|wasm|cpu] [--spec-file F] [--spec-name N] [--skip-torch]"; }
# Each valued option --name-with-dashes V sets NAME_WITH_DASHES.
while [[ $# -gt 0 ]]; do
  opt="$1"
  case "$opt" in
    --updates | --frames | --repeat | --seed | --backend | --spec-file | --spec-name)
      var="${opt#--}"; var="${var//-/_}"; printf -v "${var^^}" '%s' "${2:?$opt needs a value}"; shift 2 ;;
    --skip-torch) RUN_TORCH=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench-sac-pendulum: unknown argument '$opt'" >&2; usage >&2; exit 2 ;;
  esac
done
for v in UPDATES REPEAT; do [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "bench-sac-pendulum: --${v,,} must be a positive integer, got '${!v}'" >&2; exit 2; }; done
[[ "$FRAMES" =~ ^[0-9]+$ && "$SEED" =~ ^[0-9]+$ ]] || { echo "bench-sac-pendulum: --frames and --seed must be non-negative integers" >&2; exit 2; }
[[ -f "$SPEC_FILE" ]] || { echo "bench-sac-pendulum: no spec file '$SPEC_FILE'" >&2; exit 2; }
if [[ $RUN_TORCH -eq 1 && "$SPEC_FILE" != *.json ]]; then
  echo "bench-sac-pendulum: the PyTorch side reads SoftActorCritic JSON specs; use --skip-torch for '$SPEC_FILE'" >&2
  exit 2
fi
if [[ $RUN_TORCH -eq 1 ]] && ! "$PYTHON" -B -c 'import torch, numpy' 2>/dev/null; then
  echo "bench-sac-pendulum: $PYTHON cannot import torch and numpy; install Debian's python3-torch and libopenblas0-pthread (this script installs nothing), or use --skip-torch" >&2
  exit 3
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/bench-sac-pendulum.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
echo "SAC $SPEC_NAME ($SPEC_FILE): $UPDATES updates and $FRAMES session frames per run, $REPEAT runs per side, seed $SEED, gymlab backend $BACKEND"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); gymlab git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
TORCH_JSON=-
GYMLAB_JSON="$TMP/gymlab.json"
: > "$GYMLAB_JSON"
if [[ $RUN_TORCH -eq 1 ]]; then TORCH_JSON="$TMP/torch.json"; : > "$TORCH_JSON"; fi
for ((run = 1; run <= REPEAT; run++)); do
  if [[ $RUN_TORCH -eq 1 ]]; then
    echo "run $run/$REPEAT: PyTorch side..."
    PYTHONPATH="$ROOT/../shared/vendor/gymnasium-1.4.0" "$PYTHON" -B "$ROOT/tools/bench/sac_pendulum_torch.py" --spec-file "$SPEC_FILE" --spec-name "$SPEC_NAME" \
      --updates "$UPDATES" --frames "$FRAMES" --seed "$SEED" | tee -a "$TORCH_JSON"
  fi
  echo "run $run/$REPEAT: gymlab side..."
  (cd "$ROOT" && node tools/bench/sac_pendulum_gymlab.mjs --spec-file "$SPEC_FILE" --spec-name "$SPEC_NAME" --updates "$UPDATES" --frames "$FRAMES" --seed "$SEED" --backend "$BACKEND") | tee -a "$GYMLAB_JSON"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
node "$ROOT/tools/bench/sac_summary.mjs" "$TORCH_JSON" "$GYMLAB_JSON"
