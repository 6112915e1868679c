#!/usr/bin/env bash
# Lints the copyable pull-request workflow and the gate action's self-test workflow with
# actionlint (through the self-test, actionlint also checks the composite action's inputs
# and outputs in action.yml), and the composite action's own run: scripts with shellcheck
# (actionlint reads workflows only). The actionlint binary is built once from the Go module
# proxy into the user cache, never into the repository:
#
#   tools/ci/actionlint.sh            lint
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
  GOBIN="$dir" go install "github.com/rhysd/actionlint/cmd/actionlint@v${version}"
  echo "actionlint.sh: built actionlint ${version} in $((SECONDS - started)) s into $dir" >&2
fi
installed=$("$bin" -version | head -n 1)
if [ "$installed" != "v${version}" ]; then
  echo "actionlint.sh: $bin is $installed, wanted v${version}" >&2
  exit 2
fi
[ "${1:-}" = "--install" ] && exit 0
cd "$root"
workflows=(.github/workflows/*.yml)
if command -v shellcheck >/dev/null; then
  "$bin" -no-color "${workflows[@]}"
  scripts=$(mktemp -d)
  trap 'rm -rf "$scripts"' EXIT
  # shellcheck disable=SC2016 # the quoted text is JavaScript, not shell
  node -e '
    const fs = require("fs");
    const action = require("js-yaml").load(fs.readFileSync("action.yml", "utf8"));
    action.runs.steps.forEach((step, i) => {
      if (step.run) fs.writeFileSync(`${process.argv[1]}/action-step-${i}.sh`, `#!/usr/bin/env ${step.shell}\n${step.run}`);
    });' "$scripts"
  shellcheck "$scripts"/*.sh
  checked="shellcheck on every run: script"
else
  # Without shellcheck the syntax, expressions, action inputs and the local action's
  # metadata are still checked; the run: scripts are not.
  "$bin" -no-color -shellcheck= "${workflows[@]}"
  checked="no shellcheck installed: run: scripts not checked"
fi
echo "actionlint ${version}: ${#workflows[@]} workflows and action.yml clean (${checked})"
