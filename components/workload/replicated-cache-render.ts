import * as k8s from "@pulumi/kubernetes";
import { parseQuantity, sortKeys, standardLabels } from "../common/kubernetes";
import { hostAntiAffinity, restrictedContainerSecurityContext, restrictedPodSecurityContext, selectorLabels, skipAwaitMetadata, SpreadMode, zoneSpread } from "./pod-defaults";
import { CACHE_ENGINE_PRESETS, CacheEngine, ReplicatedCacheArgs } from "./replicated-cache-args";

type DeploymentSpec = k8s.types.input.apps.v1.DeploymentSpec;
type ServiceSpec = k8s.types.input.core.v1.ServiceSpec;
type PodDisruptionBudgetSpec = k8s.types.input.policy.v1.PodDisruptionBudgetSpec;

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
    readonly memory: string;
    readonly cpu: string;
    readonly memoryVolume?: { readonly mountPath: string; readonly sizeLimit: string };
    readonly zoneSpread: SpreadMode;
    readonly maxUnavailable: number;
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

/** Applies every default to arguments that passed validation. */
export function resolveReplicatedCache(name: string, args: ReplicatedCacheArgs): ResolvedReplicatedCache {
    const engine = args.engine ?? CACHE_DEFAULTS.engine;
    const preset = CACHE_ENGINE_PRESETS[engine];
    const port = args.port ?? preset.port;
    const memory = args.memory ?? CACHE_DEFAULTS.memory;
    return {
        args: [...(args.args ?? defaultCacheArgs(engine, port, memory))],
        cpu: args.cpu ?? CACHE_DEFAULTS.cpu,
        engine,
        image: args.image ?? preset.image,
        maxUnavailable: args.maxUnavailable ?? CACHE_DEFAULTS.maxUnavailable,
        memory,
        ...(args.memoryVolume ? { memoryVolume: { mountPath: args.memoryVolume.mountPath ?? CACHE_DEFAULTS.memoryMountPath, sizeLimit: args.memoryVolume.sizeLimit } } : {}),
        name,
        namespace: args.namespace,
        port,
        portName: args.portName ?? preset.portName,
        replicas: args.replicas ?? CACHE_DEFAULTS.replicas,
        skipAwait: args.skipAwait ?? CACHE_DEFAULTS.skipAwait,
        zoneSpread: args.zoneSpread ?? CACHE_DEFAULTS.zoneSpread,
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
    const container: k8s.types.input.core.v1.Container = {
        args: [...cache.args],
        image: cache.image,
        livenessProbe: { failureThreshold: 3, periodSeconds: 10, tcpSocket: { port: cache.portName } },
        name: "cache",
        ports: [{ containerPort: cache.port, name: cache.portName, protocol: "TCP" }],
        readinessProbe: { periodSeconds: 5, tcpSocket: { port: cache.portName } },
        resources: { limits: { memory: cache.memory }, requests: { cpu: cache.cpu, memory: cache.memory } },
        securityContext: restrictedContainerSecurityContext({ readOnlyRootFilesystem: true }),
        ...(cache.memoryVolume ? { volumeMounts: [{ mountPath: cache.memoryVolume.mountPath, name: "memory" }] } : {}),
    };
    const deployment: DeploymentSpec = {
        replicas: cache.replicas,
        selector: { matchLabels: selector },
        strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: "RollingUpdate" },
        template: {
            metadata: { labels: standardLabels(cache.name, "replicated-cache") },
            spec: {
                affinity: hostAntiAffinity(selector, "required"),
                automountServiceAccountToken: false,
                containers: [container],
                securityContext: restrictedPodSecurityContext(),
                topologySpreadConstraints: zoneSpread(selector, cache.zoneSpread),
                ...(cache.memoryVolume ? { volumes: [{ emptyDir: { medium: "Memory", sizeLimit: cache.memoryVolume.sizeLimit }, name: "memory" }] } : {}),
            },
        },
    };
    return sortKeys({
        deployment,
        disruptionBudget: { maxUnavailable: cache.maxUnavailable, selector: { matchLabels: selector } },
        service: { ports: [{ name: cache.portName, port: cache.port, protocol: "TCP", targetPort: cache.portName }], selector, type: "ClusterIP" },
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
