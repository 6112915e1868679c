import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { standardLabels } from "../components/common/kubernetes";
import { ScenarioSettings } from "./settings";

/** The Pod Security Standard a scenario's namespace enforces. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/** What every scenario starts from: its namespace and the options its components take. */
export interface ScenarioBase {
    /** The namespace's name, plain, for the components' `namespace` argument. */
    readonly namespace: string;
    readonly namespaceResource: k8s.core.v1.Namespace;
    /**
     * Options for every resource in the namespace: the Kubernetes provider that only
     * becomes available once the namespace exists, so nothing is created before it.
     */
    readonly opts: pulumi.ComponentResourceOptions;
    /** That provider, for Kubernetes objects the scenario creates itself. */
    readonly provider: k8s.Provider;
    /** Local mode: no AWS resources, no waiting for readiness (see `localMode`). */
    readonly localMode: boolean;
}

/** Labels of a namespace enforcing `level`, warning and auditing against "restricted". */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
    return {
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/warn": "restricted",
    };
}

/**
 * Creates the scenario's namespace and a Kubernetes provider whose default namespace is
 * taken from it, so every resource using the provider waits for the namespace. The
 * namespace is retained on delete: deleting a namespace deletes every volume claim in it,
 * and a `pulumi destroy` must leave the data in place.
 */
export function scenarioBase(settings: ScenarioSettings, level: PodSecurityLevel): ScenarioBase {
    const namespace = settings.optionalString("namespace") ?? settings.scenario;
    const localMode = settings.boolean("localMode");
    const cluster = new pulumi.Config("kubernetes");
    const access = { context: cluster.get("context"), kubeconfig: cluster.get("kubeconfig") };
    const namespaceResource = new k8s.core.v1.Namespace(
        namespace,
        { metadata: { labels: { ...standardLabels(namespace, "namespace"), ...podSecurityLabels(level) }, name: namespace } },
        { retainOnDelete: true },
    );
    const provider = new k8s.Provider("cluster", { ...access, namespace: namespaceResource.metadata.name });
    return { namespace, namespaceResource, opts: { providers: { kubernetes: provider } }, provider, localMode };
}

/**
 * Metadata fields for objects the scenarios create themselves: in local mode the
 * annotation that tells the Kubernetes provider not to wait for readiness (there is no
 * kubelet to make pods ready). Spread into `metadata`.
 */
export function skipAwaitAnnotations(localMode: boolean): { annotations?: Record<string, string> } {
    return localMode ? { annotations: { "pulumi.com/skipAwait": "true" } } : {};
}
