import { CacheEngine, ReplicatedCache } from "../components";
import { defineScenario, Scenario } from "./scenario";

/**
 * replicated-cache: redundant in-memory state. Identical cache servers on different
 * nodes behind one Service; losing a pod loses only cached entries, never data.
 */

const KEYS = {
    cacheEngine: { description: "memcached or redis.", default: "memcached" },
    replicas: { description: "Cache replicas, each on its own node (at least 2).", default: 3 },
    memory: { description: "Memory request and limit of each replica.", default: "256Mi" },
} as const;

const ENGINES: readonly CacheEngine[] = ["memcached", "redis"];

export const replicatedCache: Scenario = defineScenario("replicated-cache", KEYS, "restricted", (settings, base) => {
    const engine = settings.string("cacheEngine");
    if (!ENGINES.includes(engine as CacheEngine)) {
        throw new Error(`stack config "stateful-stacks:cacheEngine" must be one of ${ENGINES.join(", ")} (got "${engine}")`);
    }
    const cache = new ReplicatedCache(
        "cache",
        {
            engine: engine as CacheEngine,
            memory: settings.string("memory"),
            namespace: base.namespace,
            replicas: settings.integer("replicas", 2, 50),
            skipAwait: base.skipAwait,
        },
        base.opts,
    );
    return {
        deploymentName: cache.deploymentName,
        namespace: base.namespace,
        port: cache.port,
        serviceDnsName: cache.serviceDnsName,
        serviceName: cache.serviceName,
    };
});
