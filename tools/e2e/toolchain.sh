#!/usr/bin/env bash
# Builds the end-to-end toolchain from Go modules (once per pinned version, cached
# outside the repository) and prints the environment that runs it.
#
#   tools/e2e/toolchain.sh            build what is missing, print `export K=V` lines
#   tools/e2e/toolchain.sh --json     the same environment as one JSON object
#   tools/e2e/toolchain.sh --status   print what is built / building / missing; builds
#                                     nothing and never waits for a running build
#
# Overrides: STATEFUL_STACKS_KUBERNETES_PROVIDER=/path/to/pulumi-resource-kubernetes uses
# your own provider binary instead of building it from the Go module proxy;
# STATEFUL_STACKS_LANGUAGE_HOST=/path/to/pulumi-language-nodejs uses Pulumi's Go language
# host instead of the stand-in in tools/e2e/bin (the Go host is not on the proxy).
#
# Exit codes: 0 everything is there; 1 a build failed (its log is named on stderr);
# 3 a piece cannot be had on this machine (the environment is still printed, and
# STATEFUL_STACKS_E2E_MISSING names what is missing and why).
#
# Pins: the Pulumi CLI and the Kubernetes provider follow package-lock.json; the
# control plane follows KUBERNETES_VERSION below. A piece is rebuilt when its version
# or its build recipe (the function that builds it) changes.
set -euo pipefail

KUBERNETES_VERSION=1.34.1
# Node simulator: marks pods on fake nodes Running and Ready (no kubelet, no containers).
KWOK_VERSION=0.8.0
# etcd 3.4.x is what Debian bookworm ships; kube-apiserver 1.34 accepts it (see README).
ETCD_MIN_VERSION=3.4.0
# VolumeSnapshot CRDs and the snapshot-controller (external-snapshotter).
SNAPSHOTTER_VERSION=8.7.0
# YAML language host, for the YAML program of the component provider test (9a-yaml).
PULUMI_YAML_VERSION=1.25.0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${STATEFUL_STACKS_CACHE:-$HOME/.cache/stateful-stacks}/toolchain
mode=env
case "${1:-}" in
  "") ;;
  --json) mode=json ;;
  --status) mode=status ;;
  -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "toolchain.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

log() { echo "toolchain: $*" >&2; }

lock_version() {
  node -e '
    const lock = require(process.argv[1]);
    const entry = lock.packages && lock.packages["node_modules/" + process.argv[2]];
    if (!entry) { console.error(`${process.argv[2]} is not in ${process.argv[1]}`); process.exit(1); }
    console.log(entry.version);
  ' "$repo/package-lock.json" "$1"
}

PULUMI_VERSION=$(lock_version @pulumi/pulumi)
KUBERNETES_PROVIDER_VERSION=$(lock_version @pulumi/kubernetes)

# Builds run beside the tests of others on a small machine: low priority, two jobs.
go_env() {
  env GOFLAGS="-buildvcs=false -mod=mod -p=${STATEFUL_STACKS_GO_JOBS:-2}" \
    GOTOOLCHAIN=local \
    GONOSUMDB='github.com/pulumi/*' \
    "$@"
}

# recipe_key NAME VERSION: a directory name that changes with the version and with the
# text of the function that builds the piece.
recipe_key() {
  local hash
  hash=$(declare -f "build_$1" | sha256sum | cut -c1-12)
  echo "$1-$2-$hash"
}

# ensure NAME VERSION: build the piece into $cache/<key> unless it is already complete.
# Sets piece_dir.
ensure() {
  local name=$1 version=$2 key
  key=$(recipe_key "$name" "$version")
  piece_dir=$cache/$key
  if [[ -f $piece_dir/.complete ]]; then
    return 0
  fi
  if [[ $mode == status ]]; then
    log "$name $version: not built ($piece_dir)"
    return 0
  fi
  rm -rf "$piece_dir.tmp"
  mkdir -p "$piece_dir.tmp"
  log "$name $version: building (log: $piece_dir.tmp/build.log)"
  local start=$SECONDS rc=0
  ( "build_$name" "$piece_dir.tmp" "$version" ) > "$piece_dir.tmp/build.log" 2>&1 || rc=$?
  if [[ $rc -eq 3 ]]; then
    missing+=("$name: $(tail -n 1 "$piece_dir.tmp/build.log")")
    log "$name $version: unavailable: $(tail -n 1 "$piece_dir.tmp/build.log")"
    return 0
  fi
  if [[ $rc -ne 0 ]]; then
    log "$name $version: build failed, last lines of $piece_dir.tmp/build.log:"
    tail -n 25 "$piece_dir.tmp/build.log" >&2
    exit 1
  fi
  echo $((SECONDS - start)) > "$piece_dir.tmp/build-seconds"
  rm -rf "$piece_dir"
  mv "$piece_dir.tmp" "$piece_dir"
  touch "$piece_dir/.complete"
  log "$name $version: built in $((SECONDS - start)) s"
}

# Pulumi CLI. pkg/v3 carries replace directives (sdk => ../sdk, a clipboard fork), so
# `go install` refuses it; a module of ours requires it with equivalent replaces.
build_pulumi() {
  local out=$1 version=$2 mod=$1/module
  mkdir -p "$mod" "$out/bin"
  cat > "$mod/go.mod" <<EOF
module stateful-stacks.local/toolchain/pulumi

go 1.25.11

require (
	github.com/pulumi/pulumi/pkg/v3 v$version
	github.com/pulumi/pulumi/sdk/v3 v$version
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
EOF
  cat > "$mod/tools.go" <<'EOF'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
EOF
  cd "$mod"
  go_env go mod tidy
  go_env nice -n 10 go build -trimpath \
    -ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
    -o "$out/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  "$out/bin/pulumi" version
}

# Control plane from k8s.io/kubernetes, its staging modules replaced by the versions
# published for the same release (k8s.io/api v0.X.Y for Kubernetes v1.X.Y).
build_kubernetes() {
  local out=$1 version=$2 mod=$1/module staging
  mkdir -p "$mod" "$out/bin"
  staging="api apiextensions-apiserver apimachinery apiserver cli-runtime client-go
    cloud-provider cluster-bootstrap code-generator component-base component-helpers
    controller-manager cri-api cri-client csi-translation-lib dynamic-resource-allocation
    endpointslice externaljwt kms kube-aggregator kube-controller-manager kube-proxy
    kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission
    sample-apiserver sample-cli-plugin sample-controller"
  {
    printf 'module stateful-stacks.local/toolchain/kubernetes\n\ngo 1.24.0\n\n'
    printf 'godebug default=go1.24\n\nrequire k8s.io/kubernetes v%s\n\nreplace (\n' "$version"
    for m in $staging; do printf '\tk8s.io/%s => k8s.io/%s v0.%s\n' "$m" "$m" "${version#1.}"; done
    printf ')\n'
  } > "$mod/go.mod"
  cat > "$mod/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
EOF
  cd "$mod"
  go_env go mod tidy
  local v minor ldflags=""
  minor=$(echo "$version" | cut -d. -f2)
  for v in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $v.gitVersion=v$version -X $v.gitMajor=1 -X $v.gitMinor=$minor"
    ldflags+=" -X $v.gitTreeState=clean -X $v.buildDate=1970-01-01T00:00:00Z"
  done
  go_env nice -n 10 go build -trimpath -ldflags="-s -w$ldflags" -o "$out/bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler
  "$out/bin/kube-apiserver" --version
}

# kwok has no replace directives, so `go install` builds it; its stage definitions (the
# "fast" node and pod lifecycles) ship in the module and are copied beside the binary.
build_kwok() {
  local out=$1 version=$2 module=sigs.k8s.io/kwok dir stage
  mkdir -p "$out/bin" "$out/stages"
  cd "$out"
  # `go install pkg@version` accepts no -mod flag.
  go_env GOFLAGS="-buildvcs=false -p=${STATEFUL_STACKS_GO_JOBS:-2}" GOBIN="$out/bin" \
    nice -n 10 go install -trimpath -ldflags="-s -w" "$module/cmd/kwok@v$version"
  dir=$(go_env go mod download -json "$module@v$version" | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).Dir));')
  for stage in node/fast/node-initialize node/heartbeat/node-heartbeat \
      pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
    cp "$dir/kustomize/stage/$stage.yaml" "$out/stages/"
  done
  chmod u+w "$out/stages"/*
}

# The Kubernetes provider plugin, built from the Go module proxy. The proxy serves the
# provider module only at the pseudo-versions below (one per @pulumi/kubernetes release
# the lockfile may pin; the tagged versions are refused), so this table maps the npm
# version to the module version. Recipe: a writable copy of the module, its
# `replace sdk/v4 => ../sdk` swapped for the published SDK module of the same release,
# `go generate` (writes the schema the binary embeds; needs VERSION), then the build.
declare -A PROVIDER_MODULE_VERSIONS=(
  [4.25.0]=v4.0.0-20260115033456-f47bc2d6f199
)
build_kubernetes_provider() {
  local out=$1 version=$2 module=github.com/pulumi/pulumi-kubernetes/provider/v4 modver dir
  modver=${PROVIDER_MODULE_VERSIONS[$version]:-}
  if [[ -z $modver ]]; then
    echo "no Go module version is known for @pulumi/kubernetes $version (PROVIDER_MODULE_VERSIONS in tools/e2e/toolchain.sh knows: ${!PROVIDER_MODULE_VERSIONS[*]})"
    return 3
  fi
  mkdir -p "$out/bin"
  if ! dir=$(go_env go mod download -json "$module@$modver" | node -e '
      let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
        const j = JSON.parse(s);
        if (j.Error) { console.error(j.Error); process.exit(1); }
        console.log(j.Dir);
      });'); then
    echo "the Go module proxy does not serve $module@$modver"
    return 3
  fi
  cp -r "$dir" "$out/src"
  chmod -R u+w "$out/src"
  cd "$out/src"
  go_env go mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4 \
    -require "github.com/pulumi/pulumi-kubernetes/sdk/v4@v$version"
  go_env VERSION="$version" nice -n 10 go generate ./cmd/pulumi-resource-kubernetes
  go_env CGO_ENABLED=0 nice -n 10 go build -trimpath \
    -ldflags="-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$version" \
    -o "$out/bin/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes
  rm -rf "$out/src"
  "$out/bin/pulumi-resource-kubernetes" --help > /dev/null 2>&1 || true
  ls -l "$out/bin/pulumi-resource-kubernetes"
}

# etcd from Debian's archive (no Go build needed).
build_etcd() {
  local out=$1
  if ! command -v etcd > /dev/null; then
    if [[ $(id -u) -ne 0 ]]; then
      echo "etcd is not installed and installing etcd-server needs root"
      return 3
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server
  fi
  local have
  have=$(etcd --version | sed -n 's/^etcd Version: //p')
  if [[ $(printf '%s\n%s\n' "$ETCD_MIN_VERSION" "$have" | sort -V | head -n 1) != "$ETCD_MIN_VERSION" ]]; then
    echo "etcd $have is older than $ETCD_MIN_VERSION"
    return 3
  fi
  mkdir -p "$out/bin"
  ln -sf "$(command -v etcd)" "$out/bin/etcd"
  echo "etcd $have"
}

# The snapshot-controller (and the snapshot CRDs it serves) from the Go module proxy:
# github.com/kubernetes-csi/external-snapshotter/v8 replaces its client module with
# ./client, which the module's zip leaves out (a nested module), so a writable copy
# requires the published client module of the same release instead. The CRDs ship in
# that client module (config/crd) and are copied beside the binary.
build_snapshotter() {
  local out=$1 version=$2 module=github.com/kubernetes-csi/external-snapshotter dir client
  mkdir -p "$out/bin" "$out/crds"
  dir=$(go_env go mod download -json "$module/v8@v$version" | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).Dir));')
  client=$(go_env go mod download -json "$module/client/v8@v$version" | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).Dir));')
  cp -r "$dir" "$out/src"
  chmod -R u+w "$out/src"
  cd "$out/src"
  go_env go mod edit -dropreplace "$module/client/v8" -require "$module/client/v8@v$version"
  go_env go mod tidy
  go_env CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags="-s -w -X main.version=v$version" \
    -o "$out/bin/snapshot-controller" ./cmd/snapshot-controller
  cd "$out"
  rm -rf "$out/src"
  cp "$client"/config/crd/snapshot.storage.k8s.io_*.yaml "$client"/config/crd/groupsnapshot.storage.k8s.io_*.yaml "$out/crds/"
  chmod u+w "$out/crds"/*
  "$out/bin/snapshot-controller" --help > /dev/null 2>&1 || true
  ls -l "$out/bin/snapshot-controller" "$out/crds"
}

# Pulumi's YAML language host (pulumi-yaml has no replace directives: `go install` works).
build_pulumi_yaml() {
  local out=$1 version=$2
  mkdir -p "$out/bin"
  go_env GOFLAGS="-buildvcs=false -p=${STATEFUL_STACKS_GO_JOBS:-2}" GOBIN="$out/bin" \
    nice -n 10 go install -trimpath -ldflags="-s -w" \
    "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$version"
  "$out/bin/pulumi-language-yaml" -version 2>/dev/null || echo "pulumi-language-yaml $version built"
}

missing=()
mkdir -p "$cache"
pulumi_home=$cache/pulumi-home

# The provider: built from the Go module proxy, unless a binary of your own is named by
# STATEFUL_STACKS_KUBERNETES_PROVIDER (registered as the plugin of the locked version).
provider_override=${STATEFUL_STACKS_KUBERNETES_PROVIDER:-}
if [[ -n $provider_override && ! -x $provider_override ]]; then
  echo "toolchain.sh: STATEFUL_STACKS_KUBERNETES_PROVIDER=$provider_override is not an executable file" >&2
  exit 2
fi
# The Node.js language host: tools/e2e/bin/pulumi-language-nodejs (Pulumi's Go host is
# not on the Go module proxy), unless STATEFUL_STACKS_LANGUAGE_HOST names a binary of
# Pulumi's own host built elsewhere for the CLI's version.
language_override=${STATEFUL_STACKS_LANGUAGE_HOST:-}
if [[ -n $language_override && ! -x $language_override ]]; then
  echo "toolchain.sh: STATEFUL_STACKS_LANGUAGE_HOST=$language_override is not an executable file" >&2
  exit 2
fi
if [[ -n $language_override ]]; then language_host=real; else language_host=stand-in; fi

# --status reads the cache only: it never takes the build lock, so it answers at once
# while a build runs (the piece being built is reported as "building").
if [[ $mode == status ]]; then
  building=no
  exec 9> "$cache/.lock"
  flock -n 9 || building=yes
  status_piece() {
    local name=$1 version=$2 dir
    dir=$cache/$(recipe_key "$name" "$version")
    if [[ -f $dir/.complete ]]; then
      echo "built $name $version ($(cat "$dir/build-seconds" 2>/dev/null || echo '?') s): $dir"
    elif [[ $building == yes && -d $dir.tmp ]]; then
      echo "building $name $version (log: $dir.tmp/build.log)"
    else
      echo "missing $name $version: $dir"
    fi
  }
  status_piece pulumi "$PULUMI_VERSION"
  status_piece kubernetes "$KUBERNETES_VERSION"
  status_piece etcd debian
  status_piece kwok "$KWOK_VERSION"
  status_piece snapshotter "$SNAPSHOTTER_VERSION"
  status_piece pulumi_yaml "$PULUMI_YAML_VERSION"
  if [[ -n $provider_override ]]; then
    echo "override kubernetes_provider $KUBERNETES_PROVIDER_VERSION: $provider_override (STATEFUL_STACKS_KUBERNETES_PROVIDER)"
  else
    status_piece kubernetes_provider "$KUBERNETES_PROVIDER_VERSION"
  fi
  if [[ $language_host == real ]]; then
    echo "language host: real (STATEFUL_STACKS_LANGUAGE_HOST): $language_override"
  else
    echo "language host: stand-in: $here/bin/pulumi-language-nodejs"
  fi
  [[ $building == no ]] || echo "a build is running (lock $cache/.lock held)"
  exit 0
fi

# One build at a time per cache (a test harness and a shell may both call this).
exec 9> "$cache/.lock"
flock 9
ensure pulumi "$PULUMI_VERSION";                           pulumi_dir=$piece_dir
ensure kubernetes "$KUBERNETES_VERSION";                   kubernetes_dir=$piece_dir
ensure etcd debian;                                        etcd_dir=$piece_dir
ensure kwok "$KWOK_VERSION";                               kwok_dir=$piece_dir
ensure snapshotter "$SNAPSHOTTER_VERSION";                 snapshotter_dir=$piece_dir
ensure pulumi_yaml "$PULUMI_YAML_VERSION";                 yaml_dir=$piece_dir
if [[ -z $provider_override ]]; then
  ensure kubernetes_provider "$KUBERNETES_PROVIDER_VERSION"; provider_dir=$piece_dir
  provider_bin=$provider_dir/bin/pulumi-resource-kubernetes
else
  provider_bin=$provider_override
fi

# Pulumi looks for its language host and the dynamic-provider plugin next to its own
# binary first (anywhere else on PATH earns a warning on every run), so they are copied
# there from tools/e2e/bin (or the language host from STATEFUL_STACKS_LANGUAGE_HOST).
if [[ -x $pulumi_dir/bin/pulumi ]]; then
  for shim in "$here"/bin/*; do
    name=$(basename "$shim")
    [[ $name == pulumi-language-nodejs && $language_host == real ]] && shim=$language_override
    cmp -s "$shim" "$pulumi_dir/bin/$name" || install -m 0755 "$shim" "$pulumi_dir/bin/$name"
  done
fi

# The provider is registered as the plugin of the locked version, again whenever the
# installed file differs from the one built (or named).
installed_provider=$pulumi_home/plugins/resource-kubernetes-v$KUBERNETES_PROVIDER_VERSION/pulumi-resource-kubernetes
if [[ -x $provider_bin && -x $pulumi_dir/bin/pulumi ]] && ! cmp -s "$provider_bin" "$installed_provider"; then
  log "kubernetes_provider $KUBERNETES_PROVIDER_VERSION: installing $provider_bin as the plugin"
  PULUMI_HOME=$pulumi_home "$pulumi_dir/bin/pulumi" plugin install resource kubernetes \
    "$KUBERNETES_PROVIDER_VERSION" --file "$provider_bin" --reinstall >&2
fi

missing_text=$(IFS=';'; echo "${missing[*]:-}")
env_names=(PATH PULUMI_HOME PULUMI_SKIP_UPDATE_CHECK PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION
  PULUMI_CONFIG_PASSPHRASE STATEFUL_STACKS_E2E_BIN STATEFUL_STACKS_E2E_KWOK_STAGES
  STATEFUL_STACKS_E2E_LANGUAGE_HOST STATEFUL_STACKS_E2E_MISSING STATEFUL_STACKS_E2E_NODEJS_SDK_ROOT
  STATEFUL_STACKS_E2E_SNAPSHOT_CRDS)
declare -A env_values=(
  [PATH]="$pulumi_dir/bin:$kubernetes_dir/bin:$etcd_dir/bin:$kwok_dir/bin:$snapshotter_dir/bin:$yaml_dir/bin:$PATH"
  [PULUMI_HOME]="$pulumi_home"
  [PULUMI_SKIP_UPDATE_CHECK]=true
  [PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION]=true
  # A fixed passphrase: the e2e stacks hold test data only.
  [PULUMI_CONFIG_PASSPHRASE]="stateful-stacks-e2e"
  [STATEFUL_STACKS_E2E_BIN]="$pulumi_dir/bin:$kubernetes_dir/bin:$etcd_dir/bin:$kwok_dir/bin:$snapshotter_dir/bin:$yaml_dir/bin"
  [STATEFUL_STACKS_E2E_KWOK_STAGES]="$kwok_dir/stages"
  # real: Pulumi's Go language host; stand-in: tools/e2e/bin/pulumi-language-nodejs.
  [STATEFUL_STACKS_E2E_LANGUAGE_HOST]="$language_host"
  [STATEFUL_STACKS_E2E_MISSING]="$missing_text"
  # The snapshot CRDs (YAML) that cluster.sh installs.
  [STATEFUL_STACKS_E2E_SNAPSHOT_CRDS]="$snapshotter_dir/crds"
  # Where the stand-in host loads @pulumi/pulumi from when the program it is started for
  # is not a Node.js project (a YAML program using the component provider).
  [STATEFUL_STACKS_E2E_NODEJS_SDK_ROOT]="$repo"
)
if [[ $mode == json ]]; then
  for k in "${env_names[@]}"; do printf '%s\0%s\0' "$k" "${env_values[$k]}"; done |
    node -e '
      const parts = require("fs").readFileSync(0, "utf8").split("\0");
      const env = {};
      for (let i = 0; i + 1 < parts.length; i += 2) env[parts[i]] = parts[i + 1];
      console.log(JSON.stringify(env, null, 2));'
else
  for k in "${env_names[@]}"; do printf 'export %s=%q\n' "$k" "${env_values[$k]}"; done
fi
[[ ${#missing[@]} -eq 0 ]] || exit 3
