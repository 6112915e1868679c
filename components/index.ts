/**
 * stateful-stacks: Pulumi components for stateful workloads on Kubernetes (EKS first).
 *
 * This module is the package's only entry point (`import { … } from "stateful-stacks"`).
 * It exports the six components, their argument types (and every type those arguments
 * refer to), and a small set of helpers for programs that build their own Kubernetes
 * objects next to the components. Everything else under `components/` is internal and
 * may change in any release; see CHANGELOG.md for what counts as a breaking change.
 *
 * @packageDocumentation
 */

// Storage: StorageClasses on the EBS and EFS CSI drivers.
export { EbsStorageClass } from "./storage/ebs-storage-class";
export type { EbsFsType, EbsKmsKeyArgs, EbsSnapshotClassArgs, EbsStorageClassArgs } from "./storage/ebs-storage-class";
export type { ReclaimPolicy, VolumeBindingMode } from "./storage/storage-class";
export { EBS_LIMITS } from "./storage/ebs-limits";
export type { EbsVolumeLimits, EbsVolumeType, Range } from "./storage/ebs-limits";
export { EfsStorageClass } from "./storage/efs-storage-class";
export type { EfsFileSystemArgs, EfsPerformanceMode, EfsStorageClassArgs, EfsThroughputMode, EfsTransition } from "./storage/efs-storage-class";
export type { StorageClassFacts, StorageClassReference } from "./common/storage-class-ref";
// Retuning existing EBS volumes in place (Kubernetes ≥ 1.34).
export { EbsVolumeAttributesClass } from "./storage/ebs-volume-attributes-class";
export type { EbsVolumeAttributesClassArgs } from "./storage/ebs-volume-attributes-class";
export type { VolumeAttributesClassFacts, VolumeAttributesClassReference } from "./common/volume-attributes-ref";

// Workloads: a StatefulSet with per-replica volumes, a replicated cache, a node-local store.
export { StatefulWorkload } from "./workload/stateful-workload";
export type {
    AccessMode,
    ConfigMapKeyEnv,
    OrdinalArgs,
    SecretKeyEnv,
    StatefulWorkloadArgs,
    WorkloadDisruptionBudget,
    WorkloadInitContainer,
    WorkloadPort,
    WorkloadSecurityArgs,
    WorkloadUpdateStrategy,
    WorkloadVolume,
    UncheckedStorageClass,
} from "./workload/stateful-workload-args";
export { DEFAULT_REPLICAS, MAX_REPLICAS } from "./workload/stateful-workload-args";
export type { PodArgs } from "./workload/pod-args";
export type { VolumeSnapshotClassSource, WorkloadSnapshots } from "./workload/snapshot-schedule";
export type { WorkloadRestore } from "./workload/restore";
export type { SnapshotSchedule } from "./workload/snapshot-children";
export { claimNames, podDnsNames, statefulWorkloadNames } from "./workload/stateful-workload-spec";
export type { StatefulWorkloadNames } from "./workload/stateful-workload-spec";
export { ReplicatedCache } from "./workload/replicated-cache";
export type { CacheEngine, CacheMemoryVolume, ReplicatedCacheArgs } from "./workload/replicated-cache";
export { NodeLocalStore } from "./workload/node-local-store";
export type { NodeLocalPort, NodeLocalStoreArgs, NodeLocalToleration } from "./workload/node-local-store";
export { HOST_PATH_PREFIXES } from "./workload/node-local-store-args";

// Pods of your own, rendered the way the components render theirs.
export {
    hostAntiAffinity,
    restrictedContainerSecurityContext,
    restrictedPodSecurityContext,
    selectorLabels,
    SKIP_AWAIT_ANNOTATION,
    zoneSpread,
} from "./workload/pod-defaults";
export type { SpreadArgs, SpreadMode } from "./workload/pod-defaults";
export { GIB, parseQuantity, standardLabels } from "./common/kubernetes";

// State outside the cluster: connection data, credentials, and wiring them into pods.
export { EXTERNAL_STORE_MIN_CHECKSUM_KEY, ExternalStore, isDnsName } from "./external/external-store";
export type { ExistingSecretKeys, ExternalStoreArgs, ExternalStoreEngine } from "./external/external-store";
export { externalStoreWiring, withExternalStores } from "./external/wiring";
export type { ExternalStoreWiring, ExternalStoreWiringOptions, WithExternalStoresOptions } from "./external/wiring";
