import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { sortKeys } from "../common/kubernetes";
import { childOptions, dataChildOptions } from "../common/options";
import { isKnown, Problem, ProblemList, throwIfProblems } from "../common/validation";
import {
    checkBoolean,
    checkCommonClassArgs,
    checkEnum,
    checkInteger,
    checkKmsKeyArn,
    checkKnownKeys,
    oneOf,
    ReclaimPolicy,
    storageClassMetadata,
    StorageClassObject,
    VolumeBindingMode,
} from "./storage-class";

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
     * file system holds data: it honours `protect` and `retainOnDelete` given to the
     * component. Cannot be combined with `fileSystemId`. SWITCHING FROM `fileSystem` TO
     * `fileSystemId` (even the id of this same file system) DELETES THE FILE SYSTEM AND ITS
     * FILES: run with `protect: true` or `retainOnDelete: true` to keep it.
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
}

const EFS_ARG_NAMES: readonly string[] = [
    "basePath",
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

const FILE_SYSTEM_ARG_NAMES: readonly string[] = [
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

const FILE_SYSTEM_ID = /^fs-[0-9a-f]{8,40}$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const OCTAL_PERMS = /^0?[0-7]{3}$/;
const MAX_POSIX_ID = 4294967295;
const SUB_PATH_VARIABLES = ["${.PVC.name}", "${.PVC.namespace}", "${.PV.name}"];

/** An IPv4 or IPv6 CIDR parsed into its address bits. */
interface Cidr {
    readonly family: 4 | 6;
    readonly bits: bigint;
    readonly width: number;
    readonly prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) {
        return undefined;
    }
    return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
    const halves = text.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const groups = (s: string) => (s === "" ? [] : s.split(":"));
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    const missing = 8 - head.length - tail.length;
    if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
        return undefined;
    }
    const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
    if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) {
        return undefined;
    }
    return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses "10.0.0.0/16" or "2001:db8::/32"; undefined when it is not a CIDR block. */
export function parseCidr(text: string): Cidr | undefined {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
    if (!match) {
        return undefined;
    }
    const family = match[1].includes(":") ? 6 : 4;
    const width = family === 4 ? 32 : 128;
    const prefix = Number(match[2]);
    const bits = family === 4 ? parseIpv4(match[1]) : parseIpv6(match[1]);
    if (bits === undefined || prefix > width) {
        return undefined;
    }
    return { family, bits, width, prefix };
}

/** The network address of a CIDR block ("10.0.0.5/16" → "10.0.0.0/16" for IPv4). */
function networkOf(cidr: Cidr): string {
    const hostBits = BigInt(cidr.width - cidr.prefix);
    const network = (cidr.bits >> hostBits) << hostBits;
    if (cidr.family === 4) {
        return `${[24n, 16n, 8n, 0n].map((s) => Number((network >> s) & 255n)).join(".")}/${cidr.prefix}`;
    }
    const groups = [];
    for (let s = 112n; s >= 0n; s -= 16n) {
        groups.push(((network >> s) & 0xffffn).toString(16));
    }
    return `${groups.join(":")}/${cidr.prefix}`;
}

function checkIdList(problems: ProblemList, path: string, list: unknown, pattern: RegExp, example: string, required: boolean): void {
    if (list === undefined && !required) {
        return;
    }
    if (!Array.isArray(list)) {
        problems.add(path, list, `must be a list of ids such as "${example}"`);
        return;
    }
    const seen = new Set<string>();
    list.forEach((id, i) => {
        if (!isKnown(id)) {
            if (id === undefined) {
                problems.add(`${path}[${i}]`, id, `must be an id such as "${example}"`);
            }
            return;
        }
        if (typeof id !== "string" || !pattern.test(id)) {
            problems.add(`${path}[${i}]`, id, `must be an id such as "${example}"`);
        } else if (seen.has(id)) {
            problems.add(`${path}[${i}]`, id, "must not repeat an id listed before");
        }
        if (typeof id === "string") {
            seen.add(id);
        }
    });
}

function checkCidrBlocks(problems: ProblemList, blocks: unknown): void {
    if (blocks === undefined) {
        return;
    }
    if (!Array.isArray(blocks)) {
        problems.add("fileSystem.allowedCidrBlocks", blocks, 'must be a list of CIDR blocks such as "10.0.0.0/16"');
        return;
    }
    const seen = new Set<string>();
    blocks.forEach((block, i) => {
        const path = `fileSystem.allowedCidrBlocks[${i}]`;
        const cidr = typeof block === "string" ? parseCidr(block) : undefined;
        if (cidr === undefined) {
            problems.add(path, block, 'must be an IPv4 or IPv6 CIDR block such as "10.0.0.0/16" or "2001:db8::/56"');
            return;
        }
        if (cidr.prefix === 0) {
            problems.add(path, block, "must not open NFS to every address: name the cluster's subnets or security groups instead");
            return;
        }
        const network = networkOf(cidr);
        if (cidr.family === 4 && network !== block) {
            problems.add(path, block, `must be a network address with no host bits set; did you mean "${network}"?`);
        } else if (cidr.family === 6 && parseCidr(network)!.bits !== cidr.bits) {
            problems.add(path, block, "must be a network address with no host bits set");
        } else if (seen.has(network)) {
            problems.add(path, block, "must not repeat a CIDR block listed before");
        }
        seen.add(network);
    });
}

function checkFileSystem(problems: ProblemList, fs: EfsFileSystemArgs): void {
    checkKnownKeys(problems, "fileSystem", fs, FILE_SYSTEM_ARG_NAMES);
    if (fs.vpcId === undefined || (isKnown(fs.vpcId) && (typeof fs.vpcId !== "string" || !VPC_ID.test(fs.vpcId)))) {
        problems.add("fileSystem.vpcId", fs.vpcId, 'must be a VPC id such as "vpc-0123456789abcdef0"');
    }
    if (Array.isArray(fs.subnetIds) && fs.subnetIds.length === 0) {
        problems.add("fileSystem.subnetIds", fs.subnetIds, "must list at least one subnet: a mount target is created in each");
    } else {
        checkIdList(problems, "fileSystem.subnetIds", fs.subnetIds, SUBNET_ID, "subnet-0123456789abcdef0", true);
    }
    checkCidrBlocks(problems, fs.allowedCidrBlocks);
    checkIdList(problems, "fileSystem.allowedSecurityGroupIds", fs.allowedSecurityGroupIds, SECURITY_GROUP_ID, "sg-0123456789abcdef0", false);
    const sources = (Array.isArray(fs.allowedCidrBlocks) ? fs.allowedCidrBlocks.length : 0) + (Array.isArray(fs.allowedSecurityGroupIds) ? fs.allowedSecurityGroupIds.length : 0);
    if (sources === 0) {
        problems.add(
            "fileSystem.allowedCidrBlocks",
            fs.allowedCidrBlocks,
            "must name at least one CIDR block, or fileSystem.allowedSecurityGroupIds at least one security group, allowed to reach NFS (TCP 2049)",
        );
    }

    const perfValid = checkEnum(problems, "fileSystem.performanceMode", fs.performanceMode, EFS_PERFORMANCE_MODES);
    const throughputValid = checkEnum(problems, "fileSystem.throughputMode", fs.throughputMode, EFS_THROUGHPUT_MODES);
    const performance = fs.performanceMode ?? "generalPurpose";
    const throughput = fs.throughputMode ?? "elastic";
    if (perfValid && throughputValid && performance === "maxIO" && throughput === "elastic") {
        problems.add("fileSystem.performanceMode", fs.performanceMode, 'must be "generalPurpose" with elastic throughput: set throughputMode "bursting" or "provisioned" to use "maxIO"');
    }
    if (throughputValid && throughput === "provisioned") {
        if (fs.provisionedThroughputMibps === undefined) {
            problems.add("fileSystem.provisionedThroughputMibps", undefined, 'is required with throughputMode "provisioned"');
        } else if (typeof fs.provisionedThroughputMibps !== "number" || !Number.isFinite(fs.provisionedThroughputMibps) || fs.provisionedThroughputMibps < 1) {
            problems.add("fileSystem.provisionedThroughputMibps", fs.provisionedThroughputMibps, "must be a number of MiB/s of at least 1");
        }
    } else if (throughputValid && fs.provisionedThroughputMibps !== undefined) {
        problems.add("fileSystem.provisionedThroughputMibps", fs.provisionedThroughputMibps, `can only be set with throughputMode "provisioned" (throughput mode is "${throughput}")`);
    }

    checkBoolean(problems, "fileSystem.encrypted", fs.encrypted);
    if (fs.kmsKeyArn !== undefined) {
        if (fs.encrypted === false) {
            problems.add("fileSystem.kmsKeyArn", fs.kmsKeyArn, "requires fileSystem.encrypted: true (a KMS key only applies to an encrypted file system)");
        } else if (isKnown(fs.kmsKeyArn)) {
            checkKmsKeyArn(problems, "fileSystem.kmsKeyArn", fs.kmsKeyArn, "this component");
        }
    }

    checkEnum(problems, "fileSystem.transitionToIa", fs.transitionToIa, EFS_TRANSITIONS);
    if (checkEnum(problems, "fileSystem.transitionToArchive", fs.transitionToArchive, EFS_TRANSITIONS) && fs.transitionToArchive !== undefined) {
        if (fs.transitionToIa === undefined) {
            problems.add("fileSystem.transitionToArchive", fs.transitionToArchive, "requires fileSystem.transitionToIa: files reach Archive through Infrequent Access");
        }
        if (perfValid && throughputValid && (throughput !== "elastic" || performance !== "generalPurpose")) {
            problems.add(
                "fileSystem.transitionToArchive",
                fs.transitionToArchive,
                `requires elastic throughput and the generalPurpose performance mode (got throughputMode "${throughput}", performanceMode "${performance}")`,
            );
        }
    }
    checkBoolean(problems, "fileSystem.backups", fs.backups);
}

function checkAccessPointArgs(problems: ProblemList, args: EfsStorageClassArgs): void {
    if (args.directoryPerms !== undefined && (typeof args.directoryPerms !== "string" || !OCTAL_PERMS.test(args.directoryPerms))) {
        problems.add("directoryPerms", args.directoryPerms, 'must be octal permissions given as a string, such as "700" or "0750"');
    }
    for (const key of ["uid", "gid"] as const) {
        if (args[key] !== undefined) {
            checkInteger(problems, key, args[key], 0, MAX_POSIX_ID);
        }
    }
    const { gidRangeStart: start, gidRangeEnd: end } = args;
    if ((start === undefined) !== (end === undefined)) {
        const missing = start === undefined ? "gidRangeStart" : "gidRangeEnd";
        const given = start === undefined ? "gidRangeEnd" : "gidRangeStart";
        problems.add(missing, undefined, `is required with ${given}: set both ends of the gid range or neither`);
    }
    const startValid = start === undefined || checkInteger(problems, "gidRangeStart", start, 1, MAX_POSIX_ID);
    const endValid = end === undefined || checkInteger(problems, "gidRangeEnd", end, 1, MAX_POSIX_ID);
    if (start !== undefined && end !== undefined && startValid && endValid && end <= start) {
        problems.add("gidRangeEnd", end, `must be greater than gidRangeStart (${start})`);
    }
    if (start !== undefined && args.uid !== undefined && args.gid !== undefined) {
        problems.add("gidRangeStart", start, "is not used when both uid and gid are set: leave out the gid range or one of uid/gid");
    }
    if (args.basePath !== undefined) {
        const path = args.basePath;
        const valid = typeof path === "string" && path.startsWith("/") && !/\s/.test(path) && (path === "/" || path.split("/").slice(1).every((s) => s !== "" && s !== "." && s !== ".."));
        if (!valid) {
            problems.add("basePath", path, 'must be an absolute path such as "/dynamic", without empty, "." or ".." parts, whitespace or a trailing "/"');
        }
    }
    if (args.subPathPattern !== undefined) {
        const pattern = args.subPathPattern;
        const unknown = typeof pattern === "string" ? (pattern.match(/\$\{[^}]*\}/g) ?? []).filter((v) => !SUB_PATH_VARIABLES.includes(v)) : [];
        if (typeof pattern !== "string" || pattern.trim() === "" || unknown.length > 0 || pattern.startsWith("/") || pattern.split("/").includes("..")) {
            problems.add("subPathPattern", pattern, `must be a relative path from fixed text and ${oneOf(SUB_PATH_VARIABLES)}`);
        }
    }
    checkBoolean(problems, "ensureUniqueDirectory", args.ensureUniqueDirectory);
    checkBoolean(problems, "reuseAccessPoint", args.reuseAccessPoint);
}

/**
 * Every problem with the arguments of an {@link EfsStorageClass} named `name`, at once.
 * Plain values are checked; Outputs are passed through to the provider.
 */
export function validateEfsArgs(name: string, args: EfsStorageClassArgs | undefined): Problem[] {
    const problems = new ProblemList();
    if (typeof args !== "object" || args === null || Array.isArray(args)) {
        problems.add("args", args, "must be an object of EfsStorageClass arguments with fileSystemId or fileSystem");
        return [...problems.problems];
    }
    checkKnownKeys(problems, "", args, EFS_ARG_NAMES);
    if (args.fileSystemId !== undefined && args.fileSystem !== undefined) {
        problems.add("fileSystem", args.fileSystem, "cannot be combined with fileSystemId: create a file system or name an existing one");
    } else if (args.fileSystemId === undefined && args.fileSystem === undefined) {
        problems.add("fileSystemId", undefined, "is required unless fileSystem is given: set exactly one of fileSystemId or fileSystem");
    }
    if (isKnown(args.fileSystemId) && (typeof args.fileSystemId !== "string" || !FILE_SYSTEM_ID.test(args.fileSystemId))) {
        problems.add("fileSystemId", args.fileSystemId, 'must be an EFS file system id such as "fs-0123456789abcdef0"');
    }
    if (args.fileSystem !== undefined) {
        if (typeof args.fileSystem !== "object" || args.fileSystem === null || Array.isArray(args.fileSystem)) {
            problems.add("fileSystem", args.fileSystem, "must be an object with vpcId, subnetIds and allowed sources");
        } else {
            checkFileSystem(problems, args.fileSystem);
        }
    }
    checkAccessPointArgs(problems, args);
    checkCommonClassArgs(problems, name, args);
    return [...problems.problems];
}

/** The StorageClass name the component renders: explicit, else the component name. */
export function efsStorageClassName(name: string, args: EfsStorageClassArgs): string {
    return args.storageClassName ?? name;
}

/** The StorageClass parameters for valid arguments (all strings, keys sorted). */
export function efsParameters(args: EfsStorageClassArgs, fileSystemId: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    const params: Record<string, pulumi.Input<string>> = {
        directoryPerms: args.directoryPerms ?? "700",
        fileSystemId,
        provisioningMode: "efs-ap",
    };
    const optional: Record<string, string | number | boolean | undefined> = {
        basePath: args.basePath,
        ensureUniqueDirectory: args.ensureUniqueDirectory,
        gid: args.gid,
        gidRangeEnd: args.gidRangeEnd,
        gidRangeStart: args.gidRangeStart,
        reuseAccessPoint: args.reuseAccessPoint,
        subPathPattern: args.subPathPattern,
        uid: args.uid,
    };
    for (const [key, value] of Object.entries(optional)) {
        if (value !== undefined) {
            params[key] = String(value);
        }
    }
    return sortKeys(params);
}

/** The StorageClass object for valid arguments (exactly what is sent to the API server). */
export function buildEfsStorageClass(name: string, args: EfsStorageClassArgs, fileSystemId: pulumi.Input<string>): StorageClassObject<pulumi.Input<string>> {
    return {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: storageClassMetadata(efsStorageClassName(name, args), args.isDefault),
        provisioner: EFS_PROVISIONER,
        parameters: efsParameters(args, fileSystemId),
        reclaimPolicy: args.reclaimPolicy ?? "Retain",
        volumeBindingMode: args.volumeBindingMode ?? "Immediate",
    };
}

/** The file system's arguments: encrypted, elastic, generalPurpose unless told otherwise. */
export function buildEfsFileSystemArgs(name: string, fs: EfsFileSystemArgs): aws.efs.FileSystemArgs {
    const lifecyclePolicies = [
        ...(fs.transitionToIa ? [{ transitionToIa: fs.transitionToIa }] : []),
        ...(fs.transitionToArchive ? [{ transitionToArchive: fs.transitionToArchive }] : []),
    ];
    return {
        encrypted: fs.encrypted ?? true,
        ...(fs.kmsKeyArn !== undefined ? { kmsKeyId: fs.kmsKeyArn } : {}),
        ...(lifecyclePolicies.length > 0 ? { lifecyclePolicies } : {}),
        performanceMode: fs.performanceMode ?? "generalPurpose",
        ...(fs.provisionedThroughputMibps !== undefined ? { provisionedThroughputInMibps: fs.provisionedThroughputMibps } : {}),
        tags: { Name: name },
        throughputMode: fs.throughputMode ?? "elastic",
    };
}

/**
 * The security group's arguments: one ingress rule, TCP 2049 from the named sources,
 * and no egress rules (responses to NFS clients need none; the group is stateful).
 */
export function buildEfsSecurityGroupArgs(name: string, fs: EfsFileSystemArgs): aws.ec2.SecurityGroupArgs {
    const cidrs = fs.allowedCidrBlocks ?? [];
    const ipv4 = cidrs.filter((c) => !c.includes(":"));
    const ipv6 = cidrs.filter((c) => c.includes(":"));
    const groups = fs.allowedSecurityGroupIds ?? [];
    return {
        description: `NFS (TCP ${NFS_PORT}) to the EFS file system of ${name}`,
        egress: [],
        ingress: [
            {
                description: "NFS from the allowed sources",
                fromPort: NFS_PORT,
                protocol: "tcp",
                toPort: NFS_PORT,
                ...(ipv4.length > 0 ? { cidrBlocks: ipv4 } : {}),
                ...(ipv6.length > 0 ? { ipv6CidrBlocks: ipv6 } : {}),
                ...(groups.length > 0 ? { securityGroups: groups } : {}),
            },
        ],
        tags: { Name: `${name}-nfs` },
        vpcId: fs.vpcId,
    };
}

/**
 * The resource name of the mount target in a subnet: named after the subnet id when it
 * is known, so reordering `subnetIds` replaces nothing; by position otherwise.
 */
export function efsMountTargetName(name: string, subnetId: pulumi.Input<string>, index: number): string {
    return typeof subnetId === "string" ? `${name}-mount-${subnetId}` : `${name}-mount-${index}`;
}

/**
 * A StorageClass on the EFS CSI driver (`efs.csi.aws.com`, one access point per claim)
 * on an existing file system, or on one created here with its mount targets, a security
 * group open to NFS only from the named sources, and a backup policy.
 */
export class EfsStorageClass extends pulumi.ComponentResource {
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
    /** The id of the file system access points are created on. */
    public readonly fileSystemId: pulumi.Output<string>;
    /** The file system created (with `fileSystem`). */
    public readonly fileSystem?: aws.efs.FileSystem;
    /** The security group of the mount targets (with `fileSystem`). */
    public readonly securityGroup?: aws.ec2.SecurityGroup;
    /** One mount target per subnet (with `fileSystem`; empty otherwise). */
    public readonly mountTargets: aws.efs.MountTarget[];
    /** The file system's backup policy (with `fileSystem`). */
    public readonly backupPolicy?: aws.efs.BackupPolicy;

    constructor(name: string, args: EfsStorageClassArgs, opts?: pulumi.ComponentResourceOptions) {
        throwIfProblems({ kind: "EfsStorageClass", name }, validateEfsArgs(name, args));
        super(EFS_STORAGE_CLASS_TYPE, name, {}, opts);

        const fs = args.fileSystem;
        if (fs) {
            this.fileSystem = new aws.efs.FileSystem(`${name}-fs`, buildEfsFileSystemArgs(name, fs), dataChildOptions(this, opts));
            this.fileSystemId = this.fileSystem.id;
            this.securityGroup = new aws.ec2.SecurityGroup(`${name}-nfs`, buildEfsSecurityGroupArgs(name, fs), childOptions(this));
            const securityGroupId = this.securityGroup.id;
            this.mountTargets = fs.subnetIds.map(
                (subnetId, i) =>
                    new aws.efs.MountTarget(
                        efsMountTargetName(name, subnetId, i),
                        { fileSystemId: this.fileSystemId, securityGroups: [securityGroupId], subnetId },
                        childOptions(this),
                    ),
            );
            this.backupPolicy = new aws.efs.BackupPolicy(
                `${name}-backup`,
                { backupPolicy: { status: fs.backups === false ? "DISABLED" : "ENABLED" }, fileSystemId: this.fileSystemId },
                childOptions(this),
            );
        } else {
            this.fileSystemId = pulumi.output(args.fileSystemId!);
            this.mountTargets = [];
        }

        // Parameters are immutable and the name is explicit: a change must delete first.
        // Claims can only mount once the mount targets exist, so the class waits for them.
        this.storageClass = new k8s.storage.v1.StorageClass(
            name,
            buildEfsStorageClass(name, args, this.fileSystemId),
            childOptions(this, { deleteBeforeReplace: true, ...(this.mountTargets.length > 0 ? { dependsOn: this.mountTargets } : {}) }),
        );
        this.storageClassName = pulumi.output(efsStorageClassName(name, args));

        this.registerOutputs({
            fileSystemId: this.fileSystemId,
            storageClassName: this.storageClassName,
        });
    }
}
