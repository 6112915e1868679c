import * as fc from "fast-check";
import { ReplicatedCache, ReplicatedCacheArgs } from "../../components";
import { assertHostileProperty, extraKeys, fieldsOf, hostileValue, PLANTED } from "./node-local-hostile-values";

/** Mostly `valid`, sometimes `invalid`. */
const mostly = (valid: fc.Arbitrary<unknown>, invalid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: invalid, weight: 1 });

const cacheArgs: fc.Arbitrary<unknown> = fc.oneof(
    { arbitrary: hostileValue, weight: 1 },
    {
        arbitrary: fc
            .tuple(
                fieldsOf({
                    args: fc.array(fc.constantFrom("-m", "64", "--port", "6379", "-v"), { maxLength: 4 }),
                    cpu: fc.constantFrom("50m", "1", "0.5"),
                    engine: fc.constantFrom("memcached", "redis"),
                    image: fc.constantFrom("memcached:1.6.39-alpine", "registry.example.com/cache/redis:7.4"),
                    maxUnavailable: fc.integer({ min: 1, max: 3 }),
                    memory: fc.constantFrom("64Mi", "256Mi", "1Gi"),
                    memoryVolume: fc.record({ mountPath: fc.constantFrom("/cache", "/var/cache/x"), sizeLimit: fc.constantFrom("1Mi", "32Mi") }, { requiredKeys: ["sizeLimit"] }),
                    port: fc.integer({ min: 1, max: 65535 }),
                    portName: fc.constantFrom("cache", "memcache", "redis"),
                    replicas: fc.integer({ min: 2, max: 6 }),
                    skipAwait: fc.boolean(),
                    zoneSpread: fc.constantFrom("preferred", "required", "none"),
                    env: mostly(fc.constantFrom({ CACHE_MODE: "lru" }, {}), fc.constantFrom({ REDIS_PASSWORD: PLANTED })),
                    secretEnv: fc.constantFrom({ CACHE_AUTH_TOKEN: { key: "token", secretName: "cache-auth" } }),
                    securityContext: mostly(fc.constantFrom({ pod: { runAsUser: 2000 } }, { container: { readOnlyRootFilesystem: false } }), fc.constantFrom({ pod: { runAsUsr: 1 } })),
                    readinessProbe: mostly(fc.constantFrom({ exec: { command: ["true"] } }, { periodSeconds: 3, tcpSocket: { port: 11211 } }), fc.constantFrom({ tcpSocket: { port: 0 } })),
                    spread: mostly(fc.constantFrom({ zones: "required" }, { hosts: "required" }), fc.constantFrom({ hosts: "none" })),
                    disruptionBudget: mostly(fc.constantFrom({ maxUnavailable: 1 }, { minAvailable: "50%" }), fc.constantFrom({ minAvailable: 9 })),
                    serviceAccountName: mostly(fc.constantFrom("cache"), fc.constantFrom("Cache")),
                    podAnnotations: fc.constantFrom({ "example.com/owner": "team" }),
                }),
                fc.oneof({ arbitrary: fc.constantFrom("shop", "cache-1"), weight: 5 }, { arbitrary: hostileValue, weight: 1 }),
                extraKeys,
                fc.integer({ min: 0, max: 9 }),
            )
            .map(([fields, namespace, extra, dice]) => {
                // The older maxUnavailable and zoneSpread cannot be combined with disruptionBudget and spread.zones; usually one is given.
                const { maxUnavailable, zoneSpread, ...rest } = fields;
                const old = dice === 0 || (fields.disruptionBudget === undefined && fields.spread === undefined) ? { maxUnavailable, zoneSpread } : {};
                return { namespace, ...rest, ...old, ...extra };
            }),
        weight: 6,
    },
);

describe("ReplicatedCache under hostile input", () => {
    it("refuses with property paths and registers nothing, or renders schema-valid objects", async () => {
        await assertHostileProperty("ReplicatedCache", cacheArgs, 1010, (args) => new ReplicatedCache("sessions", args as ReplicatedCacheArgs));
    });
});
