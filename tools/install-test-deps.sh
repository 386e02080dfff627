#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when they are missing:
#   chromium           headless browser for the report tests (playwright-core drives /usr/bin/chromium)
#   fonts-dejavu-core  a font for text in PNG plots (resvg)
#   redis-server       a Redis the BullMQ executor test of apps/tune starts on 127.0.0.1 (its own port, its own process)
#   python3-numpy, python3-cloudpickle, python3-typing-extensions
#                      what ../shared/vendor's Gymnasium 1.4.0 needs: the Gymnasium bridge tests run real Gymnasium
# Quick when everything is present. Uses sudo when not root. Installs nothing into the workspace.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v redis-server >/dev/null || missing+=(redis-server)
python3 -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
python3 -c 'import cloudpickle' 2>/dev/null || missing+=(python3-cloudpickle)
python3 -c 'import typing_extensions' 2>/dev/null || missing+=(python3-typing-extensions)

if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies present (chromium, fonts-dejavu-core, redis-server, python3-numpy, python3-cloudpickle, python3-typing-extensions)"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo=(sudo); else
    echo "install-test-deps: need root (or sudo) to apt-get install: ${missing[*]}" >&2
    exit 2
  fi
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
