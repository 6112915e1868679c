import * as k8s from "@pulumi/kubernetes";

/** The Kubernetes input types the components render, by their Kubernetes names, named once. */

export type Affinity = k8s.types.input.core.v1.Affinity;
export type Container = k8s.types.input.core.v1.Container;
export type DaemonSetSpec = k8s.types.input.apps.v1.DaemonSetSpec;
export type DeploymentSpec = k8s.types.input.apps.v1.DeploymentSpec;
export type EnvFromSource = k8s.types.input.core.v1.EnvFromSource;
export type EnvVar = k8s.types.input.core.v1.EnvVar;
export type ObjectMeta = k8s.types.input.meta.v1.ObjectMeta;
export type PodDisruptionBudgetSpec = k8s.types.input.policy.v1.PodDisruptionBudgetSpec;
export type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;
export type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;
export type Probe = k8s.types.input.core.v1.Probe;
export type ResourceRequirements = k8s.types.input.core.v1.ResourceRequirements;
export type SecurityContext = k8s.types.input.core.v1.SecurityContext;
export type ServiceSpec = k8s.types.input.core.v1.ServiceSpec;
export type Toleration = k8s.types.input.core.v1.Toleration;
export type TopologySpreadConstraint = k8s.types.input.core.v1.TopologySpreadConstraint;
export type VolumeMount = k8s.types.input.core.v1.VolumeMount;
