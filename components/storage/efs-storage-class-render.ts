import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { sortKeys } from "../common/kubernetes";
import { StorageClassFacts } from "../common/storage-class-ref";
import {
    EFS_PROVISIONER,
    EfsFileSystemArgs,
    EfsPerformanceMode,
    EfsStorageClassArgs,
    EfsThroughputMode,
    EfsTransition,
    NFS_PORT,
} from "./efs-storage-class-args";
import { FILE_ACCESS_MODES, ReclaimPolicy, storageClassMetadata, StorageClassObject, VolumeBindingMode } from "./storage-class";

/**
 * The pure render step of {@link EfsStorageClass}: valid arguments in, every default
 * applied once ({@link resolveEfsArgs}, {@link resolveEfsFileSystem}), the objects to
 * register out. Nothing here registers a resource.
 */

/** A valid {@link EfsFileSystemArgs} with every default applied. */
export interface ResolvedEfsFileSystem {
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: readonly pulumi.Input<string>[];
    readonly allowedCidrBlocks: readonly string[];
    readonly allowedSecurityGroupIds: readonly pulumi.Input<string>[];
    readonly performanceMode: EfsPerformanceMode;
    readonly throughputMode: EfsThroughputMode;
    readonly provisionedThroughputMibps?: number;
    readonly encrypted: boolean;
    readonly kmsKeyArn?: pulumi.Input<string>;
    readonly transitionToIa?: EfsTransition;
    readonly transitionToArchive?: EfsTransition;
    readonly backups: boolean;
}

/** Valid {@link EfsStorageClassArgs} with every default applied. */
export interface ResolvedEfsArgs {
    readonly storageClassName: string;
    /** The existing file system (`fileSystemId`), or undefined when one is created. */
    readonly fileSystemId?: pulumi.Input<string>;
    /** The file system to create (`fileSystem`). */
    readonly fileSystem?: ResolvedEfsFileSystem;
    /** StorageClass parameters the user set, beyond the ones always rendered. */
    readonly accessPoint: Pick<EfsStorageClassArgs, EfsAccessPointParameter> & { readonly directoryPerms: string };
    readonly reclaimPolicy: ReclaimPolicy;
    readonly volumeBindingMode: VolumeBindingMode;
    readonly isDefault: boolean;
    readonly deleteWithStack: boolean;
}

/** Applies every default of {@link EfsFileSystemArgs}, once. The arguments must be valid. */
export function resolveEfsFileSystem(fs: EfsFileSystemArgs): ResolvedEfsFileSystem {
    return {
        allowedCidrBlocks: fs.allowedCidrBlocks ?? [],
        allowedSecurityGroupIds: fs.allowedSecurityGroupIds ?? [],
        backups: fs.backups ?? true,
        encrypted: fs.encrypted ?? true,
        kmsKeyArn: fs.kmsKeyArn,
        performanceMode: fs.performanceMode ?? "generalPurpose",
        provisionedThroughputMibps: fs.provisionedThroughputMibps,
        subnetIds: fs.subnetIds,
        throughputMode: fs.throughputMode ?? "elastic",
        transitionToArchive: fs.transitionToArchive,
        transitionToIa: fs.transitionToIa,
        vpcId: fs.vpcId,
    };
}

/** The arguments rendered as StorageClass parameters of the same name, each access point's settings. */
type EfsAccessPointParameter = "directoryPerms" | "uid" | "gid" | "gidRangeStart" | "gidRangeEnd" | "basePath" | "subPathPattern" | "ensureUniqueDirectory" | "reuseAccessPoint";

/** Applies every default of {@link EfsStorageClassArgs}, once. The arguments must be valid. */
export function resolveEfsArgs(name: string, args: EfsStorageClassArgs): ResolvedEfsArgs {
    return {
        accessPoint: {
            basePath: args.basePath,
            directoryPerms: args.directoryPerms ?? "700",
            ensureUniqueDirectory: args.ensureUniqueDirectory,
            gid: args.gid,
            gidRangeEnd: args.gidRangeEnd,
            gidRangeStart: args.gidRangeStart,
            reuseAccessPoint: args.reuseAccessPoint,
            subPathPattern: args.subPathPattern,
            uid: args.uid,
        },
        deleteWithStack: args.deleteWithStack ?? false,
        fileSystem: args.fileSystem ? resolveEfsFileSystem(args.fileSystem) : undefined,
        fileSystemId: args.fileSystemId,
        isDefault: args.isDefault ?? false,
        reclaimPolicy: args.reclaimPolicy ?? "Retain",
        storageClassName: args.storageClassName ?? name,
        volumeBindingMode: args.volumeBindingMode ?? "Immediate",
    };
}

/** The StorageClass name the component renders: explicit, else the component name. */
export function efsStorageClassName(name: string, args: EfsStorageClassArgs): string {
    return resolveEfsArgs(name, args).storageClassName;
}

function parametersOf(resolved: ResolvedEfsArgs, fileSystemId: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    const params: Record<string, pulumi.Input<string>> = { fileSystemId, provisioningMode: "efs-ap" };
    for (const [key, value] of Object.entries(resolved.accessPoint)) {
        if (value !== undefined) {
            params[key] = String(value);
        }
    }
    return sortKeys(params);
}

/** The StorageClass parameters for valid arguments (all strings, keys sorted). */
export function efsParameters(args: EfsStorageClassArgs, fileSystemId: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    // The component name only names objects; it never reaches the parameters.
    return parametersOf(resolveEfsArgs("", args), fileSystemId);
}

function storageClassOf(resolved: ResolvedEfsArgs, fileSystemId: pulumi.Input<string>): StorageClassObject<pulumi.Input<string>> {
    return {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: storageClassMetadata(resolved.storageClassName, resolved.isDefault),
        provisioner: EFS_PROVISIONER,
        parameters: parametersOf(resolved, fileSystemId),
        reclaimPolicy: resolved.reclaimPolicy,
        volumeBindingMode: resolved.volumeBindingMode,
    };
}

/** The StorageClass object for valid arguments (exactly what is sent to the API server). */
export function buildEfsStorageClass(name: string, args: EfsStorageClassArgs, fileSystemId: pulumi.Input<string>): StorageClassObject<pulumi.Input<string>> {
    return storageClassOf(resolveEfsArgs(name, args), fileSystemId);
}

function fileSystemArgsOf(name: string, fs: ResolvedEfsFileSystem): aws.efs.FileSystemArgs {
    const lifecyclePolicies = [
        ...(fs.transitionToIa ? [{ transitionToIa: fs.transitionToIa }] : []),
        ...(fs.transitionToArchive ? [{ transitionToArchive: fs.transitionToArchive }] : []),
    ];
    return {
        encrypted: fs.encrypted,
        ...(fs.kmsKeyArn !== undefined ? { kmsKeyId: fs.kmsKeyArn } : {}),
        ...(lifecyclePolicies.length > 0 ? { lifecyclePolicies } : {}),
        performanceMode: fs.performanceMode,
        ...(fs.provisionedThroughputMibps !== undefined ? { provisionedThroughputInMibps: fs.provisionedThroughputMibps } : {}),
        tags: { Name: name },
        throughputMode: fs.throughputMode,
    };
}

/** The file system's arguments: encrypted, elastic, generalPurpose unless told otherwise. */
export function buildEfsFileSystemArgs(name: string, fs: EfsFileSystemArgs): aws.efs.FileSystemArgs {
    return fileSystemArgsOf(name, resolveEfsFileSystem(fs));
}

function securityGroupArgsOf(name: string, fs: ResolvedEfsFileSystem): aws.ec2.SecurityGroupArgs {
    const ipv4 = fs.allowedCidrBlocks.filter((c) => !c.includes(":"));
    const ipv6 = fs.allowedCidrBlocks.filter((c) => c.includes(":"));
    const groups = [...fs.allowedSecurityGroupIds];
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
 * The security group's arguments: one ingress rule, TCP 2049 from the named sources,
 * and no egress rules (responses to NFS clients need none; the group is stateful).
 */
export function buildEfsSecurityGroupArgs(name: string, fs: EfsFileSystemArgs): aws.ec2.SecurityGroupArgs {
    return securityGroupArgsOf(name, resolveEfsFileSystem(fs));
}

/**
 * The resource name of the mount target in a subnet: named after the subnet id when it
 * is known, so reordering `subnetIds` replaces nothing; by position otherwise.
 */
export function efsMountTargetName(name: string, subnetId: pulumi.Input<string>, index: number): string {
    return typeof subnetId === "string" ? `${name}-mount-${subnetId}` : `${name}-mount-${index}`;
}

/**
 * The {@link StorageClassFacts} of an EFS class: a file system mounts ReadWriteMany, and
 * claims cannot grow (the class does not set `allowVolumeExpansion`; EFS has no size).
 */
export function efsStorageFacts(resolved: ResolvedEfsArgs): StorageClassFacts {
    return { accessModes: FILE_ACCESS_MODES, allowVolumeExpansion: false, name: resolved.storageClassName, provisioner: EFS_PROVISIONER };
}

/** What an {@link EfsStorageClass} creates beside the StorageClass when it makes the file system. */
export interface EfsFileSystemRender {
    readonly fileSystem: aws.efs.FileSystemArgs;
    readonly securityGroup: aws.ec2.SecurityGroupArgs;
    /** One mount target per subnet: its resource name and subnet. */
    readonly mountTargets: readonly { readonly name: string; readonly subnetId: pulumi.Input<string> }[];
    readonly backupStatus: "ENABLED" | "DISABLED";
}

/** Everything an {@link EfsStorageClass} registers, rendered from valid arguments. */
export interface EfsStorageClassRender {
    readonly resolved: ResolvedEfsArgs;
    readonly storageFacts: StorageClassFacts;
    /** With `fileSystem`: the file system, its network and backup policy. */
    readonly fileSystem?: EfsFileSystemRender;
    /** The StorageClass, given the id of the file system (created or named). */
    readonly storageClass: (fileSystemId: pulumi.Input<string>) => StorageClassObject<pulumi.Input<string>>;
}

/** Renders an {@link EfsStorageClass} named `name` from valid arguments. */
export function renderEfsStorageClass(name: string, args: EfsStorageClassArgs): EfsStorageClassRender {
    const resolved = resolveEfsArgs(name, args);
    const fs = resolved.fileSystem;
    return {
        fileSystem: fs && {
            backupStatus: fs.backups ? "ENABLED" : "DISABLED",
            fileSystem: fileSystemArgsOf(name, fs),
            mountTargets: fs.subnetIds.map((subnetId, i) => ({ name: efsMountTargetName(name, subnetId, i), subnetId })),
            securityGroup: securityGroupArgsOf(name, fs),
        },
        resolved,
        storageClass: (fileSystemId) => storageClassOf(resolved, fileSystemId),
        storageFacts: efsStorageFacts(resolved),
    };
}
