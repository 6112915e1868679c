import { PodArgs } from "./pod-args";
import { SpreadMode } from "./pod-defaults";

/** The cache servers ReplicatedCache has presets for. */
export type CacheEngine = "memcached" | "redis";

/** Image, port and port name of each engine preset. */
export const CACHE_ENGINE_PRESETS: Readonly<Record<CacheEngine, { readonly image: string; readonly port: number; readonly portName: string }>> = {
    memcached: { image: "memcached:1.6.39-alpine", port: 11211, portName: "memcache" },
    redis: { image: "redis:7.4.6-alpine", port: 6379, portName: "redis" },
};

/** An in-memory scratch volume (emptyDir with medium Memory); it counts against the memory limit. */
export interface CacheMemoryVolume {
    /** Where the volume is mounted in the cache container: an absolute path, not "/" and not over /dev, /proc or /sys. @default "/cache" */
    readonly mountPath?: string;
    /** Largest size of the volume, a quantity such as "64Mi". Must not exceed `memory`. */
    readonly sizeLimit: string;
}

/** The fields of {@link CacheMemoryVolume}; any other key is refused. */
export const CACHE_MEMORY_VOLUME_FIELDS = ["mountPath", "sizeLimit"] as const satisfies readonly (keyof CacheMemoryVolume)[];

/**
 * Arguments of a {@link ReplicatedCache}: the shared {@link PodArgs} (env, secretEnv,
 * configMapEnv, resources, probes, spread, disruption budget, security context, service
 * account, node selector, tolerations, pod annotations, skip-await, meaning what they mean
 * for every workload) and the cache's own. A cache serves one port: `port` and `portName`
 * take the place of `ports`.
 */
export interface ReplicatedCacheArgs extends Omit<PodArgs, "ports"> {
    /** Namespace of the Deployment, Service and PodDisruptionBudget. Changing it replaces them (no data is held). */
    readonly namespace: string;
    /**
     * Engine preset: default image, port and arguments. Each replica is an independent
     * server; clients spread keys over the Service's endpoints or tolerate misses.
     * @default "memcached"
     */
    readonly engine?: CacheEngine;
    /** Container image: a reference without whitespace, such as "memcached:1.6.39-alpine". @default the engine's image ("memcached:1.6.39-alpine", "redis:7.4.6-alpine") */
    readonly image?: string;
    /**
     * Number of replicas, from 2 to 1000 (one per node: pod anti-affinity on the host name is
     * required, so the cluster needs at least this many schedulable nodes).
     * @default 3
     */
    readonly replicas?: number;
    /** Port the cache listens on and the Service exposes. @default 11211 for memcached, 6379 for redis */
    readonly port?: number;
    /** Name of the container and Service port (an IANA service name). @default "memcache" or "redis" */
    readonly portName?: string;
    /**
     * Container arguments. @default memcached: `-m <memory in MiB * 0.9> -p <port>`; redis:
     * `--port <port> --save "" --appendonly no --maxmemory <memory * 0.9> --maxmemory-policy allkeys-lru`
     */
    readonly args?: readonly string[];
    /**
     * Memory request and limit of each replica (they are equal, so replicas are not evicted
     * first), at most "1Ti". Cannot be combined with `resources`, which must then set
     * `limits.memory` (the engine is sized to 90% of it).
     * @default "256Mi"
     */
    readonly memory?: string;
    /** CPU request of each replica, at most "1024" cores. Cannot be combined with `resources`. @default "100m" */
    readonly cpu?: string;
    /** An optional memory-backed emptyDir. Never a persistent volume. @default none */
    readonly memoryVolume?: CacheMemoryVolume;
    /**
     * Spread over availability zones, the same as `spread.zones` (give one of the two).
     * Replicas are always kept on different nodes: `spread.hosts` can only be "required".
     * @default "preferred"
     */
    readonly zoneSpread?: SpreadMode;
    /**
     * Most replicas that a voluntary disruption (a node drain) may take down at once;
     * must be less than `replicas`. The same as `disruptionBudget.maxUnavailable` (give one
     * of the two); a cache always has a PodDisruptionBudget, so `disruptionBudget: false`
     * is refused.
     * @default 1
     */
    readonly maxUnavailable?: number;
    /**
     * Don't wait for the Deployment and the Service to become ready (the provider's
     * `pulumi.com/skipAwait` annotation on both; the PodDisruptionBudget is never awaited).
     * Use it when the pods cannot become ready during the update, e.g. on a control plane
     * without nodes. Changing it only changes the annotation; nothing is replaced.
     * @default false
     */
    readonly skipAwait?: boolean;
}

/** The arguments of {@link ReplicatedCacheArgs} that are not shared {@link PodArgs}; with those (but `ports`), every key accepted. */
export const REPLICATED_CACHE_OWN_ARGS = [
    "namespace",
    "engine",
    "image",
    "replicas",
    "port",
    "portName",
    "args",
    "memory",
    "cpu",
    "memoryVolume",
    "zoneSpread",
    "maxUnavailable",
] as const satisfies readonly (keyof ReplicatedCacheArgs)[];

/** Fails to compile when an argument is added to the interface but not to the lists. */
export type MissingCacheArgs = Exclude<keyof ReplicatedCacheArgs, (typeof REPLICATED_CACHE_OWN_ARGS)[number] | keyof PodArgs>;
const everyCacheArgListed: [MissingCacheArgs] extends [never] ? true : never = true;
void everyCacheArgListed;
