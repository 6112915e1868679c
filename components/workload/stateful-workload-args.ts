import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { StorageClassReference } from "../common/storage-class-ref";
import { VolumeAttributesClassReference } from "../common/volume-attributes-ref";
import { ExternalStore } from "../external/external-store";
import { ConfigMapKeyEnv, SecretKeyEnv } from "./container-env";
import { PodArgs, WorkloadPort } from "./pod-args";
import type { WorkloadRestore } from "./restore";
import type { WorkloadSnapshots } from "./snapshot-schedule";

export type { ConfigMapKeyEnv, SecretKeyEnv } from "./container-env";
export type { PodArgs, WorkloadDisruptionBudget, WorkloadPort, WorkloadSecurityArgs } from "./pod-args";

/**
 * Most replicas a StatefulWorkload takes: 10,000. The component computes `podDnsNames`
 * and `claimNames` (one entry per replica and volume) at construction, so an unbounded
 * count (Kubernetes allows up to 2^31 - 1) would exhaust memory before anything is
 * registered; no stateful system runs anywhere near this many members of one set.
 */
export const MAX_REPLICAS = 10000;

/** Replicas when none are given. */
export const DEFAULT_REPLICAS = 1;

/**
 * A storage class component that does not implement {@link StorageClassReference} (one
 * from another package): its name and object are used, but the claims cannot be
 * checked against its facts (size range, IOPS per GiB, access modes).
 */
export interface UncheckedStorageClass {
    /** The class name as an Output. */
    readonly storageClassName: pulumi.Output<string>;
    /** The StorageClass object; claims wait until it exists. */
    readonly storageClass: pulumi.Resource;
}

/** The access modes a claim can ask for. */
export type AccessMode = "ReadWriteOnce" | "ReadWriteOncePod" | "ReadOnlyMany" | "ReadWriteMany";

/** Every access mode, as Kubernetes spells them. */
export const ACCESS_MODES: readonly AccessMode[] = ["ReadWriteOnce", "ReadWriteOncePod", "ReadOnlyMany", "ReadWriteMany"];

/** One per-replica volume: a `volumeClaimTemplates` entry mounted into the workload's containers. */
export interface WorkloadVolume {
    /**
     * The volume's name: the claim template name, the pod volume name, and the first part
     * of every claim name (`<name>-<statefulSet>-<ordinal>`). A DNS-1123 label.
     * Changing it replaces the StatefulSet and gives every replica a new, empty claim.
     */
    readonly name: string;
    /**
     * Absolute path where the volume is mounted, in the main container and every init
     * container. Unique per workload; not /proc, /dev, /sys or below them.
     */
    readonly mountPath: string;
    /**
     * Requested size of every claim, a Kubernetes quantity ("20Gi"). With an
     * `EbsStorageClass` it must lie in the volume type's range. Raising it grows every
     * existing claim in place (the StatefulSet is not replaced, no pod is deleted; the CSI
     * driver expands the volume and its file system online) and the claims of new
     * ordinals are created at the new size. The StorageClass must allow expansion
     * (`allowVolumeExpansion`), and a claim cannot shrink: the API server refuses both
     * when `pulumi preview` dry-runs the change. The claim template keeps the size the
     * StatefulSet was created with (templates are immutable).
     */
    readonly size: string;
    /**
     * The StorageClass: a component implementing {@link StorageClassReference}
     * (`EbsStorageClass`, `EfsStorageClass`), another class component, or a class name
     * (a DNS-1123 subdomain). Given a reference, the claim is checked against its facts
     * (size range, IOPS per GiB, access modes) and the StatefulSet waits for the class.
     * A claim's class is immutable: changing it replaces the StatefulSet (its pods are
     * orphaned and adopted) and the API server refuses the change on the existing claims;
     * retune performance with `volumeAttributesClass` instead.
     */
    readonly storageClass: StorageClassReference | UncheckedStorageClass | string;
    /**
     * The VolumeAttributesClass of every claim (`spec.volumeAttributesClassName`,
     * Kubernetes ≥ 1.34): a component implementing {@link VolumeAttributesClassReference}
     * or a class name (a DNS-1123 subdomain). Setting or changing it moves every existing
     * claim to the class in place (the CSI driver modifies the volume: EBS type, IOPS,
     * throughput) and new claims start in it; the StatefulSet is not replaced. Given a
     * reference, its driver must be the StorageClass's provisioner, and the claims wait
     * for the class to exist.
     * @default none (the StorageClass's parameters)
     */
    readonly volumeAttributesClass?: VolumeAttributesClassReference | string;
    /**
     * Access modes of each claim. `ReadWriteMany` and `ReadOnlyMany` need a file system
     * (EFS); they are refused on an `EbsStorageClass`. `ReadWriteOncePod` cannot be combined
     * with another mode. They are immutable on a claim: changing them replaces the
     * StatefulSet and the API server refuses the change on the existing claims.
     * @default ["ReadWriteOnce"]
     */
    readonly accessModes?: AccessMode[];
}

/** How pods are replaced when the template changes. */
export type WorkloadUpdateStrategy =
    | {
          readonly type: "RollingUpdate";
          /**
           * Only pods with an ordinal ≥ partition are updated (canary the highest ordinals).
           * An integer from 0 to `replicas`.
           * @default 0
           */
          readonly partition?: number;
          /**
           * Pods that may be down during an update: an integer ≥ 1 or a percentage ("25%").
           * Needs the MaxUnavailableStatefulSet feature of the cluster; ignored without it.
           * @default 1 (the Kubernetes default)
           */
          readonly maxUnavailable?: number | string;
      }
    | { readonly type: "OnDelete" };

/** An init container: runs to completion before the main container, with the same volumes mounted. */
export interface WorkloadInitContainer {
    /** Container name, a DNS-1123 label unique among the pod's containers. */
    readonly name: string;
    /** @default the workload's `image` */
    readonly image?: pulumi.Input<string>;
    /** The command to run: plain strings, as the workload's `command`. @default the image's entrypoint */
    readonly command?: string[];
    /** Arguments to the command: plain strings, as the workload's `args`. @default the image's arguments */
    readonly args?: string[];
    /**
     * Literal environment variables, after POD_NAME and POD_NAMESPACE (and the ordinal, when
     * configured), sorted by name together with `secretEnv` and `configMapEnv`. Same rules as
     * the workload's `env`: plain strings, no credentials (use `secretEnv`).
     * @default none
     */
    readonly env?: Record<string, string>;
    /** Variables read from Secret keys, as the workload's `secretEnv`. @default none */
    readonly secretEnv?: Record<string, SecretKeyEnv>;
    /** Variables read from ConfigMap keys, as the workload's `configMapEnv`. @default none */
    readonly configMapEnv?: Record<string, ConfigMapKeyEnv>;
    /** @default none */
    readonly resources?: k8s.types.input.core.v1.ResourceRequirements;
}

/** The pod ordinal in an environment variable, optionally shifted and written to a file. */
export interface OrdinalArgs {
    /** The environment variable that holds the 0-based ordinal (from the `apps.kubernetes.io/pod-index` label). */
    readonly name: string;
    /**
     * Added to the ordinal for systems whose ids start elsewhere (ZooKeeper `myid`
     * starts at 1). The shifted value cannot come from the downward API, so an init
     * container (`pod-ordinal`, running the workload's image with `sh`) writes it to
     * `file`; the environment variable keeps the 0-based ordinal.
     * @default 0 (no init container, no file)
     */
    readonly offset?: number;
    /**
     * Absolute path of the file holding the shifted ordinal. Its directory is an
     * emptyDir mounted read-only in the main container; it must not be a volume's mountPath,
     * nor a parent or a child of one, and not in or below /proc, /dev, /sys, /etc, /bin,
     * /sbin, /lib, /lib64 or /usr (the emptyDir would shadow the system's files).
     * @default "/var/run/pod-ordinal/ordinal"
     */
    readonly file?: string;
}

/**
 * Arguments of a {@link StatefulWorkload}: the shared {@link PodArgs} and the
 * StatefulSet's own. Every argument is checked at construction, at every level: unknown
 * fields are refused (with a "did you mean"), as are nulls, holes in lists and Outputs
 * where a plain value is needed; pass-through Kubernetes types are checked strictly
 * against the Kubernetes schema.
 */
export interface StatefulWorkloadArgs extends PodArgs {
    /**
     * Namespace of every object (DNS-1123 label; an Output is left to the API server).
     * It must exist. Changing it replaces everything, including the claims' owner.
     */
    readonly namespace: pulumi.Input<string>;
    /** The container image, e.g. "postgres:16.4" (no whitespace; an Output is left to the API server). */
    readonly image: pulumi.Input<string>;
    /**
     * Name of the StatefulSet, its pods (`<name>-0`) and the base of the Services
     * (`<name>`, `<name>-headless`): a DNS-1123 label starting with a letter, at most 52
     * characters so the controller-revision-hash label still fits. Changing it replaces
     * the StatefulSet, and its pods attach to new, empty claims.
     * @default the component name
     */
    readonly statefulSetName?: string;
    /**
     * Name of the main container (DNS-1123 label).
     * @default the StatefulSet name
     */
    readonly containerName?: string;
    /** Number of pods, an integer from 0 to {@link MAX_REPLICAS} (10,000). @default {@link DEFAULT_REPLICAS} (1) */
    readonly replicas?: number;
    /** Ports of the main container, exposed by both Services. At least one. */
    readonly ports: WorkloadPort[];
    /**
     * The container's command: a list of plain strings (not one string, not an Output:
     * the pod spec is not secret, and a password in it — a URL's `user:password@` or a
     * `password=` parameter — is refused).
     * @default the image's entrypoint
     */
    readonly command?: string[];
    /** Arguments to the command: plain strings, as `command`. @default the image's arguments */
    readonly args?: string[];
    /**
     * External stores (databases outside the cluster) the main container connects to: their
     * env and envFrom are added to it, a checksum annotation per store on the pod template
     * rolls the pods when a store's connection data or credentials change, and a
     * wait-for-store init container runs before the others. The stores must be in
     * `namespace`, with distinct names and env prefixes.
     * @default none
     */
    readonly externalStores?: ExternalStore[];
    /**
     * Per-replica volumes (`volumeClaimTemplates`). Names and mount paths unique. A
     * volume's size and VolumeAttributesClass change in place, on every claim. Adding or
     * removing a volume is refused by the engine (the StatefulSet ignores changes to the
     * templates' sizes per volume, and such a path must exist before and after): replace
     * the workload under a new `statefulSetName` instead. The claims themselves are kept,
     * see `pvcRetention`.
     * @default none
     */
    readonly volumes?: WorkloadVolume[];
    /**
     * "OrderedReady" starts pods one at a time, each after the previous is Ready;
     * "Parallel" starts them all at once (ensembles that must see each other to become
     * ready). Changing it replaces the StatefulSet.
     * @default "OrderedReady"
     */
    readonly podManagementPolicy?: "OrderedReady" | "Parallel";
    /** How pods are replaced when the template changes. @default { type: "RollingUpdate" } */
    readonly updateStrategy?: WorkloadUpdateStrategy;
    /** Seconds a new pod must be Ready before it counts as available, an integer from 0 to 2147483647. @default 0 */
    readonly minReadySeconds?: number;
    /**
     * What happens to the claims when the StatefulSet is deleted or scaled down.
     * "Delete" loses data; the defaults keep it. `pulumi destroy` deletes the StatefulSet
     * (and so its pods: it is not retainOnDelete unless the component's options say so);
     * with `whenDeleted: "Retain"` its claims and their volumes stay.
     * @default { whenDeleted: "Retain", whenScaled: "Retain" }
     */
    readonly pvcRetention?: { readonly whenDeleted?: "Retain" | "Delete"; readonly whenScaled?: "Retain" | "Delete" };
    /** Init containers, run in order after the ordinal writer (when configured), sharing the pod's volumes. @default none */
    readonly initContainers?: WorkloadInitContainer[];
    /**
     * Puts the pod ordinal (0, 1, …) into an environment variable of every container,
     * from the `apps.kubernetes.io/pod-index` label (Kubernetes ≥ 1.28). A name, or
     * {@link OrdinalArgs} for an offset.
     * @default none
     */
    readonly ordinalEnvVar?: string | OrdinalArgs;
    /**
     * The PodDisruptionBudget (policy/v1), or `false` for none. With more than one replica
     * the default is `maxUnavailable: 1`; with one replica there is none by default, and
     * `{}` gives one that never blocks a node drain.
     * @default { maxUnavailable: 1 } with more than one replica, else none
     */
    readonly disruptionBudget?: PodArgs["disruptionBudget"];
    /** Create the ClusterIP Service `<statefulSetName>` that balances over all pods. @default true */
    readonly clientService?: boolean;
    /** The cluster's DNS domain, used in `podDnsNames`. @default "cluster.local" */
    readonly clusterDomain?: string;
    /**
     * Don't wait for the StatefulSet and Services to become ready (the provider's
     * `pulumi.com/skipAwait` annotation). Use it when pods wait for something created later.
     * @default false
     */
    readonly skipAwait?: boolean;
    /**
     * VolumeSnapshots of the claims on a schedule, with a retention count (a CronJob with
     * its own least-privilege ServiceAccount; see {@link WorkloadSnapshots}).
     * @default none
     */
    readonly snapshots?: WorkloadSnapshots;
    /**
     * Pre-create each ordinal's claim from a VolumeSnapshot or a claim to clone, before the
     * StatefulSet exists (see {@link WorkloadRestore}). The claims are kept through destroy.
     * @default none (the StatefulSet creates empty claims)
     */
    readonly restoreFrom?: WorkloadRestore[];
}

/** The field names of {@link StatefulWorkloadArgs} that are not {@link PodArgs}. */
export const STATEFUL_WORKLOAD_OWN_KEYS: readonly string[] = [
    "args",
    "clientService",
    "clusterDomain",
    "command",
    "containerName",
    "externalStores",
    "image",
    "initContainers",
    "minReadySeconds",
    "namespace",
    "ordinalEnvVar",
    "podManagementPolicy",
    "pvcRetention",
    "replicas",
    "restoreFrom",
    "snapshots",
    "statefulSetName",
    "updateStrategy",
    "volumes",
];
