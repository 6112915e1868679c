import * as pulumi from "@pulumi/pulumi";
import { ReclaimPolicy, VolumeBindingMode } from "./storage-class";

/**
 * The arguments of {@link EfsStorageClass} and the constants they refer to. Validation
 * (`efs-storage-class-validate.ts`), the pure render step (`efs-storage-class-render.ts`)
 * and the class (`efs-storage-class.ts`) all read from here.
 */

/** The CSI driver that provisions EFS access points. */
export const EFS_PROVISIONER = "efs.csi.aws.com";
/** Type token of {@link EfsStorageClass}. */
export const EFS_STORAGE_CLASS_TYPE = "stateful-stacks:storage:EfsStorageClass";
/** The NFS port EFS mount targets listen on. */
export const NFS_PORT = 2049;

export type EfsPerformanceMode = "generalPurpose" | "maxIO";
export type EfsThroughputMode = "elastic" | "bursting" | "provisioned";
/** How long a file goes unread before it moves to a colder storage class (AWS's enum). */
export type EfsTransition =
    | "AFTER_1_DAY"
    | "AFTER_7_DAYS"
    | "AFTER_14_DAYS"
    | "AFTER_30_DAYS"
    | "AFTER_60_DAYS"
    | "AFTER_90_DAYS"
    | "AFTER_180_DAYS"
    | "AFTER_270_DAYS"
    | "AFTER_365_DAYS";

export const EFS_PERFORMANCE_MODES: readonly EfsPerformanceMode[] = ["generalPurpose", "maxIO"];
export const EFS_THROUGHPUT_MODES: readonly EfsThroughputMode[] = ["elastic", "bursting", "provisioned"];
export const EFS_TRANSITIONS: readonly EfsTransition[] = [
    "AFTER_1_DAY",
    "AFTER_7_DAYS",
    "AFTER_14_DAYS",
    "AFTER_30_DAYS",
    "AFTER_60_DAYS",
    "AFTER_90_DAYS",
    "AFTER_180_DAYS",
    "AFTER_270_DAYS",
    "AFTER_365_DAYS",
];

/**
 * A new EFS file system with its network: one mount target per subnet and a security
 * group that admits NFS only from what is named here.
 * See https://docs.aws.amazon.com/efs/latest/ug/creating-using.html
 */
export interface EfsFileSystemArgs {
    /**
     * The VPC of the subnets; the security group is created in it. Changing it replaces
     * the security group and the mount targets (not the file system).
     */
    readonly vpcId: pulumi.Input<string>;
    /**
     * Subnets to put a mount target in, at most one per availability zone; at least one.
     * Mount targets are named after plain subnet ids, so reordering the list replaces
     * nothing (mount targets hold no data).
     */
    readonly subnetIds: pulumi.Input<string>[];
    /**
     * IPv4/IPv6 CIDR blocks allowed to reach NFS (TCP 2049), e.g. the cluster's node
     * subnets. `0.0.0.0/0` and `::/0` are refused. With `allowedSecurityGroupIds`, at
     * least one source is required.
     * @default none
     */
    readonly allowedCidrBlocks?: string[];
    /**
     * Security groups (e.g. the EKS nodes' group) allowed to reach NFS (TCP 2049).
     * @default none
     */
    readonly allowedSecurityGroupIds?: pulumi.Input<string>[];
    /**
     * "generalPurpose" suits almost every workload; "maxIO" trades latency for scale and
     * cannot be used with elastic throughput or archive transitions.
     * Changing it REPLACES the file system, and its data is lost.
     * @default "generalPurpose"
     */
    readonly performanceMode?: EfsPerformanceMode;
    /**
     * "elastic" scales throughput with demand (pay per use); "bursting" scales with the
     * stored size; "provisioned" needs `provisionedThroughputMibps`.
     * @default "elastic"
     */
    readonly throughputMode?: EfsThroughputMode;
    /**
     * Throughput in MiB/s, required with and only with throughputMode "provisioned".
     * @default not set
     */
    readonly provisionedThroughputMibps?: number;
    /**
     * Encrypt the file system at rest. Changing it REPLACES the file system, and its data
     * is lost.
     * @default true
     */
    readonly encrypted?: boolean;
    /**
     * The full ARN of the KMS key to encrypt with; needs `encrypted`. Changing it
     * REPLACES the file system, and its data is lost.
     * @default the account's AWS-managed `aws/elasticfilesystem` key
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * Move files not read for this long to Infrequent Access storage ("AFTER_30_DAYS", …).
     * @default not set (files stay in Standard storage)
     */
    readonly transitionToIa?: EfsTransition;
    /**
     * Move files not read for this long to Archive storage. Needs `transitionToIa`,
     * elastic throughput and the generalPurpose performance mode.
     * @default not set
     */
    readonly transitionToArchive?: EfsTransition;
    /**
     * AWS Backup's automatic daily backups of the file system (an `aws.efs.BackupPolicy`).
     * @default true
     */
    readonly backups?: boolean;
}

/**
 * Arguments of {@link EfsStorageClass}: exactly one of `fileSystemId` and `fileSystem`.
 * Every claim of the class gets its own EFS access point (provisioningMode "efs-ap").
 * StorageClass parameters are immutable: changing one replaces the StorageClass object,
 * which never touches access points or data already provisioned.
 * See https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/parameters.md
 */
export interface EfsStorageClassArgs {
    /**
     * An existing file system ("fs-…") to provision access points on. Cannot be combined
     * with `fileSystem`.
     * @default not set
     */
    readonly fileSystemId?: pulumi.Input<string>;
    /**
     * Create the file system, its mount targets, security group and backup policy. The
     * file system holds data: it is retained on delete unless `deleteWithStack` is set, and
     * honours `protect` given to the component. Cannot be combined with `fileSystemId`.
     * Switching from `fileSystem` to `fileSystemId` (the id of this same file system) is
     * the way to adopt a retained file system; with `deleteWithStack` it DELETES THE FILE
     * SYSTEM AND ITS FILES.
     * @default not set
     */
    readonly fileSystem?: EfsFileSystemArgs;
    /**
     * Permissions of each access point's root directory, as an octal string ("700",
     * "0750").
     * @default "700"
     */
    readonly directoryPerms?: string;
    /**
     * POSIX user id (0–4294967295) each access point enforces and owns its directory as.
     * @default taken from the gid range
     */
    readonly uid?: number;
    /**
     * POSIX group id (0–4294967295) each access point enforces and owns its directory as.
     * @default taken from the gid range
     */
    readonly gid?: number;
    /**
     * First id of the range the driver picks per-volume uid/gid from; needs
     * `gidRangeEnd`, and is unused (so refused) when both `uid` and `gid` are set.
     * @default 50000 (the driver's)
     */
    readonly gidRangeStart?: number;
    /**
     * Last id of that range, greater than `gidRangeStart`; needs `gidRangeStart`.
     * @default 7000000 (the driver's)
     */
    readonly gidRangeEnd?: number;
    /**
     * Absolute path on the file system under which access point directories are created
     * ("/dynamic").
     * @default the file system's root
     */
    readonly basePath?: string;
    /**
     * Directory of each volume under `basePath`, from fixed text and `${.PVC.namespace}`,
     * `${.PVC.name}`, `${.PV.name}` (e.g. "${.PVC.namespace}/${.PVC.name}").
     * @default "${.PV.name}" (the driver's)
     */
    readonly subPathPattern?: string;
    /**
     * Append a unique id to each `subPathPattern` directory, so that two claims can never
     * share a directory. Set false only to re-attach to the same directory on purpose.
     * @default true (the driver's)
     */
    readonly ensureUniqueDirectory?: boolean;
    /**
     * Derive each access point's client token from the claim name, so that another
     * cluster with the same claim reuses the access point (one file system per
     * account/region only).
     * @default false (the driver's)
     */
    readonly reuseAccessPoint?: boolean;
    /**
     * What happens to a volume (its access point and directory) when its claim is deleted.
     * "Delete" removes the access point; choose it only for scratch data.
     * @default "Retain"
     */
    readonly reclaimPolicy?: ReclaimPolicy;
    /**
     * EFS is regional and reachable from every zone with a mount target, so claims bind
     * at once; "WaitForFirstConsumer" is allowed.
     * @default "Immediate"
     */
    readonly volumeBindingMode?: VolumeBindingMode;
    /**
     * Make this the cluster's default StorageClass.
     * @default false
     */
    readonly isDefault?: boolean;
    /**
     * The StorageClass's name (a DNS-1123 subdomain), explicit and stable. Changing it
     * replaces the StorageClass; existing volumes are untouched.
     * @default the component name
     */
    readonly storageClassName?: string;
    /**
     * Delete the created file system (`fileSystem`) and its backup policy when they leave
     * the program or on `pulumi destroy`. By default both are retained on delete: Pulumi
     * stops managing them, the files stay, and AWS Backup keeps backing them up. The
     * component's `protect` option is passed to both either way; its `retainOnDelete`
     * option, when given, takes precedence (so it cannot be combined with `true` here).
     * The security group, mount targets and StorageClass are never protected or retained:
     * they hold no data and are replaced by routine changes.
     * @default false
     */
    readonly deleteWithStack?: boolean;
}

/** Every argument name of {@link EfsStorageClassArgs}, for the unknown-key check. */
export const EFS_ARG_NAMES: readonly string[] = [
    "basePath",
    "deleteWithStack",
    "directoryPerms",
    "ensureUniqueDirectory",
    "fileSystem",
    "fileSystemId",
    "gid",
    "gidRangeEnd",
    "gidRangeStart",
    "isDefault",
    "reclaimPolicy",
    "reuseAccessPoint",
    "storageClassName",
    "subPathPattern",
    "uid",
    "volumeBindingMode",
];

/** Every argument name of {@link EfsFileSystemArgs}, for the unknown-key check. */
export const FILE_SYSTEM_ARG_NAMES: readonly string[] = [
    "allowedCidrBlocks",
    "allowedSecurityGroupIds",
    "backups",
    "encrypted",
    "kmsKeyArn",
    "performanceMode",
    "provisionedThroughputMibps",
    "subnetIds",
    "throughputMode",
    "transitionToArchive",
    "transitionToIa",
    "vpcId",
];

