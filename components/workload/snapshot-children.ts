import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dataChildOptions, disposableChildOptions } from "../common/options";
import { skipAwaitMetadata } from "../common/pod-security";
import { buildRestoredClaims } from "./restore";
import { buildSnapshotObjects, resolveSnapshots } from "./snapshot-schedule";
import type { StatefulWorkloadArgs } from "./stateful-workload-args";
import { buildVolumeClaimTemplates, replicasOf, workloadLabels } from "./stateful-workload-spec";
import { statefulSetNameOf } from "./stateful-workload-validate";

/**
 * The children that `snapshots` and `restoreFrom` add to a StatefulWorkload, created by
 * its constructor: the restored claims (before the StatefulSet, which depends on them)
 * and the snapshot schedule.
 */

/** The objects of a workload's snapshot schedule. */
export interface SnapshotSchedule {
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    readonly role: k8s.rbac.v1.Role;
    readonly roleBinding: k8s.rbac.v1.RoleBinding;
    readonly admissionPolicy: k8s.admissionregistration.v1.ValidatingAdmissionPolicy;
    readonly admissionPolicyBinding: k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
    readonly cronJob: k8s.batch.v1.CronJob;
}

/**
 * The claims `restoreFrom` pre-creates. They hold data: kept through `pulumi destroy`
 * (retainOnDelete, unless the component was given `retainOnDelete: false`), the
 * component's `protect` passed on, and their `dataSourceRef` ignored after creation (a
 * changed source never replaces a claim; the size and attributes class are the claim
 * patch's from then on, so a grow happens in one place).
 */
export function createRestoredClaims(parent: pulumi.Resource, name: string, args: StatefulWorkloadArgs, opts: pulumi.ComponentResourceOptions | undefined, dependsOn: pulumi.Resource[]): k8s.core.v1.PersistentVolumeClaim[] {
    const sts = statefulSetNameOf(name, args);
    // The same class name the claim templates carry (plain for a reference or a name).
    const templates = buildVolumeClaimTemplates(args.volumes ?? []) as unknown as { metadata: { name: string }; spec: { storageClassName?: pulumi.Input<string>; volumeAttributesClassName?: pulumi.Input<string> } }[];
    const template = (volume: string) => templates.find((t) => t.metadata.name === volume)?.spec;
    const claims = buildRestoredClaims(
        sts,
        args.namespace,
        args.restoreFrom ?? [],
        args.volumes ?? [],
        (volume) => template(volume)?.storageClassName,
        workloadLabels(sts),
        skipAwaitMetadata(args.skipAwait).annotations,
        (volume) => template(volume)?.volumeAttributesClassName,
    );
    return claims.map(
        (claim) =>
            new k8s.core.v1.PersistentVolumeClaim(
                `${name}-restore-${claim.volume}-${claim.ordinal}`,
                claim.args as k8s.core.v1.PersistentVolumeClaimArgs,
                dataChildOptions(parent, { protect: opts?.protect, retainOnDelete: opts?.retainOnDelete ?? true }, { dependsOn, ignoreChanges: ["spec.dataSource", "spec.dataSourceRef", "spec.resources", "spec.volumeAttributesClassName"] }),
            ),
    );
}

/** The snapshot schedule's ServiceAccount, RBAC, admission policy and CronJob; undefined without `snapshots`. */
export function createSnapshotSchedule(parent: pulumi.Resource, name: string, args: StatefulWorkloadArgs): SnapshotSchedule | undefined {
    const sts = statefulSetNameOf(name, args);
    const resolved = resolveSnapshots(sts, args.snapshots, (args.volumes ?? []).map((v) => v.name));
    if (resolved === undefined) {
        return undefined;
    }
    const objects = buildSnapshotObjects(sts, args.namespace, replicasOf(args), resolved);
    const child = `${name}-snapshots`;
    const serviceAccount = new k8s.core.v1.ServiceAccount(child, objects.serviceAccount, disposableChildOptions(parent));
    const role = new k8s.rbac.v1.Role(child, objects.role, disposableChildOptions(parent));
    const roleBinding = new k8s.rbac.v1.RoleBinding(child, objects.roleBinding, disposableChildOptions(parent, { dependsOn: [role, serviceAccount] }));
    const admissionPolicy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
        child,
        objects.policy,
        disposableChildOptions(parent),
    );
    const admissionPolicyBinding = new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
        child,
        objects.policyBinding,
        disposableChildOptions(parent, { dependsOn: [admissionPolicy] }),
    );
    // The job runs only once its permissions and its fence exist.
    const waitFor: pulumi.Resource[] = [roleBinding, admissionPolicyBinding, ...(resolved.classResource ? [resolved.classResource] : [])];
    const cronJob = new k8s.batch.v1.CronJob(child, objects.cronJob, disposableChildOptions(parent, { dependsOn: waitFor }));
    return { admissionPolicy, admissionPolicyBinding, cronJob, role, roleBinding, serviceAccount };
}
