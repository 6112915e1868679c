import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkSubdomain, sortKeys } from "../common/kubernetes";
import { childOptions, dataChildOptions } from "../common/options";
import { isKnown, Problem, ProblemList, throwIfProblems } from "../common/validation";
import { EBS_LIMITS, EBS_VOLUME_TYPES, EbsVolumeType } from "./ebs-limits";
import {
    checkBoolean,
    checkCommonClassArgs,
    checkEnum,
    checkInteger,
    checkKmsKeyArn,
    checkKnownKeys,
    ReclaimPolicy,
    STORAGE_LABELS,
    storageClassMetadata,
    StorageClassObject,
    VolumeBindingMode,
} from "./storage-class";

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

/** The volume types that take provisioned IOPS (`iops` or `iopsPerGb`). */
const IOPS_TYPES: readonly EbsVolumeType[] = EBS_VOLUME_TYPES.filter((t) => EBS_LIMITS[t].iops !== undefined);

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
     * The key holds the means to read every volume: it honours `protect` and
     * `retainOnDelete` given to the component. Cannot be combined with `kmsKeyArn`;
     * needs `encrypted`. TURNING IT OFF (or switching to `kmsKeyArn`) DELETES THE KEY:
     * after its deletion window every volume encrypted with it is unreadable. Run with
     * `protect: true` (or `retainOnDelete: true`) to be stopped before that.
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
}

const EBS_ARG_NAMES: readonly string[] = [
    "allowAutoIopsPerGbIncrease",
    "allowVolumeExpansion",
    "createKmsKey",
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

/** An availability zone name: us-east-1a, eu-central-2b, us-west-2-lax-1a. */
const ZONE_NAME = /^[a-z]{2}(-[a-z]+)+-\d+(-[a-z]+-\d+)?[a-z]$/;
/** An EBS tag key the driver can pass: "key=value" is split at the first "=". */
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;

/** The StorageClass name the component renders: explicit, else the component name. */
export function ebsStorageClassName(name: string, args: EbsStorageClassArgs): string {
    return args.storageClassName ?? name;
}

/** The VolumeSnapshotClass name the component renders when snapshots are on. */
export function ebsSnapshotClassName(name: string, args: EbsStorageClassArgs): string | undefined {
    if (!args.snapshots) {
        return undefined;
    }
    const explicit = typeof args.snapshots === "object" ? args.snapshots.name : undefined;
    return explicit ?? `${ebsStorageClassName(name, args)}-snapshots`;
}

function checkPerformance(problems: ProblemList, args: EbsStorageClassArgs, type: EbsVolumeType): void {
    const limits = EBS_LIMITS[type];
    const takesIops = IOPS_TYPES.includes(type);
    const { iops, iopsPerGb, throughputMibps } = args;

    if (iops !== undefined && iopsPerGb !== undefined) {
        problems.add("iopsPerGb", iopsPerGb, "cannot be combined with iops: set one of them");
    }
    if (iops !== undefined) {
        if (!takesIops) {
            problems.add("iops", iops, `must not be set for ${type} volumes: only ${IOPS_TYPES.join(", ")} take provisioned IOPS`);
        } else if (isKnown(iops)) {
            checkInteger(problems, "iops", iops, limits.iops!.min, limits.iops!.max, `for ${type} volumes`);
        }
    }
    if (iopsPerGb !== undefined) {
        if (!takesIops) {
            problems.add("iopsPerGb", iopsPerGb, `must not be set for ${type} volumes: only ${IOPS_TYPES.join(", ")} take provisioned IOPS`);
        } else if (isKnown(iopsPerGb)) {
            checkInteger(problems, "iopsPerGb", iopsPerGb, 1, limits.maxIopsPerGib!, `for ${type} volumes`);
        }
    }
    if (limits.iopsRequired && iops === undefined && iopsPerGb === undefined) {
        problems.add("iops", iops, `is required for ${type} volumes: set iops or iopsPerGb`);
    }
    checkBoolean(problems, "allowAutoIopsPerGbIncrease", args.allowAutoIopsPerGbIncrease);
    if (args.allowAutoIopsPerGbIncrease !== undefined && iopsPerGb === undefined) {
        problems.add("allowAutoIopsPerGbIncrease", args.allowAutoIopsPerGbIncrease, "can only be set together with iopsPerGb");
    }

    if (throughputMibps === undefined) {
        return;
    }
    if (!limits.throughputMibps) {
        problems.add("throughputMibps", throughputMibps, `must not be set for ${type} volumes: only gp3 takes a throughput`);
        return;
    }
    if (!isKnown(throughputMibps)) {
        return;
    }
    if (!checkInteger(problems, "throughputMibps", throughputMibps, limits.throughputMibps.min, limits.throughputMibps.max, "MiB/s")) {
        return;
    }
    // With iopsPerGb the IOPS depend on each claim's size and are not known here.
    if (iopsPerGb !== undefined || (iops !== undefined && !isKnown(iops))) {
        return;
    }
    const effectiveIops = iops ?? GP3_BASELINE_IOPS;
    const iopsRange = limits.iops!;
    if (typeof effectiveIops !== "number" || !Number.isInteger(effectiveIops) || effectiveIops < iopsRange.min || effectiveIops > iopsRange.max) {
        return;
    }
    const ceiling = Math.floor(effectiveIops * limits.maxThroughputPerIops!);
    if (throughputMibps > ceiling) {
        const source = iops === undefined ? `the gp3 baseline of ${GP3_BASELINE_IOPS} IOPS, as iops is not set` : `iops ${effectiveIops}`;
        problems.add("throughputMibps", throughputMibps, `must be at most a quarter of the IOPS: ${ceiling} MiB/s for ${source}`);
    }
}

function checkEncryption(problems: ProblemList, args: EbsStorageClassArgs): void {
    checkBoolean(problems, "encrypted", args.encrypted);
    const unencrypted = args.encrypted === false;
    if (args.kmsKeyArn !== undefined) {
        if (unencrypted) {
            problems.add("kmsKeyArn", args.kmsKeyArn, "requires encrypted: true (a KMS key only applies to encrypted volumes)");
        } else if (isKnown(args.kmsKeyArn)) {
            checkKmsKeyArn(problems, "kmsKeyArn", args.kmsKeyArn, "the EBS CSI driver");
        }
    }
    const create = args.createKmsKey;
    if (create === undefined || create === false) {
        return;
    }
    if (create !== true && (typeof create !== "object" || create === null || Array.isArray(create))) {
        problems.add("createKmsKey", create, "must be true, false or { description?, deletionWindowInDays? }");
        return;
    }
    if (unencrypted) {
        problems.add("createKmsKey", create, "requires encrypted: true (a KMS key only applies to encrypted volumes)");
    }
    if (args.kmsKeyArn !== undefined) {
        problems.add("createKmsKey", create, "cannot be combined with kmsKeyArn: name an existing key or create one");
    }
    if (typeof create === "object") {
        checkKnownKeys(problems, "createKmsKey", create, ["deletionWindowInDays", "description"]);
        if (create.deletionWindowInDays !== undefined) {
            checkInteger(problems, "createKmsKey.deletionWindowInDays", create.deletionWindowInDays, 7, 30, "days");
        }
        if (create.description !== undefined && (typeof create.description !== "string" || create.description.length > 8192)) {
            problems.add("createKmsKey.description", create.description, "must be a string of at most 8192 characters");
        }
    }
}

function checkZones(problems: ProblemList, zones: unknown): void {
    if (zones === undefined) {
        return;
    }
    if (!Array.isArray(zones) || zones.length === 0) {
        problems.add("zones", zones, "must be a non-empty list of availability zone names, or left out to allow every zone");
        return;
    }
    const seen = new Set<unknown>();
    zones.forEach((zone, i) => {
        if (typeof zone !== "string" || !ZONE_NAME.test(zone)) {
            problems.add(`zones[${i}]`, zone, 'must be an availability zone name such as "us-east-1a"');
        } else if (seen.has(zone)) {
            problems.add(`zones[${i}]`, zone, "must not repeat a zone listed before");
        }
        seen.add(zone);
    });
}

/** Checks EBS volume tags (shared by the StorageClass and the VolumeSnapshotClass). */
export function checkEbsTags(problems: ProblemList, tags: unknown): void {
    if (tags === undefined) {
        return;
    }
    if (typeof tags !== "object" || tags === null || Array.isArray(tags)) {
        problems.add("tags", tags, "must be an object mapping tag keys to string values");
        return;
    }
    for (const key of Object.keys(tags).sort()) {
        const path = `tags[${JSON.stringify(key)}]`;
        if (key.length === 0 || key.length > MAX_TAG_KEY || key.includes("=") || key.toLowerCase().startsWith("aws:")) {
            problems.add(path, key, `must have a key of 1 to ${MAX_TAG_KEY} characters that contains no "=" and does not start with "aws:"`);
        }
        const value = (tags as Record<string, unknown>)[key];
        if (typeof value !== "string" || value.length > MAX_TAG_VALUE) {
            problems.add(path, value, `must be a string of at most ${MAX_TAG_VALUE} characters`);
        }
    }
}

function checkSnapshots(problems: ProblemList, name: string, args: EbsStorageClassArgs): void {
    const snapshots = args.snapshots;
    if (snapshots === undefined || typeof snapshots === "boolean") {
        return;
    }
    if (typeof snapshots !== "object" || snapshots === null || Array.isArray(snapshots)) {
        problems.add("snapshots", snapshots, 'must be true, false or { deletionPolicy?: "Retain" | "Delete", name? }');
        return;
    }
    checkKnownKeys(problems, "snapshots", snapshots, ["deletionPolicy", "name"]);
    checkEnum(problems, "snapshots.deletionPolicy", snapshots.deletionPolicy, ["Retain", "Delete"]);
    if (snapshots.name !== undefined) {
        checkSubdomain(problems, "snapshots.name", snapshots.name);
    } else {
        const base = args.storageClassName ?? name;
        if (typeof base === "string" && `${base}-snapshots`.length > 253) {
            problems.add("snapshots.name", snapshots.name, "must be set: the default <storageClassName>-snapshots would exceed 253 characters");
        }
    }
}

/**
 * Every problem with the arguments of an {@link EbsStorageClass} named `name`, at once.
 * Plain values are checked; Outputs are passed through to the provider.
 */
export function validateEbsArgs(name: string, args: EbsStorageClassArgs | undefined): Problem[] {
    const problems = new ProblemList();
    if (args === undefined) {
        checkCommonClassArgs(problems, name, {});
        return [...problems.problems];
    }
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
        problems.add("args", args, "must be an object of EbsStorageClass arguments");
        return [...problems.problems];
    }
    checkKnownKeys(problems, "", args, EBS_ARG_NAMES);
    const typeValid = checkEnum(problems, "volumeType", args.volumeType, EBS_VOLUME_TYPES);
    if (typeValid) {
        checkPerformance(problems, args, args.volumeType ?? "gp3");
    }
    checkEnum(problems, "fsType", args.fsType, EBS_FS_TYPES);
    checkEncryption(problems, args);
    checkBoolean(problems, "allowVolumeExpansion", args.allowVolumeExpansion);
    checkZones(problems, args.zones);
    checkEbsTags(problems, args.tags);
    checkCommonClassArgs(problems, name, args);
    checkSnapshots(problems, name, args);
    return [...problems.problems];
}

/** A StorageClass parameter: every value is a string (the API refuses numbers). */
function parameter(value: pulumi.Input<number | string | boolean>): pulumi.Input<string> {
    return isKnown(value) ? String(value) : pulumi.output(value).apply((v) => String(v));
}

/** Tags as the driver reads them: `tagSpecification_N` = "key=value", sorted by key, N from 1. */
export function ebsTagParameters(tags: Record<string, string> | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    Object.keys(tags ?? {})
        .sort()
        .forEach((key, i) => {
            out[`tagSpecification_${i + 1}`] = `${key}=${tags![key]}`;
        });
    return out;
}

/**
 * The StorageClass parameters for valid arguments, keys sorted; `kmsKeyArn` is the key
 * to encrypt with (the created key's ARN, or `args.kmsKeyArn`).
 */
export function ebsParameters(args: EbsStorageClassArgs, kmsKeyArn?: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    const params: Record<string, pulumi.Input<string>> = {
        "csi.storage.k8s.io/fstype": args.fsType ?? "ext4",
        encrypted: String(args.encrypted ?? true),
        type: args.volumeType ?? "gp3",
        ...ebsTagParameters(args.tags),
    };
    if (args.iops !== undefined) {
        params.iops = parameter(args.iops);
    }
    if (args.iopsPerGb !== undefined) {
        params.iopsPerGB = parameter(args.iopsPerGb);
    }
    if (args.allowAutoIopsPerGbIncrease !== undefined) {
        params.allowAutoIOPSPerGBIncrease = String(args.allowAutoIopsPerGbIncrease);
    }
    if (args.throughputMibps !== undefined) {
        params.throughput = parameter(args.throughputMibps);
    }
    const key = kmsKeyArn ?? args.kmsKeyArn;
    if (key !== undefined && args.encrypted !== false) {
        params.kmsKeyId = key;
    }
    return sortKeys(params);
}

/** The StorageClass object for valid arguments (exactly what is sent to the API server). */
export function buildEbsStorageClass(name: string, args: EbsStorageClassArgs, kmsKeyArn?: pulumi.Input<string>): StorageClassObject<pulumi.Input<string>> {
    return {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: storageClassMetadata(ebsStorageClassName(name, args), args.isDefault),
        provisioner: EBS_PROVISIONER,
        parameters: ebsParameters(args, kmsKeyArn),
        reclaimPolicy: args.reclaimPolicy ?? "Retain",
        allowVolumeExpansion: args.allowVolumeExpansion ?? true,
        volumeBindingMode: args.volumeBindingMode ?? "WaitForFirstConsumer",
        ...(args.zones ? { allowedTopologies: [{ matchLabelExpressions: [{ key: EBS_ZONE_TOPOLOGY_KEY, values: [...args.zones].sort() }] }] } : {}),
    };
}

/** A `snapshot.storage.k8s.io/v1` VolumeSnapshotClass as rendered. */
export interface VolumeSnapshotClassObject {
    readonly apiVersion: "snapshot.storage.k8s.io/v1";
    readonly kind: "VolumeSnapshotClass";
    readonly metadata: { readonly name: string; readonly labels: Record<string, string> };
    readonly driver: string;
    readonly deletionPolicy: ReclaimPolicy;
    readonly parameters?: Record<string, string>;
}

/** The VolumeSnapshotClass for valid arguments with snapshots on; snapshots carry the volume tags. */
export function buildEbsSnapshotClass(name: string, args: EbsStorageClassArgs): VolumeSnapshotClassObject | undefined {
    const snapshotClassName = ebsSnapshotClassName(name, args);
    if (snapshotClassName === undefined) {
        return undefined;
    }
    const options = typeof args.snapshots === "object" ? args.snapshots : {};
    const tags = ebsTagParameters(args.tags);
    return {
        apiVersion: "snapshot.storage.k8s.io/v1",
        kind: "VolumeSnapshotClass",
        metadata: { name: snapshotClassName, labels: { ...STORAGE_LABELS } },
        driver: EBS_PROVISIONER,
        deletionPolicy: options.deletionPolicy ?? "Retain",
        ...(Object.keys(tags).length > 0 ? { parameters: tags } : {}),
    };
}

/** The arguments of the KMS key created when `createKmsKey` is set. */
export function buildEbsKmsKeyArgs(name: string, args: EbsStorageClassArgs): aws.kms.KeyArgs | undefined {
    if (!args.createKmsKey) {
        return undefined;
    }
    const options = typeof args.createKmsKey === "object" ? args.createKmsKey : {};
    return {
        deletionWindowInDays: options.deletionWindowInDays ?? 30,
        description: options.description ?? `Encrypts EBS volumes of StorageClass ${ebsStorageClassName(name, args)}`,
        enableKeyRotation: true,
    };
}

/**
 * A StorageClass on the EBS CSI driver (`ebs.csi.aws.com`) with data-safe defaults:
 * gp3, encrypted, Retain, expandable, WaitForFirstConsumer, an explicit stable name; and
 * optionally a customer-managed KMS key and a VolumeSnapshotClass.
 */
export class EbsStorageClass extends pulumi.ComponentResource {
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

    constructor(name: string, args: EbsStorageClassArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        throwIfProblems({ kind: "EbsStorageClass", name }, validateEbsArgs(name, args));
        super(EBS_STORAGE_CLASS_TYPE, name, {}, opts);

        this.volumeType = args.volumeType ?? "gp3";
        this.iops = isKnown(args.iops) ? args.iops : undefined;
        this.iopsPerGb = isKnown(args.iopsPerGb) ? args.iopsPerGb : undefined;
        this.throughputMibps = isKnown(args.throughputMibps) ? args.throughputMibps : undefined;
        this.allowAutoIopsPerGbIncrease = args.allowAutoIopsPerGbIncrease;

        const keyArgs = buildEbsKmsKeyArgs(name, args);
        if (keyArgs) {
            this.kmsKey = new aws.kms.Key(`${name}-kms`, keyArgs, dataChildOptions(this, opts));
            this.kmsKeyArn = this.kmsKey.arn;
        } else if (args.kmsKeyArn !== undefined) {
            this.kmsKeyArn = pulumi.output(args.kmsKeyArn);
        }

        // Parameters are immutable and the name is explicit: a change must delete first.
        this.storageClass = new k8s.storage.v1.StorageClass(
            name,
            buildEbsStorageClass(name, args, this.kmsKeyArn),
            childOptions(this, { deleteBeforeReplace: true }),
        );
        this.storageClassName = pulumi.output(ebsStorageClassName(name, args));

        const snapshotClass = buildEbsSnapshotClass(name, args);
        if (snapshotClass) {
            this.snapshotClass = new k8s.apiextensions.CustomResource(`${name}-snapshots`, snapshotClass, childOptions(this, { deleteBeforeReplace: true }));
            this.volumeSnapshotClassName = this.snapshotClass.metadata.name;
        }

        this.registerOutputs({
            kmsKeyArn: this.kmsKeyArn,
            storageClassName: this.storageClassName,
            volumeSnapshotClassName: this.volumeSnapshotClassName,
        });
    }
}
