import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { sortKeys } from "../common/kubernetes";
import { isKnown } from "../common/validation";
import { EBS_PROVISIONER, EBS_ZONE_TOPOLOGY_KEY, EbsStorageClassArgs } from "./ebs-storage-class-args";
import { ReclaimPolicy, STORAGE_LABELS, storageClassMetadata, StorageClassObject } from "./storage-class";

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

