#!/usr/bin/env bash
# Runs the type check and the unit and component suites against the newest
# @pulumi/kubernetes 4.x release on npm, the other end of the peer range the package
# declares (the lockfile pins the oldest supported, 4.25.0, the provider the end-to-end
# tier builds). Works on a copy of the tracked files, so the checkout is not touched.
#
#   tools/ci/sdk-range.sh            newest 4.x
#   tools/ci/sdk-range.sh 4.30.0     a given version
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
range=$(node -p 'require(process.argv[1]).peerDependencies["@pulumi/kubernetes"]' "$root/package.json")
version=${1:-$(npm view "@pulumi/kubernetes@$range" version --json | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const v = JSON.parse(s); console.log(Array.isArray(v) ? v[v.length - 1] : v); });')}
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
(cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$copy")
cd "$copy"
echo "sdk-range: @pulumi/kubernetes $version (peer range $range) in $copy"
npm ci --no-audit --no-fund --loglevel=error
npm install --no-save --no-audit --no-fund --loglevel=error "@pulumi/kubernetes@$version"
node -e 'const v = require("@pulumi/kubernetes/package.json").version; if (v !== process.argv[1]) { console.error(`installed ${v}, wanted ${process.argv[1]}`); process.exit(1); } console.log(`sdk-range: installed @pulumi/kubernetes ${v}`);' "$version"
npx tsc --noEmit
npx mocha "test/{unit,component}/**/*.test.ts"
