#!/usr/bin/env bash
# Installs the package the two ways that work before it is published, each into a scratch
# consumer program that has its own, different @pulumi/pulumi (a patch release other than
# the lockfile's), and checks that the package works there:
#
#   tarball  `npm pack` of this working tree, then `npm install <tarball>`
#   git      `npm install git+file://<fresh clone of HEAD>#<commit>`: npm clones it, installs
#            its dependencies and builds it (`prepare`), as for a git URL on any host
#
# In each consumer: exactly one copy of @pulumi/pulumi, @pulumi/kubernetes and @pulumi/aws
# (the consumer's: they are peer dependencies); the six components load and
# `require("stateful-stacks")` loads none of the CLI's dependencies; the type declarations
# type-check a consumer program; the installed CLI prints its version, gates a preview, and
# plans an example program of this repository offline with the consumer's SDK.
# Needs only the npm registry (most of it comes from the npm cache). Temp dirs are removed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/stateful-stacks-pack-XXXXXX")"
git_install=""
cleanup() {
  if [ -n "$git_install" ]; then kill "$git_install" 2>/dev/null || true; wait "$git_install" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# The consumer's SDKs: @pulumi/pulumi differs from the lockfile's (3.248.0) and still runs on
# Node.js 20 (engines ">=20"; 3.249.0 and later need Node.js 22).
CONSUMER_PULUMI=3.247.0
CONSUMER_PEERS=("@pulumi/pulumi@$CONSUMER_PULUMI" "@pulumi/kubernetes@4.25.0" "@pulumi/aws@7.48.0")
version="$(node -p 'require(process.argv[1]).version' "$root/package.json")"
locked="$(node -p 'require(process.argv[1]).packages["node_modules/@pulumi/pulumi"].version' "$root/package-lock.json")"
if [ "$locked" = "$CONSUMER_PULUMI" ]; then
  echo "pack-check: the consumer must use another @pulumi/pulumi than the lockfile's $locked" >&2
  exit 1
fi
npm_quiet=(--no-audit --no-fund --loglevel=error --prefer-offline)
started=$(date +%s)
elapsed() { echo "$(( $(date +%s) - started )) s"; }

# new_consumer DIR: an empty program (package.json and the example it will plan).
new_consumer() {
  mkdir -p "$1"
  printf '{ "name": "consumer", "version": "1.0.0", "private": true }\n' > "$1/package.json"
  cp "$root/examples/zookeeper-ensemble/index.ts" "$root/examples/zookeeper-ensemble/Pulumi.yaml" "$root/examples/zookeeper-ensemble/Pulumi.dev.yaml" "$1/"
}

# check_consumer DIR LABEL: everything a user of the installed package relies on.
check_consumer() {
  local dir=$1 label=$2
  cd "$dir"
  for pkg in @pulumi/pulumi @pulumi/kubernetes @pulumi/aws; do
    local copies
    copies="$(find "$dir/node_modules" -type f -path "*/node_modules/$pkg/package.json" | sort)"
    if [ "$(printf '%s\n' "$copies" | grep -c .)" -ne 1 ]; then
      printf '%s: expected one copy of %s, found:\n%s\n' "$label" "$pkg" "$copies" >&2
      exit 1
    fi
  done
  npm ls @pulumi/pulumi --all
  node -e '
    const [expected, label] = process.argv.slice(1);
    const peers = ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/aws"];
    peers.forEach((p) => require(p));
    const before = new Set(Object.keys(require.cache));
    const lib = require("stateful-stacks");
    const components = ["EbsStorageClass", "EfsStorageClass", "StatefulWorkload", "ExternalStore", "ReplicatedCache", "NodeLocalStore"];
    const missing = components.filter((name) => typeof lib[name] !== "function");
    if (missing.length) throw new Error(label + ": missing exports: " + missing.join(", "));
    const added = Object.keys(require.cache).filter((f) => !before.has(f));
    const foreign = added.filter((f) => !f.includes("/node_modules/stateful-stacks/bin/components/"));
    if (foreign.length) throw new Error(label + ": require(\"stateful-stacks\") loaded more than the library: " + foreign.join(", "));
    const sdk = require.resolve("@pulumi/pulumi/package.json", { paths: [require.resolve("stateful-stacks")] });
    const version = require(sdk).version;
    if (version !== expected) throw new Error(label + ": the library sees @pulumi/pulumi " + version + ", not the consumer'"'"'s " + expected);
    console.log(label + ": the six components load with the consumer'"'"'s @pulumi/pulumi " + version + " (" + added.length + " modules of the library, nothing else)");
  ' "$CONSUMER_PULUMI" "$label"
  cat > consumer.ts <<'TS'
import { EbsStorageClass, EbsStorageClassArgs, StatefulWorkload, StatefulWorkloadArgs } from "stateful-stacks";
const fast: EbsStorageClassArgs = { volumeType: "gp3", iops: 4000 };
export const make = (): StatefulWorkload => {
    const storageClass = new EbsStorageClass("fast", fast);
    const args: StatefulWorkloadArgs = {
        namespace: "db",
        image: "postgres:16.4",
        ports: [{ name: "postgres", port: 5432 }],
        volumes: [{ name: "data", mountPath: "/data", size: "10Gi", storageClass }],
    };
    return new StatefulWorkload("pg", args);
};
TS
  "$root/node_modules/.bin/tsc" --noEmit --strict --esModuleInterop --skipLibCheck --moduleResolution node --module commonjs --target ES2020 \
    --typeRoots "$root/node_modules/@types" --types node consumer.ts
  echo "$label: consumer.ts type-checks against the installed declarations"
  local cli=node_modules/.bin/stateful-stacks
  if [ "$("$cli" --version)" != "$version" ]; then
    echo "$label: stateful-stacks --version does not print $version" >&2
    exit 1
  fi
  "$cli" gate "$root/test/fixtures/preview/engine-no-changes.json" >/dev/null
  "$cli" plan --root "$dir" --out "$dir/out" >"$dir/plan.log" 2>&1 || { cat "$dir/plan.log" >&2; exit 1; }
  grep -q "every Kubernetes object is schema-valid" "$dir/plan.log"
  echo "$label: the installed CLI prints $version, gates a preview, and plans the zookeeper-ensemble example schema-valid ($(elapsed))"
}

echo "== pack"
cd "$root"
tarball="$(npm pack --silent --pack-destination "$scratch" | tail -n 1)"
echo "packed $tarball ($(du -k "$scratch/$tarball" | cut -f1) KiB, $(elapsed))"
unexpected="$(tar -tzf "$scratch/$tarball" | grep -Ev '^package/(package\.json|README\.md|LICENSE|CHANGELOG\.md|bin/components/.*|bin/tools/.*)$' || true)"
if [ -n "$unexpected" ]; then
  printf 'the tarball ships files outside the package contents:\n%s\n' "$unexpected" >&2
  exit 1
fi
if tar -tzf "$scratch/$tarball" | grep -q '^package/bin/tools/ci/'; then
  echo "the tarball ships the repository's CI scripts (bin/tools/ci/)" >&2
  exit 1
fi
new_consumer "$scratch/tarball"
(cd "$scratch/tarball" && npm install "${npm_quiet[@]}" "${CONSUMER_PEERS[@]}" tsx@4.20.6 "$scratch/$tarball")
echo "installed the tarball into a consumer ($(elapsed))"

# The git install runs in the background while the tarball consumer is checked. Its
# consumer is the same program with the tarball's package removed: the SDKs are already in
# place (hard links, no second download), and npm replaces the dependency with the git URL.
commit="$(git -C "$root" rev-parse HEAD)"
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
  echo "note: the git install takes the committed HEAD ($commit), not the uncommitted changes"
fi
git clone --quiet --no-checkout "$root" "$scratch/clone"
git -C "$scratch/clone" checkout --quiet --detach "$commit"
new_consumer "$scratch/git"
cp "$scratch/tarball/package.json" "$scratch/tarball/package-lock.json" "$scratch/git/"
cp -al "$scratch/tarball/node_modules" "$scratch/git/node_modules"
rm -rf "$scratch/git/node_modules/stateful-stacks" "$scratch/git/node_modules/.bin/stateful-stacks" "$scratch/git/node_modules/.package-lock.json"
(cd "$scratch/git" && npm install "${npm_quiet[@]}" "git+file://$scratch/clone#$commit") >"$scratch/git-install.log" 2>&1 &
git_install=$!

echo "== tarball"
check_consumer "$scratch/tarball" tarball

echo "== git"
status=0
wait "$git_install" || status=$?
git_install=""
cat "$scratch/git-install.log"
if [ "$status" -ne 0 ]; then
  echo "git: npm install git+file://<clone>#$commit failed (exit $status)" >&2
  exit 1
fi
echo "installed git+file://<clone>#${commit:0:12} into a consumer ($(elapsed))"
node -e '
  const spec = require(process.argv[1]).dependencies["stateful-stacks"];
  if (!spec.startsWith("git+file:")) throw new Error("git: the consumer depends on " + spec + ", not the git URL");
' "$scratch/git/package.json"
if [ ! -f "$scratch/git/node_modules/stateful-stacks/bin/components/index.js" ]; then
  echo "git: the installed package has no build (bin/components/index.js): prepare did not run" >&2
  exit 1
fi
check_consumer "$scratch/git" git
echo "pack-check: tarball and git installs work in a consumer with @pulumi/pulumi $CONSUMER_PULUMI ($(elapsed))"
