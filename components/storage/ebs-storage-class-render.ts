import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { sortKeys } from "../common/kubernetes";
import { StorageClassFacts } from "../common/storage-class-ref";
import { isKnown } from "../common/validation";
import { EbsVolumeType } from "./ebs-limits";
import { EBS_PROVISIONER, EBS_ZONE_TOPOLOGY_KEY, EbsFsType, EbsStorageClassArgs } from "./ebs-storage-class-args";
import { BLOCK_ACCESS_MODES, ReclaimPolicy, STORAGE_LABELS, storageClassMetadata, StorageClassObject, VolumeBindingMode } from "./storage-class";

/**
 * The pure render step of {@link EbsStorageClass}: valid arguments in, every default
 * applied once ({@link resolveEbsArgs}), the objects to register out. Nothing here
 * registers a resource.
 */

/** Valid {@link EbsStorageClassArgs} with every default applied. */
export interface ResolvedEbsArgs {
    readonly storageClassName: string;
    readonly volumeType: EbsVolumeType;
    readonly fsType: EbsFsType;
    readonly encrypted: boolean;
    readonly iops?: pulumi.Input<number>;
    readonly iopsPerGb?: pulumi.Input<number>;
    readonly allowAutoIopsPerGbIncrease?: boolean;
    readonly throughputMibps?: pulumi.Input<number>;
    /** An existing key to encrypt with (`kmsKeyArn`). */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** The key to create (`createKmsKey`). */
    readonly createKmsKey?: { readonly description: string; readonly deletionWindowInDays: number };
    readonly reclaimPolicy: ReclaimPolicy;
    readonly allowVolumeExpansion: boolean;
    readonly volumeBindingMode: VolumeBindingMode;
    /** Sorted; undefined for every zone. */
    readonly zones?: readonly string[];
    readonly tags: Readonly<Record<string, string>>;
    readonly isDefault: boolean;
    /** The VolumeSnapshotClass (`snapshots`). */
    readonly snapshots?: { readonly name: string; readonly deletionPolicy: ReclaimPolicy };
    readonly deleteWithStack: boolean;
}

/** Applies every default of {@link EbsStorageClassArgs}, once. The arguments must be valid. */
export function resolveEbsArgs(name: string, args: EbsStorageClassArgs): ResolvedEbsArgs {
    const storageClassName = args.storageClassName ?? name;
    const keyOptions = typeof args.createKmsKey === "object" ? args.createKmsKey : {};
    const snapshotOptions = typeof args.snapshots === "object" ? args.snapshots : {};
    return {
        allowAutoIopsPerGbIncrease: args.allowAutoIopsPerGbIncrease,
        allowVolumeExpansion: args.allowVolumeExpansion ?? true,
        createKmsKey: args.createKmsKey
            ? {
                  deletionWindowInDays: keyOptions.deletionWindowInDays ?? 30,
                  description: keyOptions.description ?? `Encrypts EBS volumes of StorageClass ${storageClassName}`,
              }
            : undefined,
        deleteWithStack: args.deleteWithStack ?? false,
        encrypted: args.encrypted ?? true,
        fsType: args.fsType ?? "ext4",
        iops: args.iops,
        iopsPerGb: args.iopsPerGb,
        isDefault: args.isDefault ?? false,
        kmsKeyArn: args.kmsKeyArn,
        reclaimPolicy: args.reclaimPolicy ?? "Retain",
        snapshots: args.snapshots
            ? { deletionPolicy: snapshotOptions.deletionPolicy ?? "Retain", name: snapshotOptions.name ?? `${storageClassName}-snapshots` }
            : undefined,
        storageClassName,
        tags: args.tags ?? {},
        throughputMibps: args.throughputMibps,
        volumeBindingMode: args.volumeBindingMode ?? "WaitForFirstConsumer",
        volumeType: args.volumeType ?? "gp3",
        zones: args.zones ? [...args.zones].sort() : undefined,
    };
}

/** The StorageClass name the component renders: explicit, else the component name. */
export function ebsStorageClassName(name: string, args: EbsStorageClassArgs): string {
    return resolveEbsArgs(name, args).storageClassName;
}

/** The VolumeSnapshotClass name the component renders when snapshots are on. */
export function ebsSnapshotClassName(name: string, args: EbsStorageClassArgs): string | undefined {
    return resolveEbsArgs(name, args).snapshots?.name;
}

/** A StorageClass parameter: every value is a string (the API refuses numbers). */
function parameter(value: pulumi.Input<number | string | boolean>): pulumi.Input<string> {
    return isKnown(value) ? String(value) : pulumi.output(value).apply((v) => String(v));
}

/** Tags as the driver reads them: `tagSpecification_N` = "key=value", sorted by key, N from 1. */
export function ebsTagParameters(tags: Readonly<Record<string, string>> | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    Object.keys(tags ?? {})
        .sort()
        .forEach((key, i) => {
            out[`tagSpecification_${i + 1}`] = `${key}=${tags![key]}`;
        });
    return out;
}

function parametersOf(resolved: ResolvedEbsArgs, kmsKeyArn: pulumi.Input<string> | undefined): Record<string, pulumi.Input<string>> {
    const params: Record<string, pulumi.Input<string>> = {
        "csi.storage.k8s.io/fstype": resolved.fsType,
        encrypted: String(resolved.encrypted),
        type: resolved.volumeType,
        ...ebsTagParameters(resolved.tags),
    };
    if (resolved.iops !== undefined) {
        params.iops = parameter(resolved.iops);
    }
    if (resolved.iopsPerGb !== undefined) {
        params.iopsPerGB = parameter(resolved.iopsPerGb);
    }
    if (resolved.allowAutoIopsPerGbIncrease !== undefined) {
        params.allowAutoIOPSPerGBIncrease = String(resolved.allowAutoIopsPerGbIncrease);
    }
    if (resolved.throughputMibps !== undefined) {
        params.throughput = parameter(resolved.throughputMibps);
    }
    const key = kmsKeyArn ?? resolved.kmsKeyArn;
    if (key !== undefined && resolved.encrypted) {
        params.kmsKeyId = key;
    }
    return sortKeys(params);
}

/**
 * The StorageClass parameters for valid arguments, keys sorted; `kmsKeyArn` is the key
 * to encrypt with (the created key's ARN, or `args.kmsKeyArn`).
 */
export function ebsParameters(args: EbsStorageClassArgs, kmsKeyArn?: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    // The component name only names objects; it never reaches the parameters.
    return parametersOf(resolveEbsArgs("", args), kmsKeyArn);
}

function storageClassOf(resolved: ResolvedEbsArgs, kmsKeyArn: pulumi.Input<string> | undefined): StorageClassObject<pulumi.Input<string>> {
    return {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: storageClassMetadata(resolved.storageClassName, resolved.isDefault),
        provisioner: EBS_PROVISIONER,
        parameters: parametersOf(resolved, kmsKeyArn),
        reclaimPolicy: resolved.reclaimPolicy,
        allowVolumeExpansion: resolved.allowVolumeExpansion,
        volumeBindingMode: resolved.volumeBindingMode,
        ...(resolved.zones ? { allowedTopologies: [{ matchLabelExpressions: [{ key: EBS_ZONE_TOPOLOGY_KEY, values: [...resolved.zones] }] }] } : {}),
    };
}

/** The StorageClass object for valid arguments (exactly what is sent to the API server). */
export function buildEbsStorageClass(name: string, args: EbsStorageClassArgs, kmsKeyArn?: pulumi.Input<string>): StorageClassObject<pulumi.Input<string>> {
    return storageClassOf(resolveEbsArgs(name, args), kmsKeyArn);
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

function snapshotClassOf(resolved: ResolvedEbsArgs): VolumeSnapshotClassObject | undefined {
    if (resolved.snapshots === undefined) {
        return undefined;
    }
    const tags = ebsTagParameters(resolved.tags);
    return {
        apiVersion: "snapshot.storage.k8s.io/v1",
        kind: "VolumeSnapshotClass",
        metadata: { name: resolved.snapshots.name, labels: { ...STORAGE_LABELS } },
        driver: EBS_PROVISIONER,
        deletionPolicy: resolved.snapshots.deletionPolicy,
        ...(Object.keys(tags).length > 0 ? { parameters: tags } : {}),
    };
}

/** The VolumeSnapshotClass for valid arguments with snapshots on; snapshots carry the volume tags. */
export function buildEbsSnapshotClass(name: string, args: EbsStorageClassArgs): VolumeSnapshotClassObject | undefined {
    return snapshotClassOf(resolveEbsArgs(name, args));
}

function kmsKeyArgsOf(resolved: ResolvedEbsArgs): aws.kms.KeyArgs | undefined {
    if (resolved.createKmsKey === undefined) {
        return undefined;
    }
    return { deletionWindowInDays: resolved.createKmsKey.deletionWindowInDays, description: resolved.createKmsKey.description, enableKeyRotation: true };
}

/** The arguments of the KMS key created when `createKmsKey` is set. */
export function buildEbsKmsKeyArgs(name: string, args: EbsStorageClassArgs): aws.kms.KeyArgs | undefined {
    return kmsKeyArgsOf(resolveEbsArgs(name, args));
}

/**
 * The {@link StorageClassFacts} a workload checks its claims against: plain values known
 * at construction. Provisioned performance given as an Output is left out (unknown yet).
 */
export function ebsStorageFacts(resolved: ResolvedEbsArgs): StorageClassFacts {
    const plain = (value: pulumi.Input<number> | undefined) => (isKnown(value) ? value : undefined);
    const ebs: NonNullable<StorageClassFacts["ebs"]> = {
        volumeType: resolved.volumeType,
        ...(plain(resolved.iops) !== undefined ? { iops: plain(resolved.iops) } : {}),
        ...(plain(resolved.iopsPerGb) !== undefined ? { iopsPerGb: plain(resolved.iopsPerGb) } : {}),
        ...(plain(resolved.throughputMibps) !== undefined ? { throughputMibps: plain(resolved.throughputMibps) } : {}),
        ...(resolved.allowAutoIopsPerGbIncrease !== undefined ? { allowAutoIopsPerGbIncrease: resolved.allowAutoIopsPerGbIncrease } : {}),
    };
    return {
        accessModes: BLOCK_ACCESS_MODES,
        allowVolumeExpansion: resolved.allowVolumeExpansion,
        ebs,
        name: resolved.storageClassName,
        provisioner: EBS_PROVISIONER,
    };
}

/** Everything an {@link EbsStorageClass} registers, rendered from valid arguments. */
export interface EbsStorageClassRender {
    readonly resolved: ResolvedEbsArgs;
    readonly storageFacts: StorageClassFacts;
    /** The KMS key's arguments (with `createKmsKey`). */
    readonly kmsKey?: aws.kms.KeyArgs;
    /** The StorageClass, given the ARN of the key to encrypt with (created or named). */
    readonly storageClass: (kmsKeyArn: pulumi.Input<string> | undefined) => StorageClassObject<pulumi.Input<string>>;
    /** The VolumeSnapshotClass (with `snapshots`). */
    readonly snapshotClass?: VolumeSnapshotClassObject;
}

/** Renders an {@link EbsStorageClass} named `name` from valid arguments. */
export function renderEbsStorageClass(name: string, args: EbsStorageClassArgs): EbsStorageClassRender {
    const resolved = resolveEbsArgs(name, args);
    return {
        kmsKey: kmsKeyArgsOf(resolved),
        resolved,
        snapshotClass: snapshotClassOf(resolved),
        storageClass: (kmsKeyArn) => storageClassOf(resolved, kmsKeyArn),
        storageFacts: ebsStorageFacts(resolved),
    };
}
