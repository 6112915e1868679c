import type { PodSecurityContext, SecurityContext } from "./kubernetes-types";

/**
 * The restricted pod security defaults and the provider's skip-await annotation: used by
 * every workload component and by the external-store wiring (its wait-for-store init
 * containers), so they live below both.
 */

/** Default user and group for the pod: non-root, and the group that owns the volumes. */
export const DEFAULT_RUN_AS_USER = 1000;
export const DEFAULT_FS_GROUP = 1000;

/**
 * The pod-level security context of the "restricted" Pod Security Standard: non-root,
 * RuntimeDefault seccomp, and an fsGroup so that mounted volumes are writable.
 * `overrides` replace individual fields.
 */
export function restrictedPodSecurityContext(overrides?: PodSecurityContext): PodSecurityContext {
    return {
        fsGroup: DEFAULT_FS_GROUP,
        fsGroupChangePolicy: "OnRootMismatch",
        runAsGroup: DEFAULT_FS_GROUP,
        runAsNonRoot: true,
        runAsUser: DEFAULT_RUN_AS_USER,
        seccompProfile: { type: "RuntimeDefault" },
        ...overrides,
    };
}

/**
 * The container-level security context of the "restricted" Pod Security Standard: no
 * privilege escalation, every capability dropped. `overrides` replace individual fields.
 */
export function restrictedContainerSecurityContext(overrides?: SecurityContext): SecurityContext {
    return {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        privileged: false,
        readOnlyRootFilesystem: false,
        runAsNonRoot: true,
        ...overrides,
    };
}

/** The Pulumi Kubernetes provider's annotation that turns off waiting for readiness. */
export const SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait";

/**
 * The metadata fields that turn off the provider's readiness wait: `{ annotations:
 * { "pulumi.com/skipAwait": "true" } }` when asked for, else nothing. Spread into the
 * metadata of objects the provider awaits (Deployments, StatefulSets, DaemonSets, Services).
 */
export function skipAwaitMetadata(skipAwait: boolean | undefined): { annotations?: Record<string, string> } {
    return skipAwait === true ? { annotations: { [SKIP_AWAIT_ANNOTATION]: "true" } } : {};
}
