import * as pulumi from "@pulumi/pulumi";

/**
 * What a workload needs to know about a VolumeAttributesClass (`storage.k8s.io/v1`,
 * Kubernetes ≥ 1.34) to put it on its claims: plain values, known at construction.
 * A VolumeAttributesClass is immutable, so its name is derived from its parameters: a
 * retune is a new class and the claims move to it in place (the CSI driver modifies the
 * volume), nothing holding data is replaced.
 */
export interface VolumeAttributesClassFacts {
    /** The VolumeAttributesClass's name. */
    readonly name: string;
    /** The CSI driver that applies it, e.g. `ebs.csi.aws.com`; must match the claim's StorageClass. */
    readonly driverName: string;
    /** Its parameters, exactly as rendered (driver specific, e.g. `type`, `iops`, `throughput`). */
    readonly parameters: Readonly<Record<string, string>>;
}

/**
 * A VolumeAttributesClass as a workload sees it: the facts to check claims against, the
 * name to put into them, and the resource to wait for (claims move to it only after it exists).
 */
export interface VolumeAttributesClassReference {
    /** The facts the workload's validation reads. */
    readonly volumeAttributesFacts: VolumeAttributesClassFacts;
    /** The class name as an Output (it carries the dependency on the object). */
    readonly volumeAttributesClassName: pulumi.Output<string>;
    /** The VolumeAttributesClass object itself. */
    readonly volumeAttributesClass: pulumi.Resource;
}

/** True for a value that implements {@link VolumeAttributesClassReference}. */
export function isVolumeAttributesClassReference(value: unknown): value is VolumeAttributesClassReference {
    if (value === null || typeof value !== "object") {
        return false;
    }
    const facts = (value as { volumeAttributesFacts?: unknown }).volumeAttributesFacts;
    return (
        facts !== null &&
        typeof facts === "object" &&
        typeof (facts as VolumeAttributesClassFacts).name === "string" &&
        typeof (facts as VolumeAttributesClassFacts).driverName === "string" &&
        pulumi.Resource.isInstance((value as { volumeAttributesClass?: unknown }).volumeAttributesClass)
    );
}
