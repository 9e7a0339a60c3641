#!/usr/bin/env bash
# Fetches the public datasets rnnkit's configs and tests use, checks each file's SHA-256, and puts them in
# datasets/downloads/<name>/ (where ${datasets} in configs finds them when ../shared/datasets is absent).
# Usage: datasets/fetch.sh [NAME ...]     (default: every descriptor in datasets/public/)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="${RNNKIT_DATASETS:-$here/downloads}"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for d in "$here"/public/*.tsv; do names+=("$(basename "$d" .tsv)"); done
fi
for name in "${names[@]}"; do
  descriptor="$here/public/$name.tsv"
  [ -f "$descriptor" ] || { echo "fetch.sh: no descriptor $descriptor" >&2; exit 2; }
  mkdir -p "$target/$name"
  grep -v '^#' "$descriptor" | while IFS=$'\t' read -r file sha url; do
    [ -n "$file" ] || continue
    out="$target/$name/$file"
    if [ -f "$out" ] && echo "$sha  $out" | sha256sum --check --status; then
      echo "ok      $name/$file"; continue
    fi
    curl -fsSL --retry 3 -o "$out.part" "$url"
    if ! echo "$sha  $out.part" | sha256sum --check --status; then
      echo "fetch.sh: $name/$file from $url does not match its SHA-256 $sha" >&2; rm -f "$out.part"; exit 1
    fi
    mv "$out.part" "$out"; echo "fetched $name/$file"
  done
done
