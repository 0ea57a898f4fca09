#!/usr/bin/env bash
# Which way candidate raw looks move a model's grades, beside the owners' real raw copies (REAL-RAW.md):
#   bench/raw-direction/run.sh [MODEL_DIR] [EVERY]      (default: the bundled knee model, every 6th val crop)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL="${1:-$ROOT/models/knee-kl}"; EVERY="${2:-6}"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$ROOT/.djl-cache}"
JAR="$ROOT/rheumalens-app/target/rheumalens.jar"
[ -f "$JAR" ] || { echo "build the app first: mvn -o -q install -DskipTests" >&2; exit 2; }
java -Xmx4g -Dai.djl.offline=true -Drheumalens.home="$ROOT" -cp "$JAR" "$ROOT/bench/raw-direction/RawDirection.java" \
  "$ROOT/../shared/data/knee-kl/val" "$MODEL" "$EVERY" 2>/dev/null
