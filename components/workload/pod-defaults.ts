import * as k8s from "@pulumi/kubernetes";
import type { Affinity, TopologySpreadConstraint } from "../common/kubernetes-types";

/** The label of a node's availability zone, set by every cloud provider. */
export const ZONE_KEY = "topology.kubernetes.io/zone";
/** The label of a node's host name. */
export const HOST_KEY = "kubernetes.io/hostname";

export {
    DEFAULT_FS_GROUP,
    DEFAULT_RUN_AS_USER,
    restrictedContainerSecurityContext,
    restrictedPodSecurityContext,
    SKIP_AWAIT_ANNOTATION,
    skipAwaitMetadata,
} from "../common/pod-security";

/** How strictly replicas are kept apart. */
export type SpreadMode = "preferred" | "required" | "none";

/** How replicas are spread over zones and hosts. */
export interface SpreadArgs {
    /**
     * Spread across availability zones with a topology spread constraint (maxSkew 1).
     * "required" refuses to schedule a pod that would unbalance zones; "preferred"
     * schedules it anyway.
     * @default "preferred"
     */
    readonly zones?: SpreadMode;
    /**
     * Keep replicas on different nodes with pod anti-affinity on the host name.
     * @default "preferred"
     */
    readonly hosts?: SpreadMode;
}

/** Zone spread constraints for the pods carrying `selector`. */
export function zoneSpread(selector: Record<string, string>, mode: SpreadMode): TopologySpreadConstraint[] {
    if (mode === "none") {
        return [];
    }
    return [
        {
            labelSelector: { matchLabels: selector },
            maxSkew: 1,
            topologyKey: ZONE_KEY,
            whenUnsatisfiable: mode === "required" ? "DoNotSchedule" : "ScheduleAnyway",
        },
    ];
}

/** Host anti-affinity for the pods carrying `selector`; undefined when mode is "none". */
export function hostAntiAffinity(selector: Record<string, string>, mode: SpreadMode): Affinity | undefined {
    const term = { labelSelector: { matchLabels: selector }, topologyKey: HOST_KEY };
    switch (mode) {
        case "none":
            return undefined;
        case "required":
            return { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } };
        case "preferred":
            return { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ podAffinityTerm: term, weight: 100 }] } };
    }
}

/** The downward-API env vars every stateful pod gets: its own name and namespace. */
export function podIdentityEnv(): k8s.types.input.core.v1.EnvVar[] {
    return [
        { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
    ];
}

/**
 * The labels a workload's selector matches: stable for the life of the workload (a
 * Deployment's or DaemonSet's selector cannot change), so they carry no version or component.
 */
export function selectorLabels(name: string): Record<string, string> {
    return {
        "app.kubernetes.io/instance": name,
        "app.kubernetes.io/name": name,
    };
}
