#!/usr/bin/env bash
# Generates the Python and Go SDKs of the component provider's schema
# (schema/stateful-stacks.json, checked against the inference by
# test/unit/provider-schema.test.ts) and compiles them, so that a schema change that breaks
# another language fails CI:
#   Go:     `go build ./...` of the SDK against github.com/pulumi/pulumi/sdk/v3 (the CLI's
#           version) from the Go module proxy;
#   Python: `python3 -m compileall`. PyPI is not reachable from these machines, so the SDK
#           cannot be imported here (it needs the `pulumi` Python package): compiled only.
# `pulumi package gen-sdk` asks the Go and Python language hosts to generate; those hosts
# are nested modules of pulumi/pulumi that the Go module proxy does not serve, so this
# script builds tools/ci/sdk-gen (Pulumi's own code generators, pkg/v3/codegen/go and
# codegen/python, the code those hosts run) against pkg/v3 at the CLI's version, cached in
# ~/.cache/stateful-stacks/sdk-gen-<key> ($STATEFUL_STACKS_CACHE moves it).
#   bash tools/ci/sdk-gen.sh [output directory]   (default: a temporary directory, removed)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"

pulumi_version=$(node -p 'require("./package-lock.json").packages["node_modules/@pulumi/pulumi"].version')
cache=${STATEFUL_STACKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stateful-stacks}
key=$( (echo "$pulumi_version"; cat tools/ci/sdk-gen/main.go "$0") | sha256sum | cut -c1-12)
gen_dir=$cache/sdk-gen-$pulumi_version-$key
generator=$gen_dir/bin/sdk-gen

go_env() {
  env GOFLAGS="-buildvcs=false -mod=mod -p=${STATEFUL_STACKS_GO_JOBS:-2}" GOTOOLCHAIN=local \
    GONOSUMDB='github.com/pulumi/*' "$@"
}

started=$SECONDS
if [[ ! -x $generator ]]; then
  echo "building the SDK generator (pkg/v3 v$pulumi_version) in $gen_dir"
  rm -rf "$gen_dir.tmp"
  mkdir -p "$gen_dir.tmp/bin"
  cp tools/ci/sdk-gen/main.go "$gen_dir.tmp/main.go"
  cat > "$gen_dir.tmp/go.mod" <<GOMOD
module stateful-stacks.local/ci/sdk-gen

go 1.25

require (
	github.com/pulumi/pulumi/pkg/v3 v$pulumi_version
	github.com/pulumi/pulumi/sdk/v3 v$pulumi_version
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
  (cd "$gen_dir.tmp" && go_env go mod tidy && go_env nice -n 10 go build -trimpath -o bin/sdk-gen .)
  rm -rf "$gen_dir"
  mv "$gen_dir.tmp" "$gen_dir"
fi
echo "SDK generator ready ($((SECONDS - started)) s)"

if [[ $# -ge 1 ]]; then
  out=$1
  rm -rf "$out"
  mkdir -p "$out"
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

schema=$repo/schema/stateful-stacks.json
"$generator" "$schema" go "$out/go" > "$out/go-files.txt"
"$generator" "$schema" python "$out/python" > "$out/python-files.txt"
echo "generated $(wc -l < "$out/go-files.txt") Go and $(wc -l < "$out/python-files.txt") Python files"

# Go: the generated package is the module root (its imports are <module>/internal).
go_pkg=$(dirname "$(grep -m1 '/doc.go$' "$out/go-files.txt")")
module=$(sed -n 's|^\t"\(.*\)/internal"$|\1|p' "$out/go/$go_pkg/init.go" | head -n 1)
[[ -n $module ]] || { echo "sdk-gen: cannot find the Go SDK's import path in $go_pkg/init.go" >&2; exit 1; }
cat > "$out/go/$go_pkg/go.mod" <<GOMOD
module $module

go 1.25

require github.com/pulumi/pulumi/sdk/v3 v$pulumi_version
GOMOD
started=$SECONDS
(cd "$out/go/$go_pkg" && go_env go mod tidy && env GOFLAGS="-buildvcs=false -p=${STATEFUL_STACKS_GO_JOBS:-2}" GOTOOLCHAIN=local nice -n 10 go build ./... && env GOTOOLCHAIN=local go vet ./...)
echo "Go SDK ($module) builds against github.com/pulumi/pulumi/sdk/v3 v$pulumi_version ($((SECONDS - started)) s)"

python3 -m compileall -q "$out/python"
py_pkg=$(dirname "$(grep -m1 '/__init__.py$' "$out/python-files.txt")")
echo "Python SDK ($py_pkg) compiles with $(python3 --version); not imported: PyPI (its pulumi dependency) is not reachable here"
