import * as pulumi from "@pulumi/pulumi";
import { EBS_LIMITS, EbsVolumeType } from "./ebs-limits";
import { ReclaimPolicy, VolumeBindingMode } from "./storage-class";

/**
 * The arguments of {@link EbsStorageClass} and the constants they refer to. Validation
 * (`ebs-storage-class-validate.ts`), the pure render step (`ebs-storage-class-render.ts`)
 * and the class (`ebs-storage-class.ts`) all read from here.
 */

export type { ReclaimPolicy, StorageClassObject, VolumeBindingMode } from "./storage-class";

/** The CSI driver that provisions EBS volumes. */
export const EBS_PROVISIONER = "ebs.csi.aws.com";
/** Type token of {@link EbsStorageClass}. */
export const EBS_STORAGE_CLASS_TYPE = "stateful-stacks:storage:EbsStorageClass";
/**
 * The node label the class's `zones` restrict provisioning to. The EBS CSI driver
 * accepts both this well-known key and its own `topology.ebs.csi.aws.com/zone`
 * (driver docs, "Volume Availability Zone and Topologies"); the well-known key also
 * matches what the scheduler and the workload's zone spread use.
 */
export const EBS_ZONE_TOPOLOGY_KEY = "topology.kubernetes.io/zone";

/** File systems the driver formats a new volume with. */
export type EbsFsType = "ext4" | "xfs";
export const EBS_FS_TYPES: readonly EbsFsType[] = ["ext4", "xfs"];

/** The IOPS a gp3 volume gets without provisioning any: the floor of its range. */
export const GP3_BASELINE_IOPS = EBS_LIMITS.gp3.iops!.min;

/** Options for a KMS key created for the class's volumes. */
export interface EbsKmsKeyArgs {
    /**
     * The key's description.
     * @default "Encrypts EBS volumes of StorageClass <storageClassName>"
     */
    readonly description?: string;
    /**
     * Days AWS waits before deleting the key once it is scheduled for deletion (7 to 30).
     * Every volume encrypted with the key becomes unreadable when it is deleted.
     * @default 30
     */
    readonly deletionWindowInDays?: number;
}

/** Options for the VolumeSnapshotClass created beside the StorageClass. */
export interface EbsSnapshotClassArgs {
    /**
     * What happens to the EBS snapshot when its VolumeSnapshot object is deleted.
     * "Delete" removes the snapshot, and with it the backup.
     * @default "Retain"
     */
    readonly deletionPolicy?: ReclaimPolicy;
    /**
     * The VolumeSnapshotClass's name (a DNS-1123 subdomain), explicit and stable.
     * Changing it replaces the VolumeSnapshotClass (snapshots themselves are kept).
     * @default "<storageClassName>-snapshots"
     */
    readonly name?: string;
}

/**
 * Arguments of {@link EbsStorageClass}. StorageClass parameters are immutable in
 * Kubernetes: changing any argument that lands in them replaces the StorageClass object,
 * which never touches volumes already provisioned (they keep the settings they were
 * created with); only new claims get the new settings.
 * See https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/parameters.md
 */
export interface EbsStorageClassArgs {
    /**
     * The EBS volume type: "gp3" (general purpose SSD), "gp2" (older general purpose
     * SSD), "io1"/"io2" (provisioned-IOPS SSD), "st1" (throughput HDD), "sc1" (cold HDD).
     * Changing it affects only volumes provisioned afterwards.
     * @default "gp3"
     */
    readonly volumeType?: EbsVolumeType;
    /**
     * Provisioned IOPS per volume, within the type's range (gp3 3,000–80,000, io1
     * 100–64,000, io2 100–256,000). Required for io1/io2 unless `iopsPerGb` is given;
     * not accepted for gp2, st1 and sc1. Cannot be combined with `iopsPerGb`.
     * @default the gp3 baseline of 3,000 for gp3; no default for io1/io2
     */
    readonly iops?: pulumi.Input<number>;
    /**
     * Provisioned IOPS per GiB of volume size (integer; at most 500 for gp3, 50 for io1,
     * 1,000 for io2), so that bigger volumes get more IOPS. Only for gp3, io1 and io2;
     * cannot be combined with `iops`. The driver caps the result at the type's maximum;
     * below the type's minimum (io1/io2 100, gp3 3,000) it fails the claim unless
     * `allowAutoIopsPerGbIncrease` is set, so a StatefulWorkload refuses such claim sizes.
     * @default not set
     */
    readonly iopsPerGb?: pulumi.Input<number>;
    /**
     * Let the driver raise IOPS to the type's minimum when `iopsPerGb` × size falls
     * below it, instead of failing the claim (may cost more than asked for). Only
     * together with `iopsPerGb`.
     * @default false
     */
    readonly allowAutoIopsPerGbIncrease?: boolean;
    /**
     * Throughput in MiB/s, gp3 only (125–2,000), and at most a quarter of the IOPS
     * (750 with the 3,000 baseline IOPS).
     * @default 125 for gp3 (set by EBS)
     */
    readonly throughputMibps?: pulumi.Input<number>;
    /**
     * File system the driver formats new volumes with: "ext4" or "xfs".
     * @default "ext4"
     */
    readonly fsType?: EbsFsType;
    /**
     * Encrypt volumes at rest. `kmsKeyArn` and `createKmsKey` need it left true.
     * @default true
     */
    readonly encrypted?: boolean;
    /**
     * The full ARN of an existing KMS key to encrypt volumes with
     * (`arn:aws:kms:<region>:<account>:key/<id>`; the driver does not accept aliases or
     * bare key ids). Cannot be combined with `createKmsKey`; needs `encrypted`.
     * The driver's IAM role needs kms:CreateGrant, kms:Decrypt, kms:GenerateDataKey* on it.
     * @default the account's AWS-managed `aws/ebs` key
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * Create a customer-managed `aws.kms.Key` (with yearly rotation) for the volumes.
     * The key holds the means to read every volume: it is retained on delete unless
     * `deleteWithStack` is set, and honours `protect` given to the component. Cannot be
     * combined with `kmsKeyArn`; needs `encrypted`. Turning it off (or switching to
     * `kmsKeyArn`) removes the key from the program; it is kept in the account by default,
     * but with `deleteWithStack` it is scheduled for deletion, and after its deletion
     * window every volume encrypted with it is unreadable.
     * @default false
     */
    readonly createKmsKey?: boolean | EbsKmsKeyArgs;
    /**
     * What happens to a volume when its claim is deleted. "Delete" destroys the EBS
     * volume and its data with the claim; choose it only for scratch data.
     * @default "Retain"
     */
    readonly reclaimPolicy?: ReclaimPolicy;
    /**
     * Allow claims to grow by editing their size (EBS volumes grow online).
     * @default true
     */
    readonly allowVolumeExpansion?: boolean;
    /**
     * "WaitForFirstConsumer" creates each volume in the zone its pod is scheduled to (what
     * EBS, a zonal service, needs); "Immediate" creates it at once, in any allowed zone.
     * @default "WaitForFirstConsumer"
     */
    readonly volumeBindingMode?: VolumeBindingMode;
    /**
     * Availability zones volumes may be created in (e.g. ["us-east-1a", "us-east-1b"]),
     * rendered as `allowedTopologies` on `topology.kubernetes.io/zone`.
     * @default any zone
     */
    readonly zones?: string[];
    /**
     * Tags put on every volume (and snapshot) the driver creates, rendered as parameters
     * `tagSpecification_1`, `tagSpecification_2`, … ("key=value", sorted by key). Keys:
     * 1–128 characters, no "=", not starting with "aws:"; values at most 256 characters.
     * @default no tags beyond the driver's own
     */
    readonly tags?: Record<string, string>;
    /**
     * Make this the cluster's default StorageClass (annotation
     * `storageclass.kubernetes.io/is-default-class: "true"`).
     * @default false
     */
    readonly isDefault?: boolean;
    /**
     * The StorageClass's name (a DNS-1123 subdomain), explicit and stable: claims refer to
     * it by name. Changing it replaces the StorageClass; existing volumes are untouched,
     * but claims naming the old class can no longer be provisioned.
     * @default the component name
     */
    readonly storageClassName?: string;
    /**
     * Add a VolumeSnapshotClass (`snapshot.storage.k8s.io/v1`) on `ebs.csi.aws.com` so
     * that claims of this class can be snapshotted. Needs the snapshot CRDs and
     * controller in the cluster.
     * @default false
     */
    readonly snapshots?: boolean | EbsSnapshotClassArgs;
    /**
     * Delete the created KMS key (`createKmsKey`) when it leaves the program or on
     * `pulumi destroy`. By default the key is retained on delete: Pulumi stops managing
     * it, and it stays enabled in the account, so retained volumes stay readable. The
     * component's `protect` option is passed to the key either way; its `retainOnDelete`
     * option, when given, takes precedence (so it cannot be combined with `true` here).
     * The StorageClass and VolumeSnapshotClass are never protected or retained: they hold
     * no data and are replaced by routine changes.
     * @default false
     */
    readonly deleteWithStack?: boolean;
}

/** Every argument name of {@link EbsStorageClassArgs}, for the unknown-key check. */
export const EBS_ARG_NAMES: readonly string[] = [
    "allowAutoIopsPerGbIncrease",
    "allowVolumeExpansion",
    "createKmsKey",
    "deleteWithStack",
    "encrypted",
    "fsType",
    "iops",
    "iopsPerGb",
    "isDefault",
    "kmsKeyArn",
    "reclaimPolicy",
    "snapshots",
    "storageClassName",
    "tags",
    "throughputMibps",
    "volumeBindingMode",
    "volumeType",
    "zones",
];
