import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { restrictedContainerSecurityContext, SKIP_AWAIT_ANNOTATION, standardLabels } from "../components";
import { ScenarioSettings } from "./settings";

/** The Pod Security Standard a scenario's namespace enforces. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/** What every scenario starts from: its namespace and the options its components take. */
export interface ScenarioBase {
    /** The namespace's name, plain, for the components' `namespace` argument. */
    readonly namespace: string;
    readonly namespaceResource: k8s.core.v1.Namespace;
    /**
     * Options for every component: the Kubernetes provider that only becomes available
     * once the namespace exists, so nothing is created before it.
     */
    readonly opts: pulumi.ComponentResourceOptions;
    /** Options for Kubernetes objects the scenario creates itself: the same provider. */
    readonly objectOpts: pulumi.CustomResourceOptions;
    /** Local mode: no AWS resources (see `localMode`). */
    readonly localMode: boolean;
    /**
     * The `skipAwait` argument for the components that take one (StatefulWorkload,
     * ReplicatedCache, NodeLocalStore), from the `skipAwait` config key (default false:
     * the provider waits for readiness, also in local mode). The other components create only objects the
     * provider does not wait for (StorageClasses, VolumeSnapshotClasses, ConfigMaps,
     * Secrets, ExternalName Services).
     */
    readonly skipAwait: boolean;
    /**
     * The metadata of an object the scenario creates itself, with the skip-await
     * annotation added when `skipAwait` is set. Every such object gets it, not only the Deployments
     * and Services the provider waits for, so a newer provider that waits for more kinds
     * still finishes without waiting. Explicit in each builder rather than a stack-wide
     * transformation, which would also reach into the components.
     */
    readonly metadata: (metadata: StackObjectMeta) => StackObjectMeta;
}

/** The metadata of an object a scenario creates itself; annotations, when given, are plain. */
export type StackObjectMeta = Omit<k8s.types.input.meta.v1.ObjectMeta, "annotations"> & { readonly annotations?: Readonly<Record<string, string>> };

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
    const skipAwait = settings.boolean("skipAwait");
    const cluster = new pulumi.Config("kubernetes");
    const access = { context: cluster.get("context"), kubeconfig: cluster.get("kubeconfig") };
    const namespaceResource = new k8s.core.v1.Namespace(
        namespace,
        { metadata: { labels: { ...standardLabels(namespace, "namespace"), ...podSecurityLabels(level) }, name: namespace } },
        { retainOnDelete: true },
    );
    const provider = new k8s.Provider("cluster", { ...access, namespace: namespaceResource.metadata.name });
    return {
        namespace,
        namespaceResource,
        opts: { providers: { kubernetes: provider } },
        objectOpts: { provider },
        localMode,
        skipAwait,
        metadata: (metadata) => withSkipAwait(metadata, skipAwait),
    };
}

/** `metadata` with the skip-await annotation added when `skipAwait` is true (a copy; the argument is not changed). */
export function withSkipAwait(metadata: StackObjectMeta, skipAwait: boolean): StackObjectMeta {
    return skipAwait ? { ...metadata, annotations: { ...metadata.annotations, [SKIP_AWAIT_ANNOTATION]: "true" } } : metadata;
}

/**
 * The container of an unprivileged web server (such as nginx-unprivileged) serving HTTP on
 * port 8080 as the port "http": ready once "/" answers, small resources, the restricted
 * security context.
 */
export function webServerContainer(name: string, image: pulumi.Input<string>): k8s.types.input.core.v1.Container {
    return {
        image,
        name,
        ports: [{ containerPort: 8080, name: "http" }],
        readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 10 },
        resources: { limits: { memory: "128Mi" }, requests: { cpu: "50m", memory: "64Mi" } },
        securityContext: restrictedContainerSecurityContext(),
    };
}
