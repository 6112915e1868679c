import * as k8s from "@pulumi/kubernetes";
import { sortKeys, standardLabels } from "../common/kubernetes";
import type { Container, DaemonSetSpec, ResourceRequirements, ServiceSpec } from "../common/kubernetes-types";
import { NodeLocalStoreArgs, NodeLocalToleration } from "./node-local-store-args";
import { RenderedPodArgs, renderPodArgs } from "./pod-args";
import { normaliseHostPath } from "./node-local-store-validate";
import {
    DEFAULT_FS_GROUP,
    DEFAULT_RUN_AS_USER,
    podIdentityEnv,
    restrictedContainerSecurityContext,
    selectorLabels,
    skipAwaitMetadata,
} from "./pod-defaults";

/** The defaults of a NodeLocalStore, applied once, by {@link resolveNodeLocalStore}. */
export const NODE_LOCAL_DEFAULTS = {
    cpu: "100m",
    memory: "256Mi",
    mountPath: "/data",
    prepareHostPath: true,
    skipAwait: false,
} as const;

const PREPARE_IMAGE = "busybox:1.37.0";
/** Where the init container mounts the host directory it hands over (whatever `mountPath` is). */
const PREPARE_MOUNT_PATH = "/data";

/** A NodeLocalStore's arguments with every default applied. */
export interface ResolvedNodeLocalStore {
    readonly name: string;
    readonly namespace: string;
    readonly image: string;
    readonly command?: readonly string[];
    readonly args?: readonly string[];
    /** The shared pod arguments, rendered: env, ports, probes, security contexts, service account, annotations. */
    readonly pod: RenderedPodArgs;
    /** `resources`, or the memory request and limit and the CPU request. */
    readonly resources: ResourceRequirements;
    readonly nodeSelector: Readonly<Record<string, string>>;
    /** The host directory in normal form. */
    readonly hostPath: string;
    readonly mountPath: string;
    readonly tolerations: readonly (NodeLocalToleration & { readonly operator: "Equal" | "Exists" })[];
    /** Run the init container that hands the host directory to `owner`. */
    readonly prepareHostPath: boolean;
    /** The pod's user and group: who the host directory is handed to. */
    readonly owner: { readonly user: number; readonly group: number };
    /** The local-volume StorageClass's name, or undefined when none is created. */
    readonly storageClassName?: string;
    readonly skipAwait: boolean;
}

/** The default host directory of a store. */
export function defaultHostPath(name: string, namespace: string): string {
    return `/var/lib/stateful-stacks/${namespace}/${name}`;
}

/** The storage class name a NodeLocalStore creates, or undefined when it creates none. */
export function nodeLocalStorageClassName(name: string, args: Pick<NodeLocalStoreArgs, "localStorageClass">): string | undefined {
    const sc = args.localStorageClass;
    if (sc === undefined || sc === false) {
        return undefined;
    }
    return (sc === true ? undefined : sc.storageClassName) ?? `${name}-local`;
}

/** Applies every default to arguments that passed validation, once. */
export function resolveNodeLocalStore(name: string, args: NodeLocalStoreArgs): ResolvedNodeLocalStore {
    const storageClassName = nodeLocalStorageClassName(name, args);
    const tolerations = (args.tolerations ?? []).map((t) => ({ ...t, operator: t.operator ?? "Equal" }));
    const pod = renderPodArgs({ ...args, nodeSelector: undefined, tolerations: undefined }, selectorLabels(name), false);
    const memory = args.memory ?? NODE_LOCAL_DEFAULTS.memory;
    const user = pod.podSecurityContext.runAsUser;
    const group = pod.podSecurityContext.fsGroup ?? pod.podSecurityContext.runAsGroup;
    return {
        ...(args.args ? { args: [...args.args] } : {}),
        ...(args.command ? { command: [...args.command] } : {}),
        hostPath: normaliseHostPath(args.hostPath) ?? defaultHostPath(name, args.namespace),
        image: args.image,
        mountPath: args.mountPath ?? NODE_LOCAL_DEFAULTS.mountPath,
        name,
        namespace: args.namespace,
        nodeSelector: { ...args.nodeSelector },
        owner: { group: typeof group === "number" ? group : DEFAULT_FS_GROUP, user: typeof user === "number" ? user : DEFAULT_RUN_AS_USER },
        pod,
        prepareHostPath: args.prepareHostPath ?? NODE_LOCAL_DEFAULTS.prepareHostPath,
        resources: args.resources ?? { limits: { memory }, requests: { cpu: args.cpu ?? NODE_LOCAL_DEFAULTS.cpu, memory } },
        skipAwait: args.skipAwait ?? NODE_LOCAL_DEFAULTS.skipAwait,
        ...(storageClassName !== undefined ? { storageClassName } : {}),
        tolerations,
    };
}

/**
 * The init container that hands the root-owned host directory to the store's user (the
 * pod's runAsUser and fsGroup, 1000:1000 by default). It only ever sees the host
 * directory through its mount, and that directory passed the host path allowlist.
 */
export function buildPrepareHostPathContainer(owner: { readonly user: number; readonly group: number } = { group: DEFAULT_FS_GROUP, user: DEFAULT_RUN_AS_USER }): Container {
    return {
        command: ["sh", "-c", `chown ${owner.user}:${owner.group} ${PREPARE_MOUNT_PATH} && chmod 0750 ${PREPARE_MOUNT_PATH}`],
        image: PREPARE_IMAGE,
        name: "prepare-host-path",
        resources: { limits: { memory: "16Mi" }, requests: { cpu: "10m", memory: "16Mi" } },
        securityContext: restrictedContainerSecurityContext({
            capabilities: { add: ["CHOWN", "FOWNER"], drop: ["ALL"] },
            readOnlyRootFilesystem: true,
            runAsGroup: 0,
            runAsNonRoot: false,
            runAsUser: 0,
        }),
        volumeMounts: [{ mountPath: PREPARE_MOUNT_PATH, name: "data" }],
    };
}

/** Everything a NodeLocalStore renders, as plain objects. */
export interface NodeLocalStoreSpecs {
    readonly daemonSet: DaemonSetSpec;
    readonly service: ServiceSpec;
    /** The local-volume StorageClass, when asked for (without metadata). */
    readonly storageClass?: { provisioner: string; reclaimPolicy: string; volumeBindingMode: string };
}

/** Builds the DaemonSet, headless Service and optional StorageClass of a resolved NodeLocalStore. */
export function renderNodeLocalStoreSpecs(store: ResolvedNodeLocalStore): NodeLocalStoreSpecs {
    const selector = selectorLabels(store.name);
    const pod = store.pod;
    const container: Container = {
        env: [...podIdentityEnv(), { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }, ...pod.env],
        image: store.image,
        name: "store",
        resources: store.resources,
        securityContext: pod.containerSecurityContext,
        volumeMounts: [{ mountPath: store.mountPath, name: "data" }],
        ...(store.command ? { command: [...store.command] } : {}),
        ...(store.args ? { args: [...store.args] } : {}),
        ...(pod.containerPorts.length > 0 ? { ports: pod.containerPorts } : {}),
        ...(pod.livenessProbe ? { livenessProbe: pod.livenessProbe } : {}),
        ...(pod.readinessProbe ? { readinessProbe: pod.readinessProbe } : {}),
        ...(pod.startupProbe ? { startupProbe: pod.startupProbe } : {}),
    };
    const daemonSet: DaemonSetSpec = {
        selector: { matchLabels: selector },
        template: {
            metadata: { labels: standardLabels(store.name, "node-local-store"), ...(pod.podAnnotations ? { annotations: pod.podAnnotations } : {}) },
            spec: {
                automountServiceAccountToken: pod.automountServiceAccountToken,
                containers: [container],
                nodeSelector: { ...store.nodeSelector },
                securityContext: pod.podSecurityContext,
                volumes: [{ hostPath: { path: store.hostPath, type: "DirectoryOrCreate" }, name: "data" }],
                ...(store.prepareHostPath ? { initContainers: [buildPrepareHostPathContainer(store.owner)] } : {}),
                ...(store.tolerations.length > 0 ? { tolerations: store.tolerations.map((t) => ({ ...t })) } : {}),
                ...(pod.serviceAccountName !== undefined ? { serviceAccountName: pod.serviceAccountName } : {}),
                ...(pod.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds } : {}),
            },
        },
        updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: "RollingUpdate" },
    };
    const service: ServiceSpec = {
        clusterIP: "None",
        publishNotReadyAddresses: true,
        selector,
        ...(pod.servicePorts.length > 0 ? { ports: pod.servicePorts } : {}),
    };
    const storageClass = store.storageClassName !== undefined ? { provisioner: "kubernetes.io/no-provisioner", reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer" } : undefined;
    return sortKeys({ daemonSet, service, ...(storageClass ? { storageClass } : {}) });
}

/** Builds the DaemonSet, headless Service and optional StorageClass of a NodeLocalStore named `name` from valid arguments. */
export function buildNodeLocalStoreSpecs(name: string, args: NodeLocalStoreArgs): NodeLocalStoreSpecs {
    return renderNodeLocalStoreSpecs(resolveNodeLocalStore(name, args));
}

/**
 * Metadata of the object named `objectName`: standard labels, explicit name and
 * namespace, and the skip-await annotation on objects the provider awaits when `skipAwait` is set.
 */
export function nodeLocalMetadata(name: string, args: Pick<NodeLocalStoreArgs, "namespace" | "skipAwait">, objectName: string, awaited: boolean): k8s.types.input.meta.v1.ObjectMeta {
    return { ...skipAwaitMetadata(awaited && args.skipAwait), labels: standardLabels(name, "node-local-store"), name: objectName, namespace: args.namespace };
}
