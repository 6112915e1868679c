#!/usr/bin/env bash
# Packs the package as npm would publish it, installs the tarball into a scratch
# project with the same locked dependencies, and checks that the public classes load
# and that type declarations ship and type-check from a consumer's point of view.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cd "$root"
tarball="$(npm pack --silent --pack-destination "$scratch" | tail -n 1)"
echo "packed $tarball ($(du -k "$scratch/$tarball" | cut -f1) KiB)"

cd "$scratch"
printf '{ "name": "consumer", "version": "1.0.0", "private": true }\n' > package.json
# The consumer reuses this repository's installed dependencies (a fresh resolve would pick
# @pulumi/pulumi releases that need Node 22), and unpacks the tarball as npm install would.
mkdir -p node_modules
for dep in "$root"/node_modules/* "$root"/node_modules/.bin; do
  ln -s "$dep" "node_modules/$(basename "$dep")"
done
rm -f node_modules/stateful-stacks
mkdir -p node_modules/stateful-stacks
tar -xzf "$tarball" -C node_modules/stateful-stacks --strip-components=1

node -e '
const lib = require("stateful-stacks");
const expected = ["EbsStorageClass", "EfsStorageClass", "StatefulWorkload", "ExternalStore", "ReplicatedCache", "NodeLocalStore"];
const missing = expected.filter((name) => typeof lib[name] !== "function");
if (missing.length) { console.error("missing exports: " + missing.join(", ")); process.exit(1); }
console.log("exports: " + expected.join(", "));
'
cat > consumer.ts <<'TS'
import { EbsStorageClass, EbsStorageClassArgs } from "stateful-stacks";
const args: EbsStorageClassArgs = { volumeType: "gp3", iops: 4000 };
export const make = (): EbsStorageClass => new EbsStorageClass("fast", args);
TS
"$root/node_modules/.bin/tsc" --noEmit --strict --esModuleInterop --skipLibCheck --moduleResolution node --module commonjs --target ES2020 --types node consumer.ts
echo "type declarations: consumer.ts type-checks against the packed package"
ls node_modules/stateful-stacks/bin/components/index.d.ts >/dev/null

cli=node_modules/stateful-stacks/bin/tools/cli.js
node "$cli" gate "$root/test/fixtures/preview/engine-no-changes.json" >/dev/null
echo "cli: the packed 'stateful-stacks gate' passes a preview without changes"
node "$cli" plan replicated-cache --root "$root" --out "$scratch/out" >"$scratch/plan.log"
ls "$scratch/out/replicated-cache/plan.txt" >/dev/null
echo "cli: the packed 'stateful-stacks plan' renders a scenario stack of this repository"
