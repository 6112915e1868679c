/**
 * The package as a Pulumi component provider (PulumiPlugin.yaml, `runtime: nodejs`), for
 * programs in YAML, Python, Go and the other languages: `pulumi package add <this repo>`.
 * The component provider host of @pulumi/pulumi loads this module (package.json `main`)
 * and infers the schema from these classes' args. Each class validates its args with the
 * library's own validator and builds the library component of the same name as its child.
 * TypeScript programs use the library barrel (`require("stateful-stacks")`), not this.
 */
export { EbsStorageClass } from "./ebs-storage-class";
export { EfsStorageClass } from "./efs-storage-class";
export { ExternalStore } from "./external-store";
export { NodeLocalStore } from "./node-local-store";
export { ReplicatedCache } from "./replicated-cache";
export { StatefulWorkload } from "./stateful-workload";
export {
    AccessMode,
    CacheEngine,
    EbsFsType,
    EbsVolumeType,
    ExternalStoreEngine,
    PodManagementPolicy,
    PortProtocol,
    ReclaimPolicy,
    VolumeBindingMode,
} from "./enums";
export type { EbsKmsKeyOptions, EbsSnapshotClassOptions, EbsStorageClassArgs } from "./ebs-storage-class";
export type { EfsStorageClassArgs } from "./efs-storage-class";
export type { ExistingSecretKeys, ExternalStoreArgs } from "./external-store";
export type { NodeLocalStoreArgs } from "./node-local-store";
export type { ReplicatedCacheArgs } from "./replicated-cache";
export type { StatefulWorkloadArgs, WorkloadPort, WorkloadVolume } from "./stateful-workload";
