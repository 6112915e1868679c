import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { StorageClassFacts, StorageClassReference } from "../common/storage-class-ref";
import { validatedArgs } from "../common/checks";
import { EbsVolumeType } from "./ebs-limits";
import { EBS_STORAGE_CLASS_TYPE, EbsStorageClassArgs } from "./ebs-storage-class-args";
import { renderEbsStorageClass } from "./ebs-storage-class-render";
import { validateEbsArgs } from "./ebs-storage-class-validate";
import { dataHoldingOptions, disposableChildOptions } from "./storage-class";

export {
    EBS_FS_TYPES,
    EBS_PROVISIONER,
    EBS_STORAGE_CLASS_TYPE,
    EBS_ZONE_TOPOLOGY_KEY,
    GP3_BASELINE_IOPS,
} from "./ebs-storage-class-args";
export type { EbsFsType, EbsKmsKeyArgs, EbsSnapshotClassArgs, EbsStorageClassArgs, ReclaimPolicy, StorageClassObject, VolumeBindingMode } from "./ebs-storage-class-args";
export {
    buildEbsKmsKeyArgs,
    buildEbsSnapshotClass,
    buildEbsStorageClass,
    ebsParameters,
    ebsSnapshotClassName,
    ebsStorageClassName,
    ebsTagParameters,
} from "./ebs-storage-class-render";
export type { VolumeSnapshotClassObject } from "./ebs-storage-class-render";
export { checkEbsTags, validateEbsArgs } from "./ebs-storage-class-validate";

/**
 * A StorageClass on the EBS CSI driver (`ebs.csi.aws.com`) with data-safe defaults:
 * gp3, encrypted, Retain, expandable, WaitForFirstConsumer, an explicit stable name; and
 * optionally a customer-managed KMS key and a VolumeSnapshotClass. The key is retained on
 * delete unless `deleteWithStack` is set; the StorageClass and VolumeSnapshotClass are
 * disposable (never protected or retained, whatever the component's options).
 */
export class EbsStorageClass extends pulumi.ComponentResource implements StorageClassReference {
    /** What a workload checks its claims against: plain values, known at construction. */
    public readonly storageFacts: StorageClassFacts;
    /**
     * The StorageClass's name, for claims and `volumeClaimTemplates`. It is the explicit,
     * stable name and is known at construction, even in a preview where the class itself
     * is being replaced: claims that name the class are therefore not replaced with it
     * (a StorageClass's parameters only apply to new volumes). To create claims after the
     * class, depend on this component (`dependsOn: [storageClass]`); `StatefulWorkload`
     * does so by itself.
     */
    public readonly storageClassName: pulumi.Output<string>;
    /** The StorageClass object. */
    public readonly storageClass: k8s.storage.v1.StorageClass;
    /** The KMS key created for the volumes (with `createKmsKey`). */
    public readonly kmsKey?: aws.kms.Key;
    /** The ARN of the key volumes are encrypted with, when one was given or created. */
    public readonly kmsKeyArn?: pulumi.Output<string>;
    /** The VolumeSnapshotClass (with `snapshots`). */
    public readonly snapshotClass?: k8s.apiextensions.CustomResource;
    /** The VolumeSnapshotClass's name (with `snapshots`). */
    public readonly volumeSnapshotClassName?: pulumi.Output<string>;
    /** The resolved volume type, for cross-checks by consumers. */
    public readonly volumeType: EbsVolumeType;
    /** The provisioned IOPS when given as a plain number. */
    public readonly iops?: number;
    /** The IOPS per GiB when given as a plain number. */
    public readonly iopsPerGb?: number;
    /** The throughput in MiB/s when given as a plain number. */
    public readonly throughputMibps?: number;
    /**
     * Whether the driver may raise `iopsPerGb` × size to the type's minimum IOPS (as given;
     * undefined when not set, which the driver treats as false). Consumers use it to refuse
     * claims too small for `iopsPerGb`.
     */
    public readonly allowAutoIopsPerGbIncrease?: boolean;

    constructor(name: string, given: EbsStorageClassArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const args = validatedArgs({ kind: "EbsStorageClass", name }, given, (copy) => validateEbsArgs(name, copy, opts));
        super(EBS_STORAGE_CLASS_TYPE, name, {}, opts);

        const rendered = renderEbsStorageClass(name, args);
        const { resolved } = rendered;
        this.storageFacts = rendered.storageFacts;
        this.volumeType = resolved.volumeType;
        this.iops = rendered.storageFacts.ebs?.iops;
        this.iopsPerGb = rendered.storageFacts.ebs?.iopsPerGb;
        this.throughputMibps = rendered.storageFacts.ebs?.throughputMibps;
        this.allowAutoIopsPerGbIncrease = resolved.allowAutoIopsPerGbIncrease;

        if (rendered.kmsKey) {
            this.kmsKey = new aws.kms.Key(`${name}-kms`, rendered.kmsKey, dataHoldingOptions(this, opts, resolved.deleteWithStack));
            this.kmsKeyArn = this.kmsKey.arn;
        } else if (resolved.kmsKeyArn !== undefined) {
            this.kmsKeyArn = pulumi.output(resolved.kmsKeyArn);
        }

        // Parameters are immutable and the name is explicit: a change must delete first.
        this.storageClass = new k8s.storage.v1.StorageClass(
            name,
            rendered.storageClass(this.kmsKeyArn),
            disposableChildOptions(this, { deleteBeforeReplace: true }),
        );
        this.storageClassName = pulumi.output(resolved.storageClassName);

        if (rendered.snapshotClass) {
            this.snapshotClass = new k8s.apiextensions.CustomResource(
                `${name}-snapshots`,
                rendered.snapshotClass,
                disposableChildOptions(this, { deleteBeforeReplace: true }),
            );
            this.volumeSnapshotClassName = this.snapshotClass.metadata.name;
        }

        this.registerOutputs({
            kmsKeyArn: this.kmsKeyArn,
            storageClassName: this.storageClassName,
            volumeSnapshotClassName: this.volumeSnapshotClassName,
        });
    }
}
