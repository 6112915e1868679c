import * as pulumi from "@pulumi/pulumi";
import { checkBoolean, checkDistinctList, checkObject, checkOneOf, checkPlain, EXPECT_CHECK, isDeferred, isPlainObject } from "../common/checks";
import { checkSubdomain } from "../common/kubernetes";
import { isKnown, Problem, ProblemList } from "../common/validation";
import { EBS_LIMITS, EBS_VOLUME_TYPES, EbsVolumeType } from "./ebs-limits";
import { EBS_ARG_NAMES, EBS_FS_TYPES, EbsStorageClassArgs, GP3_BASELINE_IOPS } from "./ebs-storage-class-args";
import { checkCommonClassArgs, checkComponentName, checkDeleteWithStack, checkIntegerIn, checkKmsKeyArn } from "./storage-class";

/** The volume types that take provisioned IOPS (`iops` or `iopsPerGb`). */
const IOPS_TYPES: readonly EbsVolumeType[] = EBS_VOLUME_TYPES.filter((t) => EBS_LIMITS[t].iops !== undefined);

/** An availability zone name: us-east-1a, eu-central-2b, us-west-2-lax-1a. */
const ZONE_NAME = /^[a-z]{2}(-[a-z]+)+-\d+(-[a-z]+-\d+)?[a-z]$/;
/** An EBS tag key the driver can pass: "key=value" is split at the first "=". */
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;

/** The performance arguments both EBS classes take; `iopsPerGb` only the StorageClass. */
export interface EbsPerformanceArgs {
    readonly iops?: unknown;
    readonly iopsPerGb?: unknown;
    readonly allowAutoIopsPerGbIncrease?: unknown;
    readonly throughputMibps?: unknown;
}

/**
 * Checks provisioned IOPS and throughput against the EBS limits of `type` (one rule for
 * the StorageClass and the VolumeAttributesClass). `requiredHint` completes "is required
 * for io2 volumes: …" with the arguments that can give the IOPS.
 */
export function checkEbsPerformance(problems: ProblemList, args: EbsPerformanceArgs, type: EbsVolumeType, requiredHint = "set iops or iopsPerGb"): void {
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
            checkIntegerIn(problems, "iops", iops, limits.iops!.min, limits.iops!.max, `for ${type} volumes`);
        }
    }
    if (iopsPerGb !== undefined) {
        if (!takesIops) {
            problems.add("iopsPerGb", iopsPerGb, `must not be set for ${type} volumes: only ${IOPS_TYPES.join(", ")} take provisioned IOPS`);
        } else if (isKnown(iopsPerGb)) {
            checkIntegerIn(problems, "iopsPerGb", iopsPerGb, 1, limits.maxIopsPerGib!, `for ${type} volumes`);
        }
    }
    if (limits.iopsRequired && iops === undefined && iopsPerGb === undefined) {
        problems.add("iops", iops, `is required for ${type} volumes: ${requiredHint}`);
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
    if (!checkIntegerIn(problems, "throughputMibps", throughputMibps, limits.throughputMibps.min, limits.throughputMibps.max, "MiB/s")) {
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
    if (create !== true && !isPlainObject(create)) {
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
        checkObject(problems, "createKmsKey", create, ["deletionWindowInDays", "description"]);
        if (create.deletionWindowInDays !== undefined) {
            checkIntegerIn(problems, "createKmsKey.deletionWindowInDays", create.deletionWindowInDays, 7, 30, "days");
        }
        if (create.description !== undefined && (typeof create.description !== "string" || create.description.length > 8192)) {
            problems.add("createKmsKey.description", create.description, "must be a string of at most 8192 characters");
        }
    }
}

function checkZones(problems: ProblemList, zones: unknown): void {
    checkDistinctList(
        problems,
        "zones",
        zones,
        "a zone",
        (path, zone) => {
            if (!checkPlain(problems, path, zone)) {
                return undefined;
            }
            if (typeof zone !== "string" || !ZONE_NAME.test(zone)) {
                problems.add(path, zone, 'must be an availability zone name such as "us-east-1a"');
                return undefined;
            }
            return zone;
        },
        { expected: "must be a non-empty list of availability zone names, or left out to allow every zone", minLength: 1 },
    );
}

/** Checks EBS volume tags (shared by the StorageClass and the VolumeSnapshotClass). */
export function checkEbsTags(problems: ProblemList, tags: unknown): void {
    if (tags === undefined) {
        return;
    }
    if (!isPlainObject(tags)) {
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
    if (!isPlainObject(snapshots)) {
        problems.add("snapshots", snapshots, 'must be true, false or { deletionPolicy?: "Retain" | "Delete", name? }');
        return;
    }
    checkObject(problems, "snapshots", snapshots, ["deletionPolicy", "name"]);
    checkOneOf(problems, "snapshots.deletionPolicy", snapshots.deletionPolicy, ["Retain", "Delete"]);
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
 * Plain values are checked; Outputs are passed through to the provider. `opts` are the
 * component's resource options, checked against `deleteWithStack`.
 */
export function validateEbsArgs(name: string, args: EbsStorageClassArgs | undefined, opts?: pulumi.ComponentResourceOptions): Problem[] {
    const problems = new ProblemList({ redactCredentialPaths: true });
    checkComponentName(problems, name);
    if (args === undefined) {
        checkCommonClassArgs(problems, name, {});
        return [...problems.problems];
    }
    if (isDeferred(args)) {
        problems.add("args", args, EXPECT_CHECK.deferredArgs);
        return [...problems.problems];
    }
    if (!checkObject(problems, "", args, EBS_ARG_NAMES, "must be an object of EbsStorageClass arguments")) {
        return [...problems.problems];
    }
    const typeValid = args.volumeType === undefined || checkOneOf(problems, "volumeType", args.volumeType, EBS_VOLUME_TYPES);
    if (typeValid) {
        checkEbsPerformance(problems, args, (args.volumeType ?? "gp3") as EbsVolumeType);
    }
    checkOneOf(problems, "fsType", args.fsType, EBS_FS_TYPES);
    checkEncryption(problems, args);
    checkBoolean(problems, "allowVolumeExpansion", args.allowVolumeExpansion);
    checkZones(problems, args.zones);
    checkEbsTags(problems, args.tags);
    checkCommonClassArgs(problems, name, args);
    checkSnapshots(problems, name, args);
    checkDeleteWithStack(problems, args.deleteWithStack, opts);
    return [...problems.problems];
}
