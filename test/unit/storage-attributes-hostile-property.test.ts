import * as assert from "assert";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { EbsVolumeAttributesClass } from "../../components/storage/ebs-volume-attributes-class";
import { isDns1123Subdomain } from "../../components/common/kubernetes";
import { assertSchemaValid, recorder, render, settle } from "../support/pulumi";
import { deepObject, hostileRuns, hostileTally, reportHostileTally, sparse } from "../support/hostile";

const RUNS = hostileRuns(150);

/**
 * Hostile input for EbsVolumeAttributesClass: a valid argument set with one field replaced
 * by a value a careless or hostile caller passes, a near-miss key added, or the whole
 * arguments replaced. Each input is refused with property paths and nothing registered, or
 * registers one schema-valid class with string-only parameters and an object name.
 */

const hostile: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom<unknown>(null, 0, -1, 2 ** 31, 124, 126, 3000, 79999, Number.NaN, Number.POSITIVE_INFINITY, "", " ", "3000", "constructor", "__proto__", true, false, [], {}, [null], { a: null }),
    fc.constant(null).map(() => sparse("x", "y")),
    fc.constant(null).map(() => pulumi.output(3000)),
    fc.constant(null).map(() => Promise.resolve(1)),
    fc.constant(null).map(() => deepObject(300)),
    fc.constantFrom("gp2", "io1", "io2", "st1", "sc1", "A".repeat(600), "aws:tag", "a=b", "Fast", "fast."),
    fc.string({ maxLength: 10 }),
    fc.integer(),
);

const BASE = { iops: 6000, namePrefix: "postgres-fast", tags: { team: "db" }, throughputMibps: 250, volumeType: "gp3" };
const PATHS = ["volumeType", "iops", "throughputMibps", "tags", "tags.team", "tags.aws:x", "namePrefix", "iopsPerGb", "iop", "volumetype"];

function withField(base: object, path: string, value: unknown): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    const [head, tail] = path.split(/\.(.*)/s);
    if (tail === undefined) {
        copy[head] = value;
    } else {
        copy[head] = { ...(copy[head] as object), [tail]: value };
    }
    return copy;
}

const inputs: fc.Arbitrary<unknown> = fc.oneof(
    { arbitrary: fc.constant(BASE), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(...PATHS), hostile).map(([path, value]) => withField(BASE, path, value)), weight: 8 },
    { arbitrary: hostile, weight: 1 },
);

async function check(args: unknown): Promise<"refused" | "accepted"> {
    let rec;
    try {
        rec = await render(() => new EbsVolumeAttributesClass("fast", args as never));
    } catch (err) {
        assert.ok(pulumi.InputPropertiesError.isInstance(err), `not a refusal: ${(err as Error)?.stack}`);
        assert.ok(err.errors.length > 0 && err.errors.every((e) => e.propertyPath.length > 0), "every problem names a property");
        await settle();
        assert.deepStrictEqual((await recorder()).resources, [], "nothing is registered on refusal");
        return "refused";
    }
    assertSchemaValid(rec);
    const classes = rec.ofType("kubernetes:storage.k8s.io/v1:VolumeAttributesClass");
    assert.strictEqual(classes.length, 1);
    const [vac] = classes;
    assert.ok(isDns1123Subdomain(vac.inputs.metadata.name), vac.inputs.metadata.name);
    for (const [key, value] of Object.entries(vac.inputs.parameters as Record<string, unknown>)) {
        assert.strictEqual(typeof value, "string", `parameter ${key} must be a string`);
    }
    return "accepted";
}

describe("EbsVolumeAttributesClass: hostile-input property", () => {
    before(async () => {
        await recorder();
    });

    it("every input is refused with paths and nothing registered, or renders one schema-valid class", async () => {
        const seen = hostileTally("EbsVolumeAttributesClass", 1034, RUNS);
        await fc.assert(
            fc.asyncProperty(inputs, async (args) => {
                seen[await check(args)]++;
            }),
            { numRuns: RUNS, seed: 1034 },
        );
        reportHostileTally(seen);
        assert.ok(seen.refused > 50 && seen.accepted > 5, JSON.stringify(seen));
    });
});
