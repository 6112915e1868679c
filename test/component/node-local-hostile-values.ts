import * as assert from "assert";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { Recorder } from "../../tools/engine/mocks";
import { hostileRuns, hostileTally, reportHostileTally } from "../support/hostile";
import { assertSchemaValid, recorder, settle } from "../support/pulumi";

/**
 * Hostile inputs for the ReplicatedCache and NodeLocalStore property tests, and the
 * property both must hold: every input is either refused (an InputPropertiesError naming
 * non-empty property paths, nothing registered, no planted credential in the message) or
 * renders objects that pass the schema check.
 */

/**
 * Runs of each hostile-input property: bounded in the suite; set
 * STATEFUL_STACKS_HOSTILE_RUNS for a longer run (the seed stays fixed, so a failure replays).
 */
export const HOSTILE_RUNS = hostileRuns(120);

/** A credential planted in hostile inputs where a credential-looking field or value puts it. */
export const PLANTED = "Pl4nted-Hostile-5520";

function sparse(): unknown[] {
    const list: unknown[] = [];
    list[2] = "x";
    return list;
}

function deep(levels: number): unknown {
    let value: unknown = "leaf";
    for (let i = 0; i < levels; i++) {
        value = [value];
    }
    return value;
}

/** Values that break a field: wrong types, nulls, holes, Outputs, prototype names, bounds, depth. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom<unknown>(
        null,
        undefined,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        -1,
        0,
        2 ** 31,
        2 ** 53,
        1.5,
        "",
        " ",
        "constructor",
        "__proto__",
        "toString",
        "1GB",
        "/etc",
        "/mnt/../etc",
        true,
        [],
        [null],
        {},
        { constructor: 1 },
        `postgres://app:${PLANTED}@db/x`,
        `jdbc:mysql://db/x?password=${PLANTED}`,
    ),
    fc.constant(null).map(() => sparse()),
    fc.constant(null).map(() => deep(3000)),
    fc.constant(null).map(() => pulumi.output("from-an-output")),
    fc.constant(null).map(() => pulumi.secret(PLANTED)),
    fc.anything({ maxDepth: 3, maxKeys: 4 }),
    fc.string({ maxLength: 12 }),
    fc.integer(),
);

/** Optional fields: each is absent, valid, or hostile. */
export function fieldsOf(valid: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, arbitrary] of Object.entries(valid)) {
        fields[key] = fc.oneof({ arbitrary, weight: 15 }, { arbitrary: hostileValue, weight: 1 });
    }
    return fc.record(fields, { requiredKeys: [] });
}

/** Extra keys: typos and credential-looking names (whose values are never shown). */
export const extraKeys: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    { arbitrary: fc.constant({}), weight: 6 },
    { arbitrary: fc.constantFrom({ replica: 3 }, { zoneSpred: "required" }, { voluems: [] }, { password: PLANTED }, { apiToken: PLANTED }), weight: 1 },
);

/** Constructs the component from hostile args and checks the property; returns "refused" or "rendered". */
async function refusedOrValid(rec: Recorder, construct: () => unknown): Promise<"refused" | "rendered"> {
    await settle();
    rec.reset();
    try {
        construct();
    } catch (err) {
        assert.ok(pulumi.InputPropertiesError.isInstance(err), `expected an InputPropertiesError, got ${String(err)}`);
        assert.ok(err.errors.length > 0);
        for (const e of err.errors) {
            assert.ok(e.propertyPath.length > 0, `empty property path in ${err.message}`);
        }
        assert.ok(!err.message.includes(PLANTED), `the message shows the planted credential:\n${err.message}`);
        await settle();
        assert.deepStrictEqual(rec.resources, [], "nothing registers for refused arguments");
        return "refused";
    }
    await settle();
    assert.deepStrictEqual(rec.errors, []);
    assertSchemaValid(rec);
    assert.ok(!JSON.stringify(rec.resources.map((r) => r.inputs)).includes(PLANTED), "a planted credential reached a rendered object");
    return "rendered";
}

/**
 * The property `property` over {@link HOSTILE_RUNS} arguments from `args` (with a fixed `seed`, so a
 * failure replays): each is refused or renders valid objects ({@link refusedOrValid}), and
 * `checkRendered` checks each rendered component further. Both outcomes must be common,
 * or the arguments would test too little.
 */
export async function assertHostileProperty<T>(
    property: string,
    args: fc.Arbitrary<unknown>,
    seed: number,
    construct: (args: unknown) => T,
    checkRendered?: (rec: Recorder, component: T) => void,
): Promise<void> {
    const rec = await recorder();
    const outcomes = { refused: 0, rendered: 0 };
    const tally = hostileTally(property, seed, HOSTILE_RUNS);
    await fc.assert(
        fc.asyncProperty(args, async (given) => {
            let component: T | undefined;
            const outcome = await refusedOrValid(rec, () => {
                component = construct(given);
            });
            outcomes[outcome]++;
            tally[outcome === "refused" ? "refused" : "accepted"]++;
            if (component !== undefined) {
                checkRendered?.(rec, component);
            }
        }),
        { numRuns: HOSTILE_RUNS, seed },
    );
    reportHostileTally(tally);
    assert.ok(outcomes.refused > 20 && outcomes.rendered > 10, JSON.stringify(outcomes));
}
