#!/usr/bin/env bash
# Installs every Debian 12 package rlarena uses, then configures and builds into build/.
# Idempotent: re-running only installs what is missing and rebuilds what changed.
# --deps-only: install the packages and stop (scripts/test.sh uses it).
set -euo pipefail
cd "$(dirname "$0")/.."
DEPS_ONLY=0
if [ "${1:-}" = "--deps-only" ]; then DEPS_ONLY=1; fi

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # learning: LibTorch (CPU) with a threaded BLAS (reference BLAS is 16x slower)
  libtorch-dev libopenblas0-pthread
  # simulators
  libmujoco-dev libqhull-dev libbox2d-dev
  # datasets, config, formats
  libhdf5-dev libboost-program-options-dev nlohmann-json3-dev libfmt-dev
  # TensorBoard event files (Event protobufs)
  libprotobuf-dev protobuf-compiler
  # tests and micro-benchmarks
  catch2 libbenchmark-dev
  # distributed training (c10d over Gloo)
  libgloo-dev
  # pictures, videos, plots, headless MuJoCo rendering
  libpng-dev ffmpeg gnuplot-nox libosmesa6-dev
  # Python side: the `rlarena` module (pybind11) and the Python baselines of scripts/bench/
  python3 python3-numpy python3-dev pybind11-dev
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages already installed" >&2
fi

if [ "$DEPS_ONLY" = 1 ]; then exit 0; fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build

# `import rlarena` for the system python3: a .pth file in its site-packages names build/python.
SITE="$(/usr/bin/python3 -c 'import site; print(site.getsitepackages()[0])')"
PTH="$SITE/rlarena.pth"
if [ "$(cat "$PTH" 2>/dev/null)" != "$PWD/build/python" ]; then
  $SUDO mkdir -p "$SITE"
  echo "$PWD/build/python" | $SUDO tee "$PTH" > /dev/null
  echo "setup: python3 finds rlarena through $PTH" >&2
fi
