import { PodArgs, WorkloadPort } from "./pod-args";

/** Lets the store's pods run on nodes with a matching taint. */
export interface NodeLocalToleration {
    /** Taint key; empty or absent matches every key (only with operator "Exists"). @default every key */
    readonly key?: string;
    /** @default "Equal" */
    readonly operator?: "Equal" | "Exists";
    /** Taint value; only with operator "Equal". @default "" */
    readonly value?: string;
    /** Taint effect to tolerate. @default every effect */
    readonly effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
    /** Seconds a NoExecute taint is tolerated before eviction, from 0 to 2147483647. Only with effect "NoExecute". @default forever */
    readonly tolerationSeconds?: number;
}

/** A port of the store, on its container and published through the headless peer-discovery Service (the shared {@link WorkloadPort}). */
export type NodeLocalPort = WorkloadPort;

/**
 * Arguments of a {@link NodeLocalStore}: the shared {@link PodArgs} (env, secretEnv,
 * configMapEnv, ports, resources, probes, security context, service account, tolerations,
 * pod annotations, skip-await, meaning what they mean for every workload) and the store's
 * own. `spread` and `disruptionBudget` are refused: a DaemonSet runs one pod per selected
 * node and `kubectl drain` passes over DaemonSet pods.
 */
export interface NodeLocalStoreArgs extends Omit<PodArgs, "nodeSelector" | "tolerations" | "spread" | "disruptionBudget"> {
    /**
     * Namespace of the DaemonSet and Service. Host volumes are refused by the "baseline" and
     * "restricted" Pod Security Standards, so it must allow "privileged" pods. Changing it
     * replaces the DaemonSet; the data stays on the nodes under `hostPath`, but the default
     * `hostPath` contains the namespace: without an explicit `hostPath`, the pods then start
     * on a new, empty directory.
     */
    readonly namespace: string;
    /** Container image of the store, a plain string. */
    readonly image: string;
    /** Container command, plain strings. @default the image's entrypoint */
    readonly command?: readonly string[];
    /** Container arguments, plain strings. @default the image's command */
    readonly args?: readonly string[];
    /**
     * Literal environment variables by name, e.g. `{ MINIO_REGION: "eu-west-1" }`, exactly
     * as {@link PodArgs.env} (credentials by name or value and Outputs refused), after
     * POD_NAME, POD_NAMESPACE and NODE_NAME, which cannot be reused. The list form
     * `[{ name, value }]` of earlier versions is deprecated and refused with a problem
     * that names the record form.
     * @default none
     */
    readonly env?: Record<string, string>;
    /** Ports of the store, published through the headless Service (names and per-protocol numbers unique). @default [] */
    readonly ports?: NodeLocalPort[];
    /**
     * Node labels a node must carry to run the store (required, at least one). The store's
     * data lives on those nodes only; removing a label from a node stops its pod, the data stays.
     */
    readonly nodeSelector: Readonly<Record<string, string>>;
    /**
     * Directory on each node that holds the data, created if missing (hostPath
     * DirectoryOrCreate) and handed to the store's user by the root init container. Only a
     * directory strictly below one of {@link HOST_PATH_PREFIXES} (`/mnt/`, `/data/`, `/srv/`,
     * `/var/lib/stateful-stacks/`) is accepted, checked after normalising `.`, `..`, `//`
     * and a trailing `/` (the normal form is what is rendered): anything else holds the
     * node's own files (`/etc`, `/var/lib/etcd`, `/opt/cni/bin`, `/home/<user>/.ssh`, …).
     * A symbolic link on the node is followed by the kubelet; keep those prefixes free of
     * links to elsewhere. Changing it points the pods at a new, empty directory (the old one
     * stays on the nodes).
     * @default "/var/lib/stateful-stacks/<namespace>/<name>"
     */
    readonly hostPath?: string;
    /** Where the data directory is mounted in the container: an absolute path, not "/" and not over /dev, /proc or /sys. @default "/data" */
    readonly mountPath?: string;
    /**
     * Taints the pods tolerate (dedicated storage nodes are usually tainted), checked
     * strictly against the Kubernetes schema and the API server's rules. @default []
     */
    readonly tolerations?: NodeLocalToleration[];
    /** Memory request and limit, at most "1Ti". Cannot be combined with `resources`. @default "256Mi" */
    readonly memory?: string;
    /** CPU request, at most "1024" cores. Cannot be combined with `resources`. @default "100m" */
    readonly cpu?: string;
    /**
     * Run an init container as root with only the CHOWN and FOWNER capabilities that hands the
     * host directory (created root-owned by the kubelet) to the pod's user and group
     * (`securityContext.pod.runAsUser` and `fsGroup`, 1000:1000 by default).
     * @default true
     */
    readonly prepareHostPath?: boolean;
    /**
     * Also create a StorageClass for local PersistentVolumes on these nodes
     * (`kubernetes.io/no-provisioner`, WaitForFirstConsumer, Retain), for workloads that
     * claim the nodes' disks through PVCs. Its name must be a DNS-1123 subdomain.
     * @default no StorageClass
     */
    readonly localStorageClass?: boolean | { readonly storageClassName?: string };
    /**
     * Don't wait for the DaemonSet and the headless Service to become ready (the provider's
     * `pulumi.com/skipAwait` annotation on both; the StorageClass is never awaited). Use it
     * when the pods cannot become ready during the update, e.g. before any node carries the
     * `nodeSelector` labels. Changing it only changes the annotation; nothing is replaced.
     * @default false
     */
    readonly skipAwait?: boolean;
}

/** The arguments of {@link NodeLocalStoreArgs} that are not shared {@link PodArgs}; with those, every key accepted. */
export const NODE_LOCAL_STORE_OWN_ARGS = [
    "namespace",
    "image",
    "command",
    "args",
    "nodeSelector",
    "hostPath",
    "mountPath",
    "tolerations",
    "memory",
    "cpu",
    "prepareHostPath",
    "localStorageClass",
] as const satisfies readonly (keyof NodeLocalStoreArgs)[];

/** The shared pod arguments a NodeLocalStore refuses: they do not apply to a DaemonSet. */
export const NODE_LOCAL_STORE_REFUSED_POD_ARGS = ["spread", "disruptionBudget"] as const satisfies readonly (keyof PodArgs)[];

/** Fails to compile when an argument is added to the interface but not to the lists. */
export type MissingNodeLocalStoreArgs = Exclude<keyof NodeLocalStoreArgs, (typeof NODE_LOCAL_STORE_OWN_ARGS)[number] | keyof PodArgs>;
const everyStoreArgListed: [MissingNodeLocalStoreArgs] extends [never] ? true : never = true;
void everyStoreArgListed;

/**
 * The host directories a store may use: strictly below one of these prefixes. They are the
 * conventional mount points of data disks and the package's own directory; none of them
 * holds files the node itself depends on.
 */
export const HOST_PATH_PREFIXES: readonly string[] = ["/mnt/", "/data/", "/srv/", "/var/lib/stateful-stacks/"];
