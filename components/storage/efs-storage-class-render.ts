import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { sortKeys } from "../common/kubernetes";
import { EFS_PROVISIONER, EfsFileSystemArgs, EfsStorageClassArgs, NFS_PORT } from "./efs-storage-class-args";
import { storageClassMetadata, StorageClassObject } from "./storage-class";


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

