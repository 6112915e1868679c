/**
 * stateful-stacks: Pulumi components for stateful workloads on Kubernetes.
 * This barrel is the package's only public entry point.
 */
export * from "./common/validation";
export * from "./storage/ebs-limits";
export * from "./storage/ebs-storage-class";
export * from "./storage/efs-storage-class";
export * from "./external/external-store";
export * from "./external/wiring";
export * from "./workload/replicated-cache";
export * from "./workload/node-local-store";
export * from "./workload/stateful-workload";
