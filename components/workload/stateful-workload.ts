import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { validatedArgs } from "../common/checks";
import { dataChildOptions, disposableChildOptions } from "../common/options";
import { createRestoredClaims, createSnapshotSchedule, SnapshotSchedule } from "./snapshot-children";
import { StatefulWorkloadArgs } from "./stateful-workload-args";
import { buildClaimPatches, buildPodOwner, claimTemplateIgnoreChanges, volumeAttributesClassResources } from "./stateful-workload-claims";
import {
    buildClientService,
    buildDisruptionBudget,
    buildHeadlessService,
    buildStatefulSet,
    claimNames,
    podDnsNames,
    replicasOf,
    statefulWorkloadNames,
    workloadLabels,
} from "./stateful-workload-spec";
import { classifyStorageClass, validateStatefulWorkloadArgs } from "./stateful-workload-validate";

export * from "./stateful-workload-args";

/**
 * The storage class components the volumes name, once each: the StatefulSet is ordered
 * after them, without taking their names as property dependencies (a replaced class must
 * not make the claim templates unknown, and so the StatefulSet replaced, in a preview).
 */
export function storageClassComponents(args: StatefulWorkloadArgs): pulumi.Resource[] {
    const found: pulumi.Resource[] = [];
    for (const volume of args.volumes ?? []) {
        const ref = classifyStorageClass(volume.storageClass);
        const resource = ref.kind === "reference" ? ref.reference.storageClass : ref.kind === "component" ? ref.component.storageClass : undefined;
        if (resource !== undefined && !found.includes(resource)) {
            found.push(resource);
        }
    }
    return found;
}

/**
 * A StatefulSet with per-replica volumes, the headless Service that gives each pod a
 * stable DNS name, an optional client Service and a PodDisruptionBudget: restricted pod
 * security, zone and host spread, and claims that are kept when pods or the set go away.
 */
export class StatefulWorkload extends pulumi.ComponentResource {
    /**
     * The StatefulSet; it owns the claims, so it carries the component's protect/retainOnDelete.
     * It is not retainOnDelete by default: `pulumi destroy` deletes it and so its pods, while
     * its claims stay (`pvcRetention.whenDeleted: "Retain"`) for a later `pulumi up` to adopt
     * by name. `retainOnDelete: true` in the component's options leaves the set and its pods too.
     */
    public readonly statefulSet: k8s.apps.v1.StatefulSet;
    /**
     * The ConfigMap `<statefulSetName>-owner` that owns the StatefulSet: deleted (only by
     * `pulumi destroy` or removing the workload), the garbage collector deletes the
     * StatefulSet and its pods. It carries the component's protect/retainOnDelete.
     */
    public readonly podOwner: k8s.core.v1.ConfigMap;
    /**
     * One server-side apply per claim and ordinal (`<volume>-<statefulSetName>-<i>`): it
     * grows the claims in place and creates a new ordinal's claim before the StatefulSet
     * scales up. Kept on delete (a scale-down keeps the claims).
     */
    public readonly claimPatches: k8s.core.v1.PersistentVolumeClaimPatch[];
    /** The headless Service (`<statefulSetName>-headless`). */
    public readonly headlessService: k8s.core.v1.Service;
    /** The ClusterIP Service (`<statefulSetName>`), unless `clientService` is false. */
    public readonly clientService?: k8s.core.v1.Service;
    /** The PodDisruptionBudget, when there is one. */
    public readonly disruptionBudget?: k8s.policy.v1.PodDisruptionBudget;
    /** Name of the StatefulSet (and prefix of its pods' names). */
    public readonly statefulSetName: pulumi.Output<string>;
    /** Name of the headless Service. */
    public readonly headlessServiceName: pulumi.Output<string>;
    /** Name of the client Service, when there is one. */
    public readonly clientServiceName?: pulumi.Output<string>;
    /** Stable DNS name of every pod, by ordinal: `<sts>-<i>.<headless>.<namespace>.svc.<clusterDomain>`. */
    public readonly podDnsNames: pulumi.Output<string[]>;
    /** Name of every claim the StatefulSet creates: `<volume>-<sts>-<i>`, volume by volume. */
    public readonly claimNames: pulumi.Output<string[]>;
    /** The claims `restoreFrom` created before the StatefulSet (kept through destroy). */
    public readonly restoredClaims: k8s.core.v1.PersistentVolumeClaim[];
    /** The snapshot schedule's CronJob, ServiceAccount, RBAC and admission policy (with `snapshots`). */
    public readonly snapshotSchedule?: SnapshotSchedule;
    /** Name of the snapshot CronJob (with `snapshots`). */
    public readonly snapshotCronJobName?: pulumi.Output<string>;

    constructor(name: string, given: StatefulWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        const args = validatedArgs({ kind: "StatefulWorkload", name }, given, (copy) => validateStatefulWorkloadArgs(name, copy));
        super("stateful-stacks:workload:StatefulWorkload", name, {}, opts);

        const names = statefulWorkloadNames(name, args);
        const replicas = replicasOf(args);

        const volumes = args.volumes ?? [];
        const labels = workloadLabels(names.statefulSet);
        const classes = [...storageClassComponents(args), ...volumeAttributesClassResources(volumes)];
        this.headlessService = new k8s.core.v1.Service(`${name}-headless`, buildHeadlessService(name, args), disposableChildOptions(this));
        this.restoredClaims = createRestoredClaims(this, name, args, opts, storageClassComponents(args));
        this.podOwner = new k8s.core.v1.ConfigMap(`${name}-owner`, buildPodOwner(names.statefulSet, args.namespace, labels), dataChildOptions(this, opts));
        // A patch holds no data of its own: never protected (a scale-down deletes it), and
        // kept on delete, so the provider never takes its fields back from the claim. A
        // restored claim exists first; its patch then owns the size and attributes class.
        this.claimPatches = buildClaimPatches(name, args, labels, replicas).map(
            (patch) =>
                new k8s.core.v1.PersistentVolumeClaimPatch(patch.resourceName, patch.args, {
                    parent: this,
                    protect: false,
                    retainOnDelete: true,
                    dependsOn: [...classes, ...this.restoredClaims],
                }),
        );
        this.statefulSet = new k8s.apps.v1.StatefulSet(
            name,
            buildStatefulSet(name, args, this.podOwner.metadata.uid),
            dataChildOptions(this, opts, {
                deletedWith: this.podOwner,
                dependsOn: [this.headlessService, ...classes, ...this.restoredClaims, ...this.claimPatches],
                ignoreChanges: claimTemplateIgnoreChanges(volumes),
            }),
        );
        this.snapshotSchedule = createSnapshotSchedule(this, name, args);
        this.snapshotCronJobName = this.snapshotSchedule?.cronJob.metadata.name;
        const clientService = buildClientService(name, args);
        if (clientService) {
            this.clientService = new k8s.core.v1.Service(name, clientService, disposableChildOptions(this));
            this.clientServiceName = this.clientService.metadata.name;
        }
        const budget = buildDisruptionBudget(name, args);
        if (budget) {
            this.disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(name, budget, disposableChildOptions(this));
        }

        this.statefulSetName = this.statefulSet.metadata.name;
        this.headlessServiceName = this.headlessService.metadata.name;
        this.podDnsNames = pulumi
            .all([this.statefulSet.metadata.namespace, this.headlessService.metadata.name])
            .apply(([namespace]) => podDnsNames(names, replicas, namespace, args.clusterDomain));
        this.claimNames = this.statefulSet.metadata.name.apply(() => claimNames(names.statefulSet, args.volumes ?? [], replicas));

        this.registerOutputs({
            claimNames: this.claimNames,
            clientServiceName: this.clientServiceName,
            headlessServiceName: this.headlessServiceName,
            podDnsNames: this.podDnsNames,
            snapshotCronJobName: this.snapshotCronJobName,
            statefulSetName: this.statefulSetName,
        });
    }
}
