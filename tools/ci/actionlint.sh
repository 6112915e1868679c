#!/usr/bin/env bash
# Lints the copyable pull-request workflow, the gate action's self-test workflow and,
# through it, the composite action's metadata (action.yml) with actionlint. The binary is
# built once from the Go module proxy into the user cache (never into the repository):
#
#   tools/ci/actionlint.sh            lint every workflow under .github/workflows
#   tools/ci/actionlint.sh --install  only make sure the binary is present
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
version=1.7.12
dir="${XDG_CACHE_HOME:-$HOME/.cache}/stateful-stacks/actionlint-${version}"
bin="$dir/actionlint"
if [ ! -x "$bin" ]; then
  command -v go >/dev/null || { echo "actionlint.sh: go is needed to build actionlint ${version}" >&2; exit 2; }
  mkdir -p "$dir"
  started=$SECONDS
  GOBIN="$dir" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@v${version}"
  echo "actionlint.sh: built actionlint ${version} in $((SECONDS - started)) s into $dir" >&2
fi
installed=$("$bin" -version | head -n 1)
if [ "$installed" != "v${version}" ] && [ "$installed" != "${version}" ]; then
  echo "actionlint.sh: $bin is $installed, wanted v${version}" >&2
  exit 2
fi
[ "${1:-}" = "--install" ] && exit 0
cd "$root"
# -shellcheck= : run: scripts are checked with shellcheck only where it is installed; the
# workflow syntax, expressions, action inputs and the local action's metadata always are.
shellcheck_flag=()
command -v shellcheck >/dev/null || shellcheck_flag=(-shellcheck=)
"$bin" "${shellcheck_flag[@]}" -no-color .github/workflows/*.yml
echo "actionlint ${version}: $(ls .github/workflows/*.yml | wc -l) workflow(s) and action.yml clean"
