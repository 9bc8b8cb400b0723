#!/usr/bin/env bash
# Fails when a source file includes a header from a layer above its own. The layers, bottom up:
#   core <- model, core <- storage <- controller <- pipeline <- web <- cli
# model may use core only; pipeline may use model, controller, storage and core.
# The compiler refuses such an include too (each layer target sees only its own headers and
# those of the layers it links: docs/architecture.md); this script names every offending line.
set -euo pipefail
src=${1:-"$(dirname "$0")/../src"}

allowed() {
  case "$1" in
    core) echo "core" ;;
    model) echo "core model" ;;
    storage) echo "core storage" ;;
    controller) echo "core storage controller" ;;
    pipeline) echo "core model storage controller pipeline" ;;
    web) echo "core model storage controller pipeline web" ;;
    cli) echo "core model storage controller pipeline web cli" ;;
    *) echo "" ;;
  esac
}

status=0
for dir in "$src"/*/; do
  layer=$(basename "$dir")
  ok=$(allowed "$layer")
  if [ -z "$ok" ]; then
    echo "unknown layer folder: src/$layer (add it to scripts/check-layers.sh)"
    status=1
    continue
  fi
  while IFS= read -r line; do
    file=${line%%:*}
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
    if [[ " $ok " != *" $target "* ]]; then
      echo "layer violation: ${file#"$src"/} ($layer) includes a header of $target"
      status=1
    fi
  done < <(grep -rHE '^#include "[a-z_]+/' "$dir" || true)
done
[ "$status" -eq 0 ] && echo "layers ok: no include points upward"
exit "$status"
