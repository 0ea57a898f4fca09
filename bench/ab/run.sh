#!/usr/bin/env bash
# A/B of one-image grading latency between two builds of the app jar, alternated ROUNDS times in one sitting:
#   bench/ab/run.sh OLD.jar NEW.jar [ROUNDS] [IMAGE_DIR]
# or between two model folders with one jar (e.g. two inference policies):
#   MODELS="OLD_DIR NEW_DIR" bench/ab/run.sh APP.jar APP.jar [ROUNDS] [IMAGE_DIR]
# or with one environment variable set for the new run only (e.g. a native library setting):
#   NEW_ENV=ONEDNN_MAX_CPU_ISA=AVX2 bench/ab/run.sh APP.jar APP.jar [ROUNDS] [IMAGE_DIR]
# Prints each run's median and the NEW/OLD ratio per round; quote the median ratio.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OLD="$1"; NEW="$2"; ROUNDS="${3:-4}"; IMAGES="${4:-$ROOT/../shared/data/knee-kl/val/2}"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$ROOT/.djl-cache}"
read -r OLD_MODEL NEW_MODEL <<< "${MODELS:-}"
run() { env ${3:+"$3"} java -Dai.djl.offline=true -Drheumalens.home="$ROOT" -cp "$1" "$ROOT/bench/ab/GradeLatencyAb.java" "$IMAGES" 300 $2 2>/dev/null | awk '/grade_ms_median/ {print $2}'; }
for r in $(seq "$ROUNDS"); do
  a="$(run "$OLD" "${OLD_MODEL:-}")"; b="$(run "$NEW" "${NEW_MODEL:-}" "${NEW_ENV:-}")"
  echo "round $r: old $a ms, new $b ms, new/old $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b / a}')"
done
