/**
 * Current Amazon EBS limits per volume type, from the EC2 API reference (CreateVolume)
 * and the EBS volume types page. One table, used by the StorageClass validator and by
 * the workload's cross-check of claim sizes against the class.
 */

/** The EBS volume types the EBS CSI driver provisions. */
export type EbsVolumeType = "gp3" | "gp2" | "io1" | "io2" | "st1" | "sc1";

/** Every EBS volume type, in the order they are documented. */
export const EBS_VOLUME_TYPES: readonly EbsVolumeType[] = ["gp3", "gp2", "io1", "io2", "st1", "sc1"];

export interface Range {
    readonly min: number;
    readonly max: number;
}

export interface EbsVolumeLimits {
    /** Volume size in GiB. */
    readonly sizeGib: Range;
    /** Provisioned IOPS, when the type takes them. */
    readonly iops?: Range;
    /** Whether `iops` must be given (io1/io2) rather than merely allowed (gp3). */
    readonly iopsRequired: boolean;
    /** Highest ratio of provisioned IOPS to size in GiB. */
    readonly maxIopsPerGib?: number;
    /** Throughput in MiB/s, when the type takes it (gp3 only). */
    readonly throughputMibps?: Range;
    /** Highest throughput per provisioned IOPS, in MiB/s (gp3: 0.25). */
    readonly maxThroughputPerIops?: number;
}

export const EBS_LIMITS: Readonly<Record<EbsVolumeType, EbsVolumeLimits>> = {
    gp3: {
        sizeGib: { min: 1, max: 65536 },
        iops: { min: 3000, max: 80000 },
        iopsRequired: false,
        maxIopsPerGib: 500,
        throughputMibps: { min: 125, max: 2000 },
        maxThroughputPerIops: 0.25,
    },
    gp2: { sizeGib: { min: 1, max: 16384 }, iopsRequired: false },
    io1: { sizeGib: { min: 4, max: 16384 }, iops: { min: 100, max: 64000 }, iopsRequired: true, maxIopsPerGib: 50 },
    io2: { sizeGib: { min: 4, max: 65536 }, iops: { min: 100, max: 256000 }, iopsRequired: true, maxIopsPerGib: 1000 },
    st1: { sizeGib: { min: 125, max: 16384 }, iopsRequired: false },
    sc1: { sizeGib: { min: 125, max: 16384 }, iopsRequired: false },
};
