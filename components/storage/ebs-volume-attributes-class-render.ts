import * as crypto from "crypto";
import { sortKeys } from "../common/kubernetes";
import { VolumeAttributesClassFacts } from "../common/volume-attributes-ref";
import { EbsVolumeType } from "./ebs-limits";
import { EBS_PROVISIONER } from "./ebs-storage-class-args";
import { ebsTagParameters } from "./ebs-storage-class-render";
import { EbsVolumeAttributesClassArgs } from "./ebs-volume-attributes-class-args";
import { STORAGE_LABELS } from "./storage-class";

/**
 * The pure render step of {@link EbsVolumeAttributesClass}: valid arguments in, every
 * default applied once ({@link resolveEbsVolumeAttributesArgs}), the object to register out.
 */

/** A `storage.k8s.io/v1` VolumeAttributesClass as rendered. */
export interface VolumeAttributesClassObject {
    readonly apiVersion: "storage.k8s.io/v1";
    readonly kind: "VolumeAttributesClass";
    readonly metadata: { readonly name: string; readonly labels: Record<string, string> };
    readonly driverName: string;
    readonly parameters: Record<string, string>;
}

/** Valid {@link EbsVolumeAttributesClassArgs} with every default applied. */
export interface ResolvedEbsVolumeAttributesArgs {
    readonly namePrefix: string;
    readonly volumeType: EbsVolumeType;
    readonly iops?: number;
    readonly throughputMibps?: number;
    readonly tags: Readonly<Record<string, string>>;
}

/** Applies every default of {@link EbsVolumeAttributesClassArgs}, once. The arguments must be valid. */
export function resolveEbsVolumeAttributesArgs(name: string, args: EbsVolumeAttributesClassArgs): ResolvedEbsVolumeAttributesArgs {
    return {
        iops: args.iops,
        namePrefix: args.namePrefix ?? name,
        tags: args.tags ?? {},
        throughputMibps: args.throughputMibps,
        volumeType: args.volumeType ?? "gp3",
    };
}

/** Hex digits of the tag hash in a class name. */
const TAG_HASH_LENGTH = 8;

/**
 * The part of the class's name derived from its parameters, e.g. `gp3-6000iops-250mibps`
 * or `io2-16000iops-tags-1a2b3c4d`: equal parameters give equal names, different ones
 * different names (the tags by a SHA-256 prefix of their rendered parameters).
 */
export function ebsVolumeAttributesSuffix(resolved: Omit<ResolvedEbsVolumeAttributesArgs, "namePrefix">): string {
    const parts: string[] = [resolved.volumeType];
    if (resolved.iops !== undefined) {
        parts.push(`${resolved.iops}iops`);
    }
    if (resolved.throughputMibps !== undefined) {
        parts.push(`${resolved.throughputMibps}mibps`);
    }
    const tags = ebsTagParameters(resolved.tags);
    if (Object.keys(tags).length > 0) {
        const digest = crypto.createHash("sha256").update(JSON.stringify(sortKeys(tags))).digest("hex");
        parts.push("tags", digest.slice(0, TAG_HASH_LENGTH));
    }
    return parts.join("-");
}

/** The longest suffix {@link ebsVolumeAttributesSuffix} can make: what a name prefix must leave room for. */
export function maxEbsVolumeAttributesSuffixLength(): number {
    // io2 with the longest IOPS (6 digits); throughput is gp3 only, so never beside io2's IOPS.
    const longest = ["io2-256000iops", "gp3-80000iops-2000mibps"].map((s) => s.length);
    return Math.max(...longest) + `-tags-${"0".repeat(TAG_HASH_LENGTH)}`.length;
}

/** The VolumeAttributesClass name the component renders for valid arguments. */
export function ebsVolumeAttributesClassName(name: string, args: EbsVolumeAttributesClassArgs): string {
    const resolved = resolveEbsVolumeAttributesArgs(name, args);
    return `${resolved.namePrefix}-${ebsVolumeAttributesSuffix(resolved)}`;
}

/** The class's parameters as the EBS CSI driver reads them, keys sorted; every value a string. */
export function ebsVolumeAttributesParameters(args: EbsVolumeAttributesClassArgs): Record<string, string> {
    const resolved = resolveEbsVolumeAttributesArgs("", args);
    const params: Record<string, string> = { type: resolved.volumeType, ...ebsTagParameters(resolved.tags) };
    if (resolved.iops !== undefined) {
        params.iops = String(resolved.iops);
    }
    if (resolved.throughputMibps !== undefined) {
        params.throughput = String(resolved.throughputMibps);
    }
    return sortKeys(params);
}

/** The VolumeAttributesClass object for valid arguments (exactly what is sent to the API server). */
export function buildEbsVolumeAttributesClass(name: string, args: EbsVolumeAttributesClassArgs): VolumeAttributesClassObject {
    return {
        apiVersion: "storage.k8s.io/v1",
        kind: "VolumeAttributesClass",
        metadata: { name: ebsVolumeAttributesClassName(name, args), labels: { ...STORAGE_LABELS } },
        driverName: EBS_PROVISIONER,
        parameters: ebsVolumeAttributesParameters(args),
    };
}

/** Everything an {@link EbsVolumeAttributesClass} registers, rendered from valid arguments. */
export interface EbsVolumeAttributesClassRender {
    readonly resolved: ResolvedEbsVolumeAttributesArgs;
    /** The Pulumi name of the VolumeAttributesClass child: `<component name>-<suffix>`. */
    readonly childName: string;
    readonly volumeAttributesClass: VolumeAttributesClassObject;
    readonly facts: VolumeAttributesClassFacts;
}

/** Renders an {@link EbsVolumeAttributesClass} named `name` from valid arguments. */
export function renderEbsVolumeAttributesClass(name: string, args: EbsVolumeAttributesClassArgs): EbsVolumeAttributesClassRender {
    const resolved = resolveEbsVolumeAttributesArgs(name, args);
    const object = buildEbsVolumeAttributesClass(name, args);
    return {
        childName: `${name}-${ebsVolumeAttributesSuffix(resolved)}`,
        facts: { driverName: object.driverName, name: object.metadata.name, parameters: { ...object.parameters } },
        resolved,
        volumeAttributesClass: object,
    };
}
