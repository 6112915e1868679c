/**
 * The container checks ReplicatedCache and NodeLocalStore import from here. Each rule
 * lives once, in `components/common/`; this module only keeps the names they use.
 * Internal to the package: not exported from the barrel.
 */
export { isAbsolutePath, isImage } from "../common/checks";
export { checkPositiveQuantity } from "../common/kubernetes";
