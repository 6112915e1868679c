/**
 * The named string enums of the provider-facing args (components/provider/): the same
 * values as the library's string-literal types, spelled as `const` objects so that
 * Pulumi's schema inference turns each into a schema enum.
 */

/** The EBS volume types. */
export const EbsVolumeType = { Gp3: "gp3", Gp2: "gp2", Io1: "io1", Io2: "io2", St1: "st1", Sc1: "sc1" } as const;
/** One of {@link EbsVolumeType}. */
export type EbsVolumeType = (typeof EbsVolumeType)[keyof typeof EbsVolumeType];

/** File systems the EBS driver formats a new volume with. */
export const EbsFsType = { Ext4: "ext4", Xfs: "xfs" } as const;
/** One of {@link EbsFsType}. */
export type EbsFsType = (typeof EbsFsType)[keyof typeof EbsFsType];

/** What happens to a volume (or snapshot) when its claim (or VolumeSnapshot) is deleted. */
export const ReclaimPolicy = { Retain: "Retain", Delete: "Delete" } as const;
/** One of {@link ReclaimPolicy}. */
export type ReclaimPolicy = (typeof ReclaimPolicy)[keyof typeof ReclaimPolicy];

/** When a volume is created: when its pod is scheduled, or at once. */
export const VolumeBindingMode = { WaitForFirstConsumer: "WaitForFirstConsumer", Immediate: "Immediate" } as const;
/** One of {@link VolumeBindingMode}. */
export type VolumeBindingMode = (typeof VolumeBindingMode)[keyof typeof VolumeBindingMode];

/** The access modes a claim can ask for. */
export const AccessMode = {
    ReadWriteOnce: "ReadWriteOnce",
    ReadWriteOncePod: "ReadWriteOncePod",
    ReadOnlyMany: "ReadOnlyMany",
    ReadWriteMany: "ReadWriteMany",
} as const;
/** One of {@link AccessMode}. */
export type AccessMode = (typeof AccessMode)[keyof typeof AccessMode];

/** Port protocols. */
export const PortProtocol = { TCP: "TCP", UDP: "UDP", SCTP: "SCTP" } as const;
/** One of {@link PortProtocol}. */
export type PortProtocol = (typeof PortProtocol)[keyof typeof PortProtocol];

/** How a StatefulSet starts and stops its pods. */
export const PodManagementPolicy = { OrderedReady: "OrderedReady", Parallel: "Parallel" } as const;
/** One of {@link PodManagementPolicy}. */
export type PodManagementPolicy = (typeof PodManagementPolicy)[keyof typeof PodManagementPolicy];

/** The engines an ExternalStore describes. */
export const ExternalStoreEngine = {
    Postgresql: "postgresql",
    Mysql: "mysql",
    Mariadb: "mariadb",
    Sqlserver: "sqlserver",
    Oracle: "oracle",
    Mongodb: "mongodb",
    Redis: "redis",
    Cassandra: "cassandra",
    Other: "other",
} as const;
/** One of {@link ExternalStoreEngine}. */
export type ExternalStoreEngine = (typeof ExternalStoreEngine)[keyof typeof ExternalStoreEngine];

/** The engines a ReplicatedCache runs. */
export const CacheEngine = { Memcached: "memcached", Redis: "redis" } as const;
/** One of {@link CacheEngine}. */
export type CacheEngine = (typeof CacheEngine)[keyof typeof CacheEngine];
