/**
 * The restricted security contexts every workload renders by default, written out as the
 * tests expect them (not read from the components, so a changed default fails the tests).
 */

/** The pod security context of a pod with no overrides. */
export const RESTRICTED_POD_SECURITY = {
    fsGroup: 1000,
    fsGroupChangePolicy: "OnRootMismatch",
    runAsGroup: 1000,
    runAsNonRoot: true,
    runAsUser: 1000,
    seccompProfile: { type: "RuntimeDefault" },
};

/** The security context of a container with no overrides. */
export const RESTRICTED_CONTAINER_SECURITY = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    privileged: false,
    readOnlyRootFilesystem: false,
    runAsNonRoot: true,
};
