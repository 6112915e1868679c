import * as pulumi from "@pulumi/pulumi";
import { snapshotArgs } from "../common/checks";
import { ProblemList, throwIfProblems } from "../common/validation";
import { ExternalStore as LibraryExternalStore } from "../external/external-store";
import { StatefulWorkload as LibraryStatefulWorkload } from "../workload/stateful-workload";
import { StatefulWorkloadArgs as LibraryArgs, WorkloadVolume as LibraryVolume } from "../workload/stateful-workload-args";
import { validateStatefulWorkloadArgs } from "../workload/stateful-workload-validate";
import { definedFields } from "./convert";
import { AccessMode, PodManagementPolicy, PortProtocol } from "./enums";
import { externalStores, providerType, storageClasses } from "./registry";

/** A port of the workload's container, also served by its Services. */
export interface WorkloadPort {
    /** The port's name (an IANA service name, unique in the workload). */
    name: string;
    /** The port number (1–65535). */
    port: number;
    /**
     * The container port the Services send to.
     * @default `port`
     */
    targetPort?: number;
    /**
     * The protocol.
     * @default "TCP"
     */
    protocol?: PortProtocol;
}

/** One per-replica volume: a claim template mounted into the workload's container. */
export interface WorkloadVolume {
    /** The volume's name: the claim template name and first part of each claim's name. */
    name: string;
    /** Where the volume is mounted in the container (absolute). */
    mountPath: string;
    /** Size of each claim, a Kubernetes quantity such as "10Gi". */
    size: string;
    /**
     * The StorageClass by name. When it names an EbsStorageClass or EfsStorageClass of the
     * same program that was constructed first (YAML: list it in `options.dependsOn`), the
     * claims are checked against that class and ordered after it, as in TypeScript; any
     * other name is a class managed elsewhere.
     */
    storageClassName: string;
    /**
     * Access modes of each claim.
     * @default ["ReadWriteOnce"]
     */
    accessModes?: AccessMode[];
}

/**
 * Arguments of the StatefulWorkload component as other languages see it: the library's
 * StatefulWorkloadArgs for a single container, with storage classes and external stores
 * taken by name.
 */
export interface StatefulWorkloadArgs {
    /** The namespace (it must exist). */
    namespace: string;
    /** The container image. */
    image: pulumi.Input<string>;
    /**
     * The StatefulSet's name (a DNS-1123 label), explicit and stable.
     * @default the component name
     */
    statefulSetName?: string;
    /**
     * The container's name.
     * @default the StatefulSet's name
     */
    containerName?: string;
    /**
     * Number of pods.
     * @default 3
     */
    replicas?: number;
    /**
     * The container's ports. (Each entry is typed as an input so that the Go SDK gets its
     * `WorkloadPortArray`; entries must still be known at construction.)
     */
    ports: pulumi.Input<WorkloadPort>[];
    /**
     * The container's command.
     * @default the image's entrypoint
     */
    command?: string[];
    /**
     * The container's arguments.
     * @default the image's
     */
    args?: string[];
    /**
     * Plain environment variables (no credentials: use an ExternalStore).
     * @default none
     */
    env?: Record<string, string>;
    /**
     * ExternalStore components of this program, by component name, whose connection data
     * and credentials are wired into the container (as `externalStores` in TypeScript).
     * Each must be constructed first (YAML: list it in `options.dependsOn`).
     * @default none
     */
    externalStores?: string[];
    /**
     * Per-replica volumes (entries typed as inputs, as `ports`; known at construction).
     * @default none
     */
    volumes?: pulumi.Input<WorkloadVolume>[];
    /**
     * How pods are started and stopped.
     * @default "OrderedReady"
     */
    podManagementPolicy?: PodManagementPolicy;
    /**
     * Seconds a new pod must be ready before it counts as available.
     * @default 0
     */
    minReadySeconds?: number;
    /**
     * Create the ClusterIP Service next to the headless one.
     * @default true
     */
    clientService?: boolean;
    /**
     * The cluster's DNS domain, for the pods' DNS names.
     * @default "cluster.local"
     */
    clusterDomain?: string;
    /**
     * Do not wait for the StatefulSet to become ready.
     * @default false
     */
    skipAwait?: boolean;
}

/** The library's arguments, with the storage classes and stores found by name. */
function libraryArgs(args: StatefulWorkloadArgs, problems: ProblemList): LibraryArgs {
    const given = args ?? ({} as StatefulWorkloadArgs);
    const volumes = Array.isArray(given.volumes)
        ? given.volumes.map((entry): LibraryVolume => {
              if (pulumi.Output.isInstance(entry) || entry === null || typeof entry !== "object") {
                  // Left for the library's validation to refuse as it is.
                  return entry as unknown as LibraryVolume;
              }
              const { storageClassName, ...rest } = entry as WorkloadVolume;
              const found = typeof storageClassName === "string" ? storageClasses.get(storageClassName) : undefined;
              return definedFields({ ...rest, storageClass: found ?? storageClassName }) as LibraryVolume;
          })
        : given.volumes;
    let stores: LibraryExternalStore[] | undefined;
    if (Array.isArray(given.externalStores)) {
        stores = [];
        given.externalStores.forEach((storeName, i) => {
            const store = typeof storeName === "string" ? externalStores.get(storeName) : undefined;
            if (store === undefined) {
                problems.add(`externalStores[${i}]`, storeName, "the name of an ExternalStore of this program constructed before this workload (YAML: list it in options.dependsOn)");
            } else {
                stores!.push(store);
            }
        });
    }
    return definedFields({ ...given, volumes, externalStores: stores ?? given.externalStores }) as unknown as LibraryArgs;
}

/**
 * A StatefulSet with per-replica volumes, the headless Service that gives each pod a stable
 * DNS name, an optional client Service and a PodDisruptionBudget: restricted pod security,
 * zone and host spread, and claims that are kept when pods or the set go away.
 */
export class StatefulWorkload extends pulumi.ComponentResource {
    /** Name of the StatefulSet (and prefix of its pods' names). */
    public readonly statefulSetName: pulumi.Output<string>;
    /** Name of the headless Service. */
    public readonly headlessServiceName: pulumi.Output<string>;
    /** Stable DNS name of every pod, by ordinal. */
    public readonly podDnsNames: pulumi.Output<string[]>;
    /** Name of every claim the StatefulSet creates, volume by volume. */
    public readonly claimNames: pulumi.Output<string[]>;

    constructor(name: string, args: StatefulWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        const lookups = new ProblemList();
        const snapshot = snapshotArgs(libraryArgs(args, lookups));
        throwIfProblems({ kind: "StatefulWorkload", name }, [...lookups.problems, ...snapshot.problems.problems, ...validateStatefulWorkloadArgs(name, snapshot.args)]);
        super(providerType("StatefulWorkload"), name, {}, opts);
        const component = new LibraryStatefulWorkload(name, snapshot.args, { parent: this, protect: opts?.protect, retainOnDelete: opts?.retainOnDelete });
        this.statefulSetName = component.statefulSetName;
        this.headlessServiceName = component.headlessServiceName;
        this.podDnsNames = component.podDnsNames;
        this.claimNames = component.claimNames;
        this.registerOutputs({
            claimNames: this.claimNames,
            headlessServiceName: this.headlessServiceName,
            podDnsNames: this.podDnsNames,
            statefulSetName: this.statefulSetName,
        });
    }
}
