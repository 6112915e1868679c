import * as assert from "assert";
import * as fc from "fast-check";
import { ReplicatedCache, ReplicatedCacheArgs } from "../../components";
import { recorder } from "../support/pulumi";
import { extraKeys, fieldsOf, hostileValue, refusedOrValid } from "./node-local-hostile-values";

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
                }),
                fc.oneof({ arbitrary: fc.constantFrom("shop", "cache-1"), weight: 5 }, { arbitrary: hostileValue, weight: 1 }),
                extraKeys,
            )
            .map(([fields, namespace, extra]) => ({ namespace, ...fields, ...extra })),
        weight: 6,
    },
);

describe("ReplicatedCache under hostile input", () => {
    it("refuses with property paths and registers nothing, or renders schema-valid objects", async () => {
        const rec = await recorder();
        const outcomes = { refused: 0, rendered: 0 };
        await fc.assert(
            fc.asyncProperty(cacheArgs, async (args) => {
                outcomes[await refusedOrValid(rec, () => new ReplicatedCache("sessions", args as ReplicatedCacheArgs))]++;
            }),
            { numRuns: 120, seed: 1010 },
        );
        assert.ok(outcomes.refused > 20 && outcomes.rendered > 10, JSON.stringify(outcomes));
    });
});
