#!/usr/bin/env bash
# Image checks benchmark (issue 5 item 6): imagescan.Scan vs a go-containerregistry
# pull of the same layers, on a 500 MB and a 100 MB image of 20 layers each, in a
# local docker-registry.
#
#   bench/image-checks/run.sh            # from the repository root
#
# Needs: go, docker-registry (apt-get install docker-registry). Everything it writes
# is under .cache/bench/image-checks/ (git-ignored): the generated layers and the
# registry's storage are reused, so only the first run generates and pushes.
# Prints a Markdown section for BENCHMARKS.md and saves it as
# .cache/bench/image-checks/report.md.
#
# Env: RUNS (default 5) measured runs per operation and image, SIZES (default
# 500,100) image sizes in MB compressed, LINKS (default 0,1000,2500) link speeds in
# Mbit/s to emulate (0: loopback at full speed), LAYERS (default 20), PARALLEL
# (default 3).
set -euo pipefail

cd "$(dirname "$0")/../.."
work=.cache/bench/image-checks
mkdir -p "$work"
go build -o "$work/image-checks" ./bench/image-checks
exec "$work/image-checks" run -work "$work" -runs "${RUNS:-5}" -sizes "${SIZES:-500,100}" \
  -links "${LINKS:-0,1000,2500}" -layers "${LAYERS:-20}" -parallel "${PARALLEL:-3}"
