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
     * becomes available once the namespace exists, so nothing is created before it; in
     * local mode also the transformation that adds the skip-await annotation.
     */
    readonly opts: pulumi.ComponentResourceOptions;
    /** Options for Kubernetes objects the scenario creates itself: the same provider and transformations. */
    readonly objectOpts: pulumi.CustomResourceOptions;
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
    const transformations = localMode ? [skipAwaitEverywhere] : [];
    return {
        namespace,
        namespaceResource,
        opts: { providers: { kubernetes: provider }, transformations },
        objectOpts: { provider, transformations },
        localMode,
    };
}

/** The annotation that tells the Kubernetes provider not to wait for an object to become ready. */
export const SKIP_AWAIT_ANNOTATION = "pulumi.com/skipAwait";

/**
 * A stack transformation for local mode: every Kubernetes object gets the skip-await
 * annotation, since a control plane without kubelets never makes a pod ready.
 */
export function skipAwaitEverywhere(args: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult | undefined {
    if (!args.type.startsWith("kubernetes:")) {
        return undefined;
    }
    const props = args.props as { metadata?: pulumi.Input<k8s.types.input.meta.v1.ObjectMeta> };
    const metadata = pulumi.output(props.metadata).apply((m) => ({ ...m, annotations: { ...m?.annotations, [SKIP_AWAIT_ANNOTATION]: "true" } }));
    return { props: { ...args.props, metadata }, opts: args.opts };
}
