import * as k8s from "@pulumi/kubernetes";
import { parseQuantity, sortKeys, standardLabels } from "../common/kubernetes";
import type { DeploymentSpec, PodDisruptionBudgetSpec, ResourceRequirements, SecurityContext, ServiceSpec } from "../common/kubernetes-types";
import { RenderedPodArgs, renderPodArgs } from "./pod-args";
import { selectorLabels, skipAwaitMetadata } from "./pod-defaults";
import { CACHE_ENGINE_PRESETS, CacheEngine, ReplicatedCacheArgs } from "./replicated-cache-args";

/** The defaults of a ReplicatedCache, applied once, by {@link resolveReplicatedCache}. */
export const CACHE_DEFAULTS = {
    cpu: "100m",
    engine: "memcached",
    maxUnavailable: 1,
    memory: "256Mi",
    memoryMountPath: "/cache",
    replicas: 3,
    skipAwait: false,
    zoneSpread: "preferred",
} as const;

const MIB = 2 ** 20;

/** A ReplicatedCache's arguments with every default applied. */
export interface ResolvedReplicatedCache {
    readonly name: string;
    readonly namespace: string;
    readonly engine: CacheEngine;
    readonly image: string;
    readonly replicas: number;
    readonly port: number;
    readonly portName: string;
    readonly args: readonly string[];
    /** The memory limit the engine is sized to. */
    readonly memory: string;
    /** `resources`, or the memory request and limit and the CPU request. */
    readonly resources: ResourceRequirements;
    readonly memoryVolume?: { readonly mountPath: string; readonly sizeLimit: string };
    /** The shared pod arguments, rendered: the port, env, probes, security contexts, spread, budget, scheduling. */
    readonly pod: RenderedPodArgs;
    /** The main container's security context: the pod's, with a read-only root file system unless overridden. */
    readonly containerSecurityContext: SecurityContext;
    readonly skipAwait: boolean;
}

/** The container arguments of an engine preset, sized to 90% of the memory limit. */
export function defaultCacheArgs(engine: CacheEngine, port: number, memory: string): string[] {
    const budgetMib = Math.max(1, Math.floor(((parseQuantity(memory) ?? 0) * 0.9) / MIB));
    if (engine === "memcached") {
        return ["-m", String(budgetMib), "-p", String(port)];
    }
    return ["--port", String(port), "--save", "", "--appendonly", "no", "--maxmemory", `${budgetMib}mb`, "--maxmemory-policy", "allkeys-lru"];
}

/** Applies every default to arguments that passed validation, once. */
export function resolveReplicatedCache(name: string, args: ReplicatedCacheArgs): ResolvedReplicatedCache {
    const engine = args.engine ?? CACHE_DEFAULTS.engine;
    const preset = CACHE_ENGINE_PRESETS[engine];
    const port = args.port ?? preset.port;
    const portName = args.portName ?? preset.portName;
    const limitsMemory = args.resources?.limits as Record<string, unknown> | undefined;
    const memory = args.memory ?? (typeof limitsMemory?.memory === "string" ? limitsMemory.memory : CACHE_DEFAULTS.memory);
    const pod = renderPodArgs(
        {
            ...args,
            disruptionBudget: args.disruptionBudget || { maxUnavailable: args.maxUnavailable ?? CACHE_DEFAULTS.maxUnavailable },
            ports: [{ name: portName, port }],
            spread: { hosts: "required", zones: args.spread?.zones ?? args.zoneSpread ?? CACHE_DEFAULTS.zoneSpread },
        },
        selectorLabels(name),
        true,
    );
    return {
        args: [...(args.args ?? defaultCacheArgs(engine, port, memory))],
        containerSecurityContext: { ...pod.containerSecurityContext, readOnlyRootFilesystem: args.securityContext?.container?.readOnlyRootFilesystem ?? true },
        engine,
        image: args.image ?? preset.image,
        memory,
        ...(args.memoryVolume ? { memoryVolume: { mountPath: args.memoryVolume.mountPath ?? CACHE_DEFAULTS.memoryMountPath, sizeLimit: args.memoryVolume.sizeLimit } } : {}),
        name,
        namespace: args.namespace,
        pod,
        port,
        portName,
        replicas: args.replicas ?? CACHE_DEFAULTS.replicas,
        resources: args.resources ?? { limits: { memory }, requests: { cpu: args.cpu ?? CACHE_DEFAULTS.cpu, memory } },
        skipAwait: args.skipAwait ?? CACHE_DEFAULTS.skipAwait,
    };
}

/** Everything a ReplicatedCache renders, as plain objects. */
export interface ReplicatedCacheSpecs {
    readonly deployment: DeploymentSpec;
    readonly service: ServiceSpec;
    readonly disruptionBudget: PodDisruptionBudgetSpec;
}

/** Builds the Deployment, Service and PDB specs of a resolved ReplicatedCache. */
export function renderReplicatedCacheSpecs(cache: ResolvedReplicatedCache): ReplicatedCacheSpecs {
    const selector = selectorLabels(cache.name);
    const pod = cache.pod;
    const container: k8s.types.input.core.v1.Container = {
        args: [...cache.args],
        image: cache.image,
        livenessProbe: pod.livenessProbe ?? { failureThreshold: 3, periodSeconds: 10, tcpSocket: { port: cache.portName } },
        name: "cache",
        ports: pod.containerPorts,
        readinessProbe: pod.readinessProbe ?? { periodSeconds: 5, tcpSocket: { port: cache.portName } },
        resources: cache.resources,
        securityContext: cache.containerSecurityContext,
        ...(pod.startupProbe ? { startupProbe: pod.startupProbe } : {}),
        ...(pod.env.length > 0 ? { env: pod.env } : {}),
        ...(cache.memoryVolume ? { volumeMounts: [{ mountPath: cache.memoryVolume.mountPath, name: "memory" }] } : {}),
    };
    const deployment: DeploymentSpec = {
        replicas: cache.replicas,
        selector: { matchLabels: selector },
        strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: "RollingUpdate" },
        template: {
            metadata: { labels: standardLabels(cache.name, "replicated-cache"), ...(pod.podAnnotations ? { annotations: pod.podAnnotations } : {}) },
            spec: {
                affinity: pod.affinity,
                automountServiceAccountToken: pod.automountServiceAccountToken,
                containers: [container],
                securityContext: pod.podSecurityContext,
                topologySpreadConstraints: pod.topologySpreadConstraints,
                ...(cache.memoryVolume ? { volumes: [{ emptyDir: { medium: "Memory", sizeLimit: cache.memoryVolume.sizeLimit }, name: "memory" }] } : {}),
                ...(pod.nodeSelector ? { nodeSelector: pod.nodeSelector } : {}),
                ...(pod.tolerations ? { tolerations: pod.tolerations } : {}),
                ...(pod.serviceAccountName !== undefined ? { serviceAccountName: pod.serviceAccountName } : {}),
                ...(pod.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds } : {}),
            },
        },
    };
    return sortKeys({
        deployment,
        disruptionBudget: { ...(pod.disruptionBudget ?? { maxUnavailable: CACHE_DEFAULTS.maxUnavailable }), selector: { matchLabels: selector } },
        service: { ports: pod.servicePorts, selector, type: "ClusterIP" },
    });
}

/** Builds the Deployment, Service and PDB specs of a ReplicatedCache named `name` from valid arguments. */
export function buildReplicatedCacheSpecs(name: string, args: ReplicatedCacheArgs): ReplicatedCacheSpecs {
    return renderReplicatedCacheSpecs(resolveReplicatedCache(name, args));
}

/**
 * Metadata of the object named `<name><suffix>`: standard labels, explicit name and
 * namespace, and the skip-await annotation on objects the provider awaits when `skipAwait` is set.
 */
export function replicatedCacheMetadata(name: string, args: Pick<ReplicatedCacheArgs, "namespace" | "skipAwait">, suffix: string, awaited: boolean): k8s.types.input.meta.v1.ObjectMeta {
    return { ...skipAwaitMetadata(awaited && args.skipAwait), labels: standardLabels(name, "replicated-cache"), name: `${name}${suffix}`, namespace: args.namespace };
}
