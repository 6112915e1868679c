import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ExternalStore } from "../external/external-store";
import { EbsStorageClass } from "../storage/ebs-storage-class";
import { EfsStorageClass } from "../storage/efs-storage-class";
import { ConfigMapKeyEnv, SecretKeyEnv } from "./container-env";
import { SpreadArgs } from "./pod-defaults";

export type { ConfigMapKeyEnv, SecretKeyEnv } from "./container-env";

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
    /** Absolute path where the volume is mounted, in the main container and every init container. Unique per workload. */
    readonly mountPath: string;
    /**
     * Requested size, a Kubernetes quantity ("20Gi"). With an `EbsStorageClass` it must lie
     * in the volume type's range. Changing it replaces the StatefulSet (claim templates are
     * immutable); existing claims keep their size — expand them through the claims.
     */
    readonly size: string;
    /**
     * The StorageClass: an `EbsStorageClass`, an `EfsStorageClass`, or a class name.
     * Given a component, the claim is checked against it (size range, IOPS per GiB,
     * access modes). Changing it replaces the StatefulSet.
     */
    readonly storageClass: EbsStorageClass | EfsStorageClass | string;
    /**
     * Access modes of each claim. `ReadWriteMany` and `ReadOnlyMany` need a file system
     * (EFS); they are refused on an `EbsStorageClass`. `ReadWriteOncePod` cannot be combined
     * with another mode. Changing them replaces the StatefulSet.
     * @default ["ReadWriteOnce"]
     */
    readonly accessModes?: AccessMode[];
}

/** One port of the workload, on its container and on both Services. */
export interface WorkloadPort {
    /** The port's name: an IANA service name (≤ 15 characters), unique per workload. The Services target it by this name. */
    readonly name: string;
    /** The port the Services expose, 1–65535. */
    readonly port: number;
    /**
     * The port the container listens on, 1–65535.
     * @default `port`
     */
    readonly targetPort?: number;
    /** @default "TCP" */
    readonly protocol?: "TCP" | "UDP" | "SCTP";
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

/** The disruption budget. Exactly one of its fields, or none for `maxUnavailable: 1`. */
export interface WorkloadDisruptionBudget {
    /** Pods that may be evicted at once: an integer ≥ 0 or a percentage. Cannot be combined with `minAvailable`. @default 1 */
    readonly maxUnavailable?: number | string;
    /** Pods that must stay up during voluntary disruptions: an integer ≥ 0 or a percentage. Cannot be combined with `maxUnavailable`. @default none */
    readonly minAvailable?: number | string;
}

/** An init container: runs to completion before the main container, with the same volumes mounted. */
export interface WorkloadInitContainer {
    /** Container name, a DNS-1123 label unique among the pod's containers. */
    readonly name: string;
    /** @default the workload's `image` */
    readonly image?: pulumi.Input<string>;
    /** The command to run. @default the image's entrypoint */
    readonly command?: pulumi.Input<string>[];
    /** Arguments to the command. @default the image's arguments */
    readonly args?: pulumi.Input<string>[];
    /**
     * Literal environment variables, after POD_NAME and POD_NAMESPACE (and the ordinal, when
     * configured), sorted by name together with `secretEnv` and `configMapEnv`. Same rules as
     * the workload's `env`: no credential-like names (use `secretEnv`).
     * @default none
     */
    readonly env?: Record<string, pulumi.Input<string>>;
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
     * emptyDir mounted read-only in the main container; it must not be a volume's mountPath.
     * @default "/var/run/pod-ordinal/ordinal"
     */
    readonly file?: string;
}

/** Security settings; every field overrides one field of the restricted defaults. */
export interface WorkloadSecurityArgs {
    /**
     * Fields of the pod security context. Defaults: runAsNonRoot, runAsUser/runAsGroup/
     * fsGroup 1000 (so the volumes are writable), fsGroupChangePolicy OnRootMismatch,
     * seccomp RuntimeDefault. `runAsUser: 0` cannot be combined with `runAsNonRoot: true`;
     * with `runAsNonRoot: false` the containers' default becomes false too.
     * @default the restricted fields above
     */
    readonly pod?: k8s.types.input.core.v1.PodSecurityContext;
    /**
     * Fields of every container's security context. Defaults: allowPrivilegeEscalation
     * false, capabilities drop ALL, privileged false, runAsNonRoot.
     * @default the restricted fields above
     */
    readonly container?: k8s.types.input.core.v1.SecurityContext;
}

/** Arguments of a {@link StatefulWorkload}. */
export interface StatefulWorkloadArgs {
    /** Namespace of every object (DNS-1123 label). It must exist. Changing it replaces everything, including the claims' owner. */
    readonly namespace: pulumi.Input<string>;
    /** The container image, e.g. "postgres:16.4". */
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
    /** Number of pods, an integer ≥ 0. @default 1 */
    readonly replicas?: number;
    /** Ports of the main container, exposed by both Services. At least one. */
    readonly ports: WorkloadPort[];
    /** The container's command. @default the image's entrypoint */
    readonly command?: pulumi.Input<string>[];
    /** Arguments to the command. @default the image's arguments */
    readonly args?: pulumi.Input<string>[];
    /**
     * Literal environment variables of the main container. Rendered after POD_NAME,
     * POD_NAMESPACE and the ordinal variable (none of those names may be reused), sorted by
     * name together with `secretEnv` and `configMapEnv`; a name may appear in only one of
     * the three. A name that says it holds a credential (a word PASSWORD, PASSWD,
     * PASSPHRASE, SECRET, TOKEN, CREDENTIAL(S), APIKEY, or API_KEY, ACCESS_KEY,
     * PRIVATE_KEY; not when it ends in FILE, PATH, DIR or NAME) is refused here: its value
     * would sit in plain text in the StatefulSet; put it in a Secret and use `secretEnv`.
     * Changing a value rolls the pods.
     * @default none
     */
    readonly env?: Record<string, pulumi.Input<string>>;
    /**
     * Environment variables read from keys of Secrets in `namespace`
     * (`valueFrom.secretKeyRef`), e.g. `{ POSTGRES_PASSWORD: { secretName:
     * "postgres-credentials", key: "password" } }`. The value never appears in the
     * StatefulSet. Names follow the rules of `env` and may not repeat one of `env` or
     * `configMapEnv`. A changed Secret value reaches the pods only when they restart.
     * @default none
     */
    readonly secretEnv?: Record<string, SecretKeyEnv>;
    /**
     * Environment variables read from keys of ConfigMaps in `namespace`
     * (`valueFrom.configMapKeyRef`), for non-secret settings kept outside the program.
     * Names follow the rules of `env` and may not repeat one of `env` or `secretEnv`.
     * @default none
     */
    readonly configMapEnv?: Record<string, ConfigMapKeyEnv>;
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
     * Per-replica volumes (`volumeClaimTemplates`). Names and mount paths unique.
     * Adding, removing or changing one replaces the StatefulSet (the claims themselves are
     * kept, see `pvcRetention`).
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
    /** Seconds a new pod must be Ready before it counts as available, an integer ≥ 0. @default 0 */
    readonly minReadySeconds?: number;
    /**
     * What happens to the claims when the StatefulSet is deleted or scaled down.
     * "Delete" loses data; the defaults keep it.
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
    /** Requests and limits of the main container. @default none */
    readonly resources?: k8s.types.input.core.v1.ResourceRequirements;
    /** Liveness probe; a named port must be one of `ports`. @default none */
    readonly livenessProbe?: k8s.types.input.core.v1.Probe;
    /** Readiness probe; a named port must be one of `ports`. @default none */
    readonly readinessProbe?: k8s.types.input.core.v1.Probe;
    /** Startup probe; a named port must be one of `ports`. @default none */
    readonly startupProbe?: k8s.types.input.core.v1.Probe;
    /** Seconds a pod gets to shut down cleanly, an integer ≥ 0. @default 30 (the Kubernetes default) */
    readonly terminationGracePeriodSeconds?: number;
    /** Overrides of the restricted security defaults. @default none: the restricted defaults */
    readonly securityContext?: WorkloadSecurityArgs;
    /** Mount the service account token into the pods. @default false */
    readonly automountServiceAccountToken?: boolean;
    /** The pods' service account (DNS-1123 subdomain). @default the namespace's "default" */
    readonly serviceAccountName?: string;
    /** Spread over zones and hosts. @default { zones: "preferred", hosts: "preferred" } */
    readonly spread?: SpreadArgs;
    /**
     * The PodDisruptionBudget (policy/v1), or `false` for none. With more than one replica
     * the default is `maxUnavailable: 1`; with one replica there is none by default, and
     * `{}` gives one that never blocks a node drain.
     * @default { maxUnavailable: 1 } with more than one replica, else none
     */
    readonly disruptionBudget?: WorkloadDisruptionBudget | false;
    /** Create the ClusterIP Service `<statefulSetName>` that balances over all pods. @default true */
    readonly clientService?: boolean;
    /** Annotations of the pod template (sorted). Changing them rolls the pods. @default none */
    readonly podAnnotations?: Record<string, string>;
    /** The cluster's DNS domain, used in `podDnsNames`. @default "cluster.local" */
    readonly clusterDomain?: string;
    /**
     * Don't wait for the StatefulSet and Services to become ready (the provider's
     * `pulumi.com/skipAwait` annotation). Use it when pods wait for something created later.
     * @default false
     */
    readonly skipAwait?: boolean;
}
