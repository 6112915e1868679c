import * as pulumi from "@pulumi/pulumi";

/**
 * What a workload needs to know about the StorageClass of a volume to check a claim at
 * construction: plain values, known before anything is registered. `EbsStorageClass` and
 * `EfsStorageClass` provide them; a program (or another Pulumi language) that refers to a
 * class by name can give the same facts as a plain object.
 */
export interface StorageClassFacts {
    /** The StorageClass's name, explicit and stable. */
    readonly name: string;
    /** The CSI driver that provisions its volumes, e.g. `ebs.csi.aws.com`. */
    readonly provisioner: string;
    /** True when its claims may grow (`allowVolumeExpansion`). */
    readonly allowVolumeExpansion: boolean;
    /**
     * The access modes its volumes support: block volumes attach to one node
     * (`ReadWriteOnce`, `ReadWriteOncePod`); file systems also mount on many.
     */
    readonly accessModes: readonly ("ReadWriteOnce" | "ReadWriteOncePod" | "ReadOnlyMany" | "ReadWriteMany")[];
    /** For an EBS class: the volume type and its provisioned performance. */
    readonly ebs?: {
        readonly volumeType: "gp2" | "gp3" | "io1" | "io2" | "st1" | "sc1";
        readonly iops?: number;
        readonly iopsPerGb?: number;
        readonly throughputMibps?: number;
        readonly allowAutoIopsPerGbIncrease?: boolean;
    };
}

/**
 * A storage class component as a workload sees it: the facts to check claims against,
 * the name to put into them, and the resource to wait for. Workloads depend on this
 * interface, not on the concrete classes, so a created and an imported class look alike.
 */
export interface StorageClassReference {
    /** The facts the workload's validation reads. */
    readonly storageFacts: StorageClassFacts;
    /** The class name as an Output (it carries the dependency on the StorageClass object). */
    readonly storageClassName: pulumi.Output<string>;
    /** The StorageClass object itself: claims wait until it exists. */
    readonly storageClass: pulumi.Resource;
}

/** True for a value that implements {@link StorageClassReference}. */
export function isStorageClassReference(value: unknown): value is StorageClassReference {
    if (value === null || typeof value !== "object") {
        return false;
    }
    const facts = (value as { storageFacts?: unknown }).storageFacts;
    return (
        facts !== null &&
        typeof facts === "object" &&
        typeof (facts as StorageClassFacts).name === "string" &&
        typeof (facts as StorageClassFacts).provisioner === "string" &&
        pulumi.Resource.isInstance((value as { storageClass?: unknown }).storageClass)
    );
}
