#!/usr/bin/env bash
# Builds the API reference from the doc comments of the public barrel (TypeDoc, config in
# typedoc.json: warnings are errors, so an undocumented reference to an unexported type or
# a broken {@link} fails) and checks that every component has its page.
set -euo pipefail
cd "$(dirname "$0")/../.."

started=$(date +%s)
npm run --silent docs
for component in EbsStorageClass EfsStorageClass StatefulWorkload ExternalStore ReplicatedCache NodeLocalStore; do
  if [ ! -s "docs/api/classes/$component.html" ]; then
    echo "docs: no page for $component in docs/api/classes/" >&2
    exit 1
  fi
done
echo "docs: API reference in docs/api/ ($(find docs/api -name '*.html' | wc -l) pages, $(( $(date +%s) - started )) s)"
