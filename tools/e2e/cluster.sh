#!/usr/bin/env bash
# A local Kubernetes cluster on 127.0.0.1 for the end-to-end tier: etcd, kube-apiserver,
# kube-controller-manager and kube-scheduler (certificates made here by openssl), plus two
# simulations at the edge: kwok plays the kubelets of simulated nodes in three zones (pods
# scheduled to them become Running and Ready; no container runs), and provisioner.js plays
# the cloud's volume drivers (ebs.csi.aws.com, efs.csi.aws.com, and local volumes for
# kubernetes.io/no-provisioner classes): every claim the PV controller and the scheduler
# hand over gets a PersistentVolume (no real volume exists), Released volumes of Delete
# classes are deleted, grown claims are expanded.
# Snapshots: the VolumeSnapshot CRDs and the real snapshot-controller (external-snapshotter,
# built by toolchain.sh from the Go module proxy) run here; the CSI snapshotter sidecar
# and the EBS driver's CreateSnapshot are played by provisioner.js (see its header).
#
#   tools/e2e/cluster.sh start [--json]   start (or find running), wait until ready,
#                                         print `export K=V` lines (or JSON)
#   tools/e2e/cluster.sh env [--json]     print the environment of the running cluster
#   tools/e2e/cluster.sh stop [--keep]    stop it and remove its directory (--keep: keep
#                                         data and logs)
#   tools/e2e/cluster.sh run -- CMD...    start, run CMD with the environment, stop
#                                         (also on failure or signal); exits with CMD's code
#   tools/e2e/cluster.sh apiserver stop|start
#                                         stop / start only kube-apiserver of the running
#                                         cluster (same port, same data; for fault tests)
#
# Where: $STATEFUL_STACKS_CLUSTER_DIR (default ${TMPDIR:-/tmp}/stateful-stacks-cluster).
# Readiness wait: $STATEFUL_STACKS_CLUSTER_TIMEOUT seconds (default 180).
# Simulated nodes: $STATEFUL_STACKS_CLUSTER_NODES (default 3; 0 for none, and then no
# storage nodes either), named kwok-node-<i>, zones local-a, local-b, local-c in turn
# (label topology.kubernetes.io/zone); plus $STATEFUL_STACKS_CLUSTER_STORAGE_NODES
# (default 2) storage nodes kwok-storage-<i> in zones local-a, local-b, ... labelled
# stateful-stacks.io/storage=local and tainted stateful-stacks.io/storage=local:NoSchedule
# (what the node-local-store scenario selects and tolerates). 32 CPU, 256Gi, 110 pods each.
# Binaries: from $PATH if there, else from tools/e2e/toolchain.sh (which builds them).
# Exit codes: 0 ok; 1 failed to start (logs are named on stderr, processes stopped);
# 2 usage; 4 `env` with no running cluster.
set -eEuo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${STATEFUL_STACKS_CLUSTER_DIR:-${TMPDIR:-/tmp}/stateful-stacks-cluster}
timeout=${STATEFUL_STACKS_CLUSTER_TIMEOUT:-180}
nodes=${STATEFUL_STACKS_CLUSTER_NODES:-3}
storage_nodes=${STATEFUL_STACKS_CLUSTER_STORAGE_NODES:-2}
if [[ $nodes -eq 0 ]]; then storage_nodes=0; fi
storage_label=stateful-stacks.io/storage=local
components=(etcd kube-apiserver kube-controller-manager kube-scheduler snapshot-controller provisioner)
if [[ $nodes -gt 0 ]]; then components+=(kwok); fi

log() { echo "cluster: $*" >&2; }

usage() { sed -n '2,/^[^#]/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

find_binaries() {
  local missing=0 c
  for c in "${components[@]}"; do [[ $c == provisioner ]] || command -v "$c" > /dev/null || missing=1; done
  if [[ $nodes -gt 0 && -z ${STATEFUL_STACKS_E2E_KWOK_STAGES:-} ]]; then missing=1; fi
  if [[ -z ${STATEFUL_STACKS_E2E_SNAPSHOT_CRDS:-} ]]; then missing=1; fi
  if [[ $missing -eq 1 ]]; then
    local out rc=0
    out=$("$here/toolchain.sh") || rc=$?
    # Exit 3 names pieces that cannot be had; the control plane may still be complete.
    [[ $rc -eq 0 || $rc -eq 3 ]] || { log "toolchain.sh failed ($rc)"; exit 1; }
    eval "$out"
  fi
  for c in "${components[@]}"; do
    [[ $c == provisioner ]] && continue
    command -v "$c" > /dev/null || { log "$c not found (tools/e2e/toolchain.sh builds it)"; exit 1; }
  done
}

free_ports() {
  node -e '
    const net = require("net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", () => ok(s.address().port)))))
      .then((ports) => { console.log(ports.join(" ")); servers.forEach((s) => s.close()); });
  ' "$1"
}

alive() { [[ -f $dir/$1.pid ]] && kill -0 "$(cat "$dir/$1.pid")" 2> /dev/null; }

# The components a start launched (the node count may differ between start and stop).
started_components() {
  if [[ -f $dir/components ]]; then cat "$dir/components"; else printf '%s\n' "${components[@]}"; fi
}

running() {
  local c
  for c in $(started_components); do alive "$c" || return 1; done
}

print_env() {
  # shellcheck source=/dev/null
  source "$dir/ports.env"
  local -a names=(KUBECONFIG STATEFUL_STACKS_CLUSTER_DIR STATEFUL_STACKS_APISERVER)
  local -a values=("$dir/admin.kubeconfig" "$dir" "https://127.0.0.1:$API_PORT")
  local i
  if [[ ${1:-} == --json ]]; then
    printf '{\n'
    for i in "${!names[@]}"; do
      printf '  "%s": "%s"%s\n' "${names[$i]}" "${values[$i]}" "$([[ $i -lt $((${#names[@]} - 1)) ]] && echo ,)"
    done
    printf '}\n'
  else
    for i in "${!names[@]}"; do printf 'export %s=%q\n' "${names[$i]}" "${values[$i]}"; done
  fi
}

# make_cert NAME SUBJECT EXTENSIONS: a key pair signed by the cluster CA.
make_cert() {
  local name=$1 subject=$2 extensions=$3
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/pki/$name.key" -subj "$subject" -out "$dir/pki/$name.csr" 2> /dev/null
  openssl x509 -req -in "$dir/pki/$name.csr" -CA "$dir/pki/ca.crt" -CAkey "$dir/pki/ca.key" \
    -CAcreateserial -days 7 -out "$dir/pki/$name.crt" -extfile <(printf '%s\n' "$extensions") 2> /dev/null
  rm "$dir/pki/$name.csr"
}

make_kubeconfig() {
  local name=$1
  cat > "$dir/$name.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: stateful-stacks-e2e
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority: $dir/pki/ca.crt
users:
- name: $name
  user:
    client-certificate: $dir/pki/$name.crt
    client-key: $dir/pki/$name.key
contexts:
- name: stateful-stacks-e2e
  context:
    cluster: stateful-stacks-e2e
    user: $name
current-context: stateful-stacks-e2e
EOF
}

make_pki() {
  mkdir -p "$dir/pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
    -keyout "$dir/pki/ca.key" -out "$dir/pki/ca.crt" -subj "/CN=stateful-stacks-e2e-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2> /dev/null
  local client="keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
  make_cert apiserver "/CN=kube-apiserver" "keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  make_cert admin "/O=system:masters/CN=stateful-stacks-e2e-admin" "$client"
  make_cert controller-manager "/CN=system:kube-controller-manager" "$client"
  make_cert scheduler "/CN=system:kube-scheduler" "$client"
  # Service-account tokens are signed with RSA (RS256), what every client expects.
  openssl genrsa -out "$dir/pki/sa.key" 2048 2> /dev/null
  openssl rsa -in "$dir/pki/sa.key" -pubout -out "$dir/pki/sa.pub" 2> /dev/null
  make_kubeconfig admin
  make_kubeconfig controller-manager
  make_kubeconfig scheduler
}

launch() {
  local name=$1
  shift
  launch_as "$name" "$name" "$@"
}

# launch_as NAME COMMAND ARGS...: like launch, for a component whose command is not its name.
launch_as() {
  local name=$1
  shift
  # Own session: a Ctrl-C in the caller's terminal does not reach the cluster.
  setsid "$@" >> "$dir/$name.log" 2>&1 < /dev/null &
  echo $! > "$dir/$name.pid"
}

# wait_for NAME PROBE...: until the probe succeeds, the component dies, or time runs out.
wait_for() {
  local name=$1
  shift
  while ! "$@" > /dev/null 2>&1; do
    if ! alive "$name"; then
      log "$name exited; last lines of $dir/$name.log:"
      tail -n 20 "$dir/$name.log" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log "$name not ready after ${timeout}s; last lines of $dir/$name.log:"
      tail -n 20 "$dir/$name.log" >&2
      return 1
    fi
    sleep 0.5
  done
}

admin_get() {
  curl -sf --cacert "$dir/pki/ca.crt" --cert "$dir/pki/admin.crt" --key "$dir/pki/admin.key" \
    "https://127.0.0.1:$API_PORT$1"
}

healthz() { curl -sfk "https://127.0.0.1:$1/healthz"; }

admin_post() {
  curl -sf --cacert "$dir/pki/ca.crt" --cert "$dir/pki/admin.crt" --key "$dir/pki/admin.key" \
    -X POST -H 'content-type: application/json' -d "$2" "https://127.0.0.1:$API_PORT$1"
}

node_ready() {
  admin_get "/api/v1/nodes/$1" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const ready = (JSON.parse(s).status.conditions ?? []).find((c) => c.type === "Ready");
      process.exit(ready?.status === "True" ? 0 : 1);
    });'
}

# add_node NAME ZONE EXTRA_LABELS_JSON TAINTS_JSON
add_node() {
  admin_post /api/v1/nodes "$(printf '{"apiVersion":"v1","kind":"Node","metadata":{"name":"%s",
    "annotations":{"kwok.x-k8s.io/node":"fake","node.alpha.kubernetes.io/ttl":"0"},
    "labels":{"kubernetes.io/hostname":"%s","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64",
      "type":"kwok","topology.kubernetes.io/zone":"%s"%s}},
    "spec":{"taints":%s},
    "status":{"allocatable":{"cpu":"32","memory":"256Gi","pods":"110"},
      "capacity":{"cpu":"32","memory":"256Gi","pods":"110"}}}' "$1" "$1" "$2" "$3" "$4")" > /dev/null
}

start_nodes() {
  local stages=$STATEFUL_STACKS_E2E_KWOK_STAGES i name zones=(local-a local-b local-c)
  local key=${storage_label%%=*} value=${storage_label#*=}
  launch kwok --kubeconfig "$dir/admin.kubeconfig" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-ip 127.0.0.1 --cidr 10.244.0.0/16 \
    -c "$stages/node-initialize.yaml" -c "$stages/node-heartbeat.yaml" \
    -c "$stages/pod-ready.yaml" -c "$stages/pod-complete.yaml" -c "$stages/pod-delete.yaml"
  for ((i = 0; i < nodes; i++)); do
    add_node "kwok-node-$i" "${zones[$((i % 3))]}" "" "[]"
  done
  for ((i = 0; i < storage_nodes; i++)); do
    add_node "kwok-storage-$i" "${zones[$((i % 3))]}" ",\"$key\":\"$value\"" \
      "[{\"key\":\"$key\",\"value\":\"$value\",\"effect\":\"NoSchedule\"}]"
  done
  for ((i = 0; i < nodes; i++)); do wait_for kwok node_ready "kwok-node-$i"; done
  for ((i = 0; i < storage_nodes; i++)); do wait_for kwok node_ready "kwok-storage-$i"; done
}

# The snapshot CRDs (YAML, which the API server takes as it is), established before the
# snapshot-controller starts watching them.
install_snapshot_crds() {
  local crd
  for crd in "$STATEFUL_STACKS_E2E_SNAPSHOT_CRDS"/*.yaml; do
    curl -sf --cacert "$dir/pki/ca.crt" --cert "$dir/pki/admin.crt" --key "$dir/pki/admin.key" \
      -X POST -H 'content-type: application/yaml' --data-binary "@$crd" \
      "https://127.0.0.1:$API_PORT/apis/apiextensions.k8s.io/v1/customresourcedefinitions" > /dev/null
  done
  local resource
  for resource in volumesnapshots volumesnapshotcontents volumesnapshotclasses; do
    wait_for kube-apiserver admin_get "/apis/snapshot.storage.k8s.io/v1/$resource"
  done
}

# The real snapshot-controller, with the admin client certificate (a cluster would give it
# its ServiceAccount and ClusterRole from the module's deploy/ manifests).
start_snapshot_controller() {
  install_snapshot_crds
  launch snapshot-controller --kubeconfig "$dir/admin.kubeconfig" --leader-election=false \
    --resync-period 10s --retry-interval-start 1s --retry-interval-max 10s
}

start_provisioner() {
  launch_as provisioner node "$here/provisioner.js" --server "https://127.0.0.1:$API_PORT" \
    --ca "$dir/pki/ca.crt" --cert "$dir/pki/admin.crt" --key "$dir/pki/admin.key" \
    --storage-label "$storage_label"
  wait_for provisioner grep -q "registered CSIDriver efs.csi.aws.com" "$dir/provisioner.log"
}

# WatchList=false: clients ask for watch-list streams, which etcd 3.4 cannot serve (no
# RequestWatchProgress); with the server refusing them they use plain LIST/WATCH. Without
# it kwok's pod watch keeps ending and pods become Ready only at its next re-list, tens of
# seconds late.
launch_apiserver() {
  launch kube-apiserver \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
    --cert-dir "$dir/pki" --tls-cert-file "$dir/pki/apiserver.crt" --tls-private-key-file "$dir/pki/apiserver.key" \
    --client-ca-file "$dir/pki/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$dir/pki/sa.pub" --service-account-signing-key-file "$dir/pki/sa.key" \
    --service-cluster-ip-range 10.0.0.0/24 \
    --authorization-mode RBAC --allow-privileged=true \
    --endpoint-reconciler-type none --profiling=false --feature-gates WatchList=false
}

# stop_component NAME [GRACE]: TERM, then KILL after GRACE seconds (default 10).
stop_component() {
  local pid tries=$((${2:-10} * 5))
  if alive "$1"; then
    pid=$(cat "$dir/$1.pid")
    kill "$pid" 2> /dev/null || true
    for _ in $(seq 1 "$tries"); do kill -0 "$pid" 2> /dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2> /dev/null || true
  fi
  rm -f "$dir/$1.pid"
}

apiserver() {
  [[ -f $dir/ports.env ]] || { log "no cluster in $dir"; exit 4; }
  # shellcheck source=/dev/null
  source "$dir/ports.env"
  case "${1:-}" in
    stop)
      # A short grace: the server stops listening at once, and its watches would keep
      # a graceful shutdown going for a minute.
      stop_component kube-apiserver 2
      log "kube-apiserver stopped (https://127.0.0.1:$API_PORT)"
      ;;
    start)
      if alive kube-apiserver; then log "kube-apiserver already running"; return 0; fi
      command -v kube-apiserver > /dev/null || { components=(kube-apiserver); find_binaries; }
      deadline=$((SECONDS + timeout))
      launch_apiserver
      wait_for kube-apiserver admin_get /readyz
      log "kube-apiserver ready again in ${SECONDS}s (https://127.0.0.1:$API_PORT)"
      ;;
    *) usage ;;
  esac
}

start() {
  if [[ -f $dir/ports.env ]] && running; then
    log "already running in $dir"
    return 0
  fi
  stop_cluster
  find_binaries
  mkdir -p "$dir"
  printf '%s\n' "${components[@]}" > "$dir/components"
  local ports
  read -r -a ports <<< "$(free_ports 5)"
  printf 'API_PORT=%s\nETCD_PORT=%s\nETCD_PEER_PORT=%s\nCM_PORT=%s\nSCHED_PORT=%s\n' \
    "${ports[@]}" > "$dir/ports.env"
  # shellcheck source=/dev/null
  source "$dir/ports.env"
  make_pki
  trap 'log "start failed; stopping"; stop_cluster --keep' ERR
  deadline=$((SECONDS + timeout))

  launch etcd --name e2e --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "e2e=http://127.0.0.1:$ETCD_PEER_PORT" --logger zap --log-level warn
  wait_for etcd curl -sf "http://127.0.0.1:$ETCD_PORT/health"

  launch_apiserver
  wait_for kube-apiserver admin_get /readyz

  launch kube-controller-manager \
    --kubeconfig "$dir/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$dir/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$dir/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$CM_PORT" --cert-dir "$dir/pki/controller-manager" \
    --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file "$dir/pki/sa.key" --root-ca-file "$dir/pki/ca.crt" \
    --pvclaimbinder-sync-period 2s \
    --cluster-signing-cert-file "$dir/pki/ca.crt" --cluster-signing-key-file "$dir/pki/ca.key" \
    --profiling=false
  launch kube-scheduler \
    --kubeconfig "$dir/scheduler.kubeconfig" \
    --authentication-kubeconfig "$dir/scheduler.kubeconfig" \
    --authorization-kubeconfig "$dir/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$SCHED_PORT" --leader-elect=false --profiling=false
  wait_for kube-controller-manager healthz "$CM_PORT"
  wait_for kube-scheduler healthz "$SCHED_PORT"
  # Pods are admitted only once the controller manager made the namespace's service account.
  wait_for kube-controller-manager admin_get /api/v1/namespaces/default/serviceaccounts/default
  start_snapshot_controller
  start_provisioner
  if [[ $nodes -gt 0 ]]; then start_nodes; fi
  trap - ERR
  log "ready in ${SECONDS}s: https://127.0.0.1:$API_PORT ($dir)"
}

stop_cluster() {
  local c
  for c in $(started_components | tac); do stop_component "$c"; done
  if [[ ${1:-} != --keep ]]; then
    rm -rf "$dir"
  fi
}

command=${1:-}
shift || true
case "$command" in
  start)
    start
    print_env "${1:-}"
    ;;
  env)
    if [[ -f $dir/ports.env ]] && running; then print_env "${1:-}"; else log "no cluster running in $dir"; exit 4; fi
    ;;
  stop)
    stop_cluster "${1:-}"
    ;;
  apiserver)
    apiserver "${1:-}"
    ;;
  run)
    [[ ${1:-} == -- ]] && shift
    [[ $# -gt 0 ]] || usage
    trap 'stop_cluster' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    start
    eval "$(print_env)"
    rc=0
    "$@" || rc=$?
    exit $rc
    ;;
  *) usage ;;
esac
