import * as pulumi from "@pulumi/pulumi";
import { checkAbsolutePath, checkBoolean, checkInteger, checkDistinctList, checkList, checkObject, checkOneOf, checkPlain, EXPECT_CHECK, isDeferred, isPlainObject } from "../common/checks";
import { isKnown, Problem, ProblemList } from "../common/validation";
import { Cidr, coversAddressFamily, networkOf, parseCidr } from "./cidr";
import {
    EFS_ARG_NAMES,
    EFS_PERFORMANCE_MODES,
    EFS_THROUGHPUT_MODES,
    EFS_TRANSITIONS,
    EfsFileSystemArgs,
    EfsStorageClassArgs,
    FILE_SYSTEM_ARG_NAMES,
} from "./efs-storage-class-args";
import { checkCommonClassArgs, checkComponentName, checkDeleteWithStack, checkKmsKeyArn } from "./storage-class";

const FILE_SYSTEM_ID = /^fs-[0-9a-f]{8,40}$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const OCTAL_PERMS = /^0?[0-7]{3}$/;
const MAX_POSIX_ID = 4294967295;
/** Most ids or CIDR blocks in one list: a security group takes at most 60 rules per direction. */
const MAX_IDS = 60;
const SUB_PATH_VARIABLES = ["${.PVC.name}", "${.PVC.namespace}", "${.PV.name}"];

function checkIdList(problems: ProblemList, path: string, list: unknown, pattern: RegExp, example: string, required: boolean): void {
    if (list === undefined && !required) {
        return;
    }
    const isList = checkDistinctList(
        problems,
        path,
        list,
        "an id",
        (itemPath, id) => {
            if (!isKnown(id)) {
                return undefined;
            }
            if (typeof id !== "string" || !pattern.test(id)) {
                problems.add(itemPath, id, `must be an id such as "${example}"`);
                return undefined;
            }
            return id;
        },
        { expected: `must be a list of ids such as "${example}"`, maxLength: MAX_IDS },
    );
    if (!isList && list === undefined) {
        problems.add(path, list, `must be a list of ids such as "${example}"`);
    }
}

function checkCidrBlocks(problems: ProblemList, blocks: unknown): void {
    if (blocks === undefined) {
        return;
    }
    const seen = new Set<string>();
    const parsed: Cidr[] = [];
    const each = (path: string, block: unknown) => {
        if (!checkPlain(problems, path, block)) {
            return;
        }
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
        parsed.push(cidr);
    };
    if (!checkList(problems, "fileSystem.allowedCidrBlocks", blocks, each, { expected: 'must be a list of CIDR blocks such as "10.0.0.0/16"', maxLength: MAX_IDS })) {
        return;
    }
    for (const family of [4, 6] as const) {
        if (coversAddressFamily(parsed, family)) {
            problems.add(
                "fileSystem.allowedCidrBlocks",
                blocks,
                `must not together cover every IPv${family} address, which opens NFS to the whole internet: name the cluster's subnets or security groups instead`,
            );
        }
    }
}

function checkFileSystem(problems: ProblemList, fs: EfsFileSystemArgs): void {
    checkObject(problems, "fileSystem", fs, FILE_SYSTEM_ARG_NAMES);
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

    const perfValid = fs.performanceMode === undefined || checkOneOf(problems, "fileSystem.performanceMode", fs.performanceMode, EFS_PERFORMANCE_MODES);
    const throughputValid = fs.throughputMode === undefined || checkOneOf(problems, "fileSystem.throughputMode", fs.throughputMode, EFS_THROUGHPUT_MODES);
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

    checkOneOf(problems, "fileSystem.transitionToIa", fs.transitionToIa, EFS_TRANSITIONS);
    if (checkOneOf(problems, "fileSystem.transitionToArchive", fs.transitionToArchive, EFS_TRANSITIONS)) {
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
            checkInteger(problems, key, args[key], { max: MAX_POSIX_ID, min: 0 });
        }
    }
    const { gidRangeStart: start, gidRangeEnd: end } = args;
    if ((start === undefined) !== (end === undefined)) {
        const missing = start === undefined ? "gidRangeStart" : "gidRangeEnd";
        const given = start === undefined ? "gidRangeEnd" : "gidRangeStart";
        problems.add(missing, undefined, `is required with ${given}: set both ends of the gid range or neither`);
    }
    const startValid = start === undefined || checkInteger(problems, "gidRangeStart", start, { max: MAX_POSIX_ID, min: 1 });
    const endValid = end === undefined || checkInteger(problems, "gidRangeEnd", end, { max: MAX_POSIX_ID, min: 1 });
    if (start !== undefined && end !== undefined && startValid && endValid && end <= start) {
        problems.add("gidRangeEnd", end, `must be greater than gidRangeStart (${start})`);
    }
    if (start !== undefined && args.uid !== undefined && args.gid !== undefined) {
        problems.add("gidRangeStart", start, "is not used when both uid and gid are set: leave out the gid range or one of uid/gid");
    }
    // "/" is the file system's root, what leaving basePath out means.
    if (args.basePath !== "/") {
        checkAbsolutePath(problems, "basePath", args.basePath);
    }
    if (args.subPathPattern !== undefined) {
        const pattern = args.subPathPattern;
        const unknown = typeof pattern === "string" ? (pattern.match(/\$\{[^}]*\}/g) ?? []).filter((v) => !SUB_PATH_VARIABLES.includes(v)) : [];
        if (typeof pattern !== "string" || pattern.trim() === "" || unknown.length > 0 || pattern.startsWith("/") || pattern.split("/").includes("..")) {
            problems.add("subPathPattern", pattern, 'must be a relative path from fixed text and "${.PVC.name}", "${.PVC.namespace}" or "${.PV.name}"');
        }
    }
    checkBoolean(problems, "ensureUniqueDirectory", args.ensureUniqueDirectory);
    checkBoolean(problems, "reuseAccessPoint", args.reuseAccessPoint);
}

/**
 * Every problem with the arguments of an {@link EfsStorageClass} named `name`, at once.
 * Plain values are checked; Outputs are passed through to the provider.
 */
export function validateEfsArgs(name: string, args: EfsStorageClassArgs | undefined, opts?: pulumi.ComponentResourceOptions): Problem[] {
    const problems = new ProblemList({ redactCredentialPaths: true });
    checkComponentName(problems, name);
    if (isDeferred(args)) {
        problems.add("args", args, EXPECT_CHECK.deferredArgs);
        return [...problems.problems];
    }
    if (!checkObject(problems, "", args, EFS_ARG_NAMES, "must be an object of EfsStorageClass arguments with fileSystemId or fileSystem")) {
        if (args === undefined) {
            problems.add("args", args, "must be an object of EfsStorageClass arguments with fileSystemId or fileSystem");
        }
        return [...problems.problems];
    }
    if (args.fileSystemId !== undefined && args.fileSystem !== undefined) {
        problems.add("fileSystem", args.fileSystem, "cannot be combined with fileSystemId: create a file system or name an existing one");
    } else if (args.fileSystemId === undefined && args.fileSystem === undefined) {
        problems.add("fileSystemId", undefined, "is required unless fileSystem is given: set exactly one of fileSystemId or fileSystem");
    }
    if (isKnown(args.fileSystemId) && (typeof args.fileSystemId !== "string" || !FILE_SYSTEM_ID.test(args.fileSystemId))) {
        problems.add("fileSystemId", args.fileSystemId, 'must be an EFS file system id such as "fs-0123456789abcdef0"');
    }
    if (args.fileSystem !== undefined) {
        if (!isPlainObject(args.fileSystem)) {
            problems.add("fileSystem", args.fileSystem, "must be an object with vpcId, subnetIds and allowed sources");
        } else {
            checkFileSystem(problems, args.fileSystem as unknown as EfsFileSystemArgs);
        }
    }
    checkAccessPointArgs(problems, args);
    checkCommonClassArgs(problems, name, args);
    checkDeleteWithStack(problems, args.deleteWithStack, opts);
    return [...problems.problems];
}
