import * as pulumi from "@pulumi/pulumi";
import { validatedArgs } from "../common/checks";
import { EbsStorageClass as LibraryEbsStorageClass, EbsStorageClassArgs as LibraryArgs, validateEbsArgs } from "../storage/ebs-storage-class";
import { definedFields, flagOrOptions, withProviderPaths } from "./convert";
import { EbsFsType, EbsVolumeType, ReclaimPolicy, VolumeBindingMode } from "./enums";
import { providerType, storageClasses } from "./registry";

/** Options for the KMS key created for the class's volumes. */
export interface EbsKmsKeyOptions {
    /**
     * Days AWS waits before deleting the key once it is scheduled for deletion (7 to 30).
     * @default 30
     */
    deletionWindowInDays?: number;
    /**
     * The key's description.
     * @default "Encrypts EBS volumes of StorageClass <storageClassName>"
     */
    description?: string;
}

/** Options for the VolumeSnapshotClass created beside the StorageClass. */
export interface EbsSnapshotClassOptions {
    /**
     * What happens to the EBS snapshot when its VolumeSnapshot object is deleted.
     * @default "Retain"
     */
    deletionPolicy?: ReclaimPolicy;
    /**
     * The VolumeSnapshotClass's name (a DNS-1123 subdomain).
     * @default "<storageClassName>-snapshots"
     */
    name?: string;
}

/**
 * Arguments of the EbsStorageClass component as other languages see it: the library's
 * EbsStorageClassArgs, with `createKmsKey`/`snapshots` split into a flag and an options
 * object (`kmsKey`, `snapshotClass`) and the string-literal types as enums.
 */
export interface EbsStorageClassArgs {
    /**
     * The EBS volume type.
     * @default "gp3"
     */
    volumeType?: EbsVolumeType;
    /**
     * Provisioned IOPS per volume, within the type's range (gp3 3,000–80,000, io1 100–64,000, io2 100–256,000).
     * @default the gp3 baseline of 3,000 for gp3
     */
    iops?: pulumi.Input<number>;
    /**
     * Provisioned IOPS per GiB of volume size (gp3, io1, io2; not with `iops`).
     * @default not set
     */
    iopsPerGb?: pulumi.Input<number>;
    /**
     * Let the driver raise IOPS to the type's minimum when `iopsPerGb` × size falls below it.
     * @default false
     */
    allowAutoIopsPerGbIncrease?: boolean;
    /**
     * Throughput in MiB/s, gp3 only (125–2,000).
     * @default 125 for gp3
     */
    throughputMibps?: pulumi.Input<number>;
    /**
     * File system the driver formats new volumes with.
     * @default "ext4"
     */
    fsType?: EbsFsType;
    /**
     * Encrypt volumes at rest.
     * @default true
     */
    encrypted?: boolean;
    /**
     * The full ARN of an existing KMS key to encrypt volumes with (not with `createKmsKey`).
     * @default the account's AWS-managed `aws/ebs` key
     */
    kmsKeyArn?: pulumi.Input<string>;
    /**
     * Create a customer-managed KMS key for the volumes (retained on delete unless `deleteWithStack`).
     * @default false
     */
    createKmsKey?: boolean;
    /**
     * Options of the created KMS key; giving them implies `createKmsKey`.
     * @default the defaults of each option
     */
    kmsKey?: EbsKmsKeyOptions;
    /**
     * What happens to a volume when its claim is deleted ("Delete" destroys the data).
     * @default "Retain"
     */
    reclaimPolicy?: ReclaimPolicy;
    /**
     * Allow claims to grow by editing their size.
     * @default true
     */
    allowVolumeExpansion?: boolean;
    /**
     * When volumes are created.
     * @default "WaitForFirstConsumer"
     */
    volumeBindingMode?: VolumeBindingMode;
    /**
     * Availability zones volumes may be created in.
     * @default any zone
     */
    zones?: string[];
    /**
     * Tags put on every volume and snapshot the driver creates.
     * @default no tags beyond the driver's own
     */
    tags?: Record<string, string>;
    /**
     * Make this the cluster's default StorageClass.
     * @default false
     */
    isDefault?: boolean;
    /**
     * The StorageClass's name (a DNS-1123 subdomain), explicit and stable.
     * @default the component name
     */
    storageClassName?: string;
    /**
     * Add a VolumeSnapshotClass on `ebs.csi.aws.com`.
     * @default false
     */
    snapshots?: boolean;
    /**
     * Options of the VolumeSnapshotClass; giving them implies `snapshots`.
     * @default the defaults of each option
     */
    snapshotClass?: EbsSnapshotClassOptions;
    /**
     * Delete the created KMS key when it leaves the program or on `pulumi destroy`.
     * @default false
     */
    deleteWithStack?: boolean;
}

/** The library's arguments for these. */
export function ebsLibraryArgs(args: EbsStorageClassArgs): LibraryArgs {
    const { kmsKey, snapshotClass, createKmsKey, snapshots, ...rest } = args ?? {};
    return definedFields({
        ...rest,
        createKmsKey: flagOrOptions(createKmsKey, kmsKey),
        snapshots: flagOrOptions(snapshots, snapshotClass),
    }) as LibraryArgs;
}

/**
 * A StorageClass on the EBS CSI driver (`ebs.csi.aws.com`) with data-safe defaults: gp3,
 * encrypted, Retain, expandable, WaitForFirstConsumer, an explicit stable name; optionally
 * a customer-managed KMS key and a VolumeSnapshotClass.
 */
export class EbsStorageClass extends pulumi.ComponentResource {
    /** The StorageClass's name, for claims (StatefulWorkload volumes take it as `storageClassName`). */
    public readonly storageClassName: pulumi.Output<string>;
    /** The ARN of the key volumes are encrypted with, when one was given or created. */
    public readonly kmsKeyArn: pulumi.Output<string | undefined>;
    /** The VolumeSnapshotClass's name (with `snapshots`). */
    public readonly volumeSnapshotClassName: pulumi.Output<string | undefined>;

    constructor(name: string, args: EbsStorageClassArgs, opts?: pulumi.ComponentResourceOptions) {
        const renames: Record<string, string> = {};
        if (args?.kmsKey !== undefined) renames.createKmsKey = "kmsKey";
        if (args?.snapshotClass !== undefined) renames.snapshots = "snapshotClass";
        const libraryArgs = withProviderPaths(renames, () =>
            validatedArgs({ kind: "EbsStorageClass", name }, ebsLibraryArgs(args), (copy) => validateEbsArgs(name, copy, opts)),
        );
        super(providerType("EbsStorageClass"), name, {}, opts);
        const component = new LibraryEbsStorageClass(name, libraryArgs, { parent: this, protect: opts?.protect, retainOnDelete: opts?.retainOnDelete });
        storageClasses.set(component.storageFacts.name, component);
        this.storageClassName = component.storageClassName;
        this.kmsKeyArn = pulumi.output(component.kmsKeyArn);
        this.volumeSnapshotClassName = pulumi.output(component.volumeSnapshotClassName);
        this.registerOutputs({
            kmsKeyArn: this.kmsKeyArn,
            storageClassName: this.storageClassName,
            volumeSnapshotClassName: this.volumeSnapshotClassName,
        });
    }
}
