import * as assert from "assert";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { isDeferred } from "../../components/common/checks";
import { ExternalStore, EXTERNAL_STORE_ENGINES } from "../../components/external/external-store";
import { assertSchemaValid, recorder, render, settle } from "../support/pulumi";
import { assertNoSecretLeaks } from "../support/secrets";
import { deepObject, hostileRuns, hostileTally, reportHostileTally, sparse } from "../support/hostile";

/**
 * Hostile input for ExternalStore: every argument is left out, valid, or one of the values
 * a careless or hostile caller passes (nulls, holes, wrong types, Outputs where plain values
 * are needed, credentials in the wrong place, deep values, prototype keys), and the whole
 * arguments are sometimes not an object at all. Each input must be refused with a property
 * path, no planted credential in the message and nothing registered, or render objects
 * that pass the Kubernetes schema check without a credential outside the Secret.
 */

const PLANTED = "Planted-Pw-48213";

/** Values no argument accepts as they are, built fresh for each run. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom<unknown>(null, 0, -1, 2 ** 31, Number.NaN, "", " ", "5432", "constructor", "__proto__", true, [], {}, [null], ["db", "db"], { a: null }),
    fc.constant(null).map(() => sparse("x", "db.example.com")),
    // Not a value any field takes plainly: the leak guard flags a Secret's value seen in plain
    // text anywhere, so an Output password equal to the host would be a false alarm.
    fc.constant(null).map(() => pulumi.output("computed-by-an-output")),
    fc.constant(null).map(() => pulumi.secret(PLANTED)),
    fc.constant(null).map(() => Promise.resolve("x")),
    fc.constant(null).map(() => deepObject(300)),
    fc.constantFrom(`postgres://app:${PLANTED}@db`, `jdbc:postgresql://db/x?user=a&password=${PLANTED}`, "A".repeat(600), "db.example.com:5432"),
    fc.string({ maxLength: 12 }),
    fc.integer(),
);

const choice = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: valid, weight: 10 }, { arbitrary: hostile, weight: 1 });

const connection = fc.record(
    {
        checksumKey: choice(fc.constantFrom<unknown>(`${PLANTED}-checksum-key-0123456789`, pulumi.secret(`${PLANTED}-checksum-key-0123456789`))),
        database: choice(fc.constantFrom("orders", "app_db")),
        engine: choice(fc.constantFrom(...EXTERNAL_STORE_ENGINES)),
        envPrefix: choice(fc.constantFrom("DB_", "SQL_", "ORDERS_")),
        externalName: choice(fc.constantFrom("db.example.com", "orders.cluster-abc.us-east-1.rds.amazonaws.com")),
        hosts: choice(fc.constantFrom(["db.example.com"], ["10.0.0.1", "fd00::5"], ["a.example.com", "b.example.com"])),
        namespace: choice(fc.constantFrom("shop", "orders-ns")),
        options: choice(fc.constantFrom({ sslmode: "require" }, { keyspace: "orders", timeout: "5" }, {})),
        port: choice(fc.constantFrom(5432, 1, 65535)),
    },
    { requiredKeys: [] },
);

/** Credentials of the created Secret, or of one the user manages. */
const credentials: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    fc.record(
        {
            password: choice(fc.constantFrom<unknown>(PLANTED, pulumi.secret(PLANTED))),
            secretOptions: choice(fc.constantFrom({ API_TOKEN: "token-value-1" }, { SSLKEY_PASSPHRASE: "phrase-value" })),
            username: choice(fc.constantFrom("app", "orders_app")),
        },
        { requiredKeys: ["password"] },
    ),
    fc.record(
        {
            existingSecretKeys: choice(fc.constantFrom({ password: "pw" }, { username: "user" })),
            existingSecretName: choice(fc.constantFrom("db-creds", "rds.master")),
        },
        { requiredKeys: ["existingSecretName"] },
    ),
);

/** Most inputs name an engine, hosts and a namespace, so that many of them pass. */
const args = fc.tuple(connection, credentials).map(([c, k]) => ({ engine: "postgresql", hosts: ["db.example.com"], namespace: "shop", ...c, ...k }));

const typo = fc.constantFrom("externalname", "optoins", "Hosts", "constructor", "pasword");
const anyArgs: fc.Arbitrary<unknown> = fc.oneof(
    { arbitrary: args, weight: 8 },
    { arbitrary: fc.tuple(args, typo, fc.string({ maxLength: 8 })).map(([a, key, value]) => ({ ...a, [key]: value })), weight: 1 },
    { arbitrary: hostile, weight: 1 },
);

/** Cases: bounded in the suite, more with STATEFUL_STACKS_HOSTILE_RUNS (the bench). */
const RUNS = hostileRuns(150);
const SEED = 5432;

describe("ExternalStore hostile-input property", () => {
    before(async () => {
        await recorder();
    });

    it("refuses with a path and registers nothing, or renders schema-valid objects with credentials only in the Secret", async () => {
        const tally = hostileTally("ExternalStore", SEED, RUNS);
        let refused = 0;
        let accepted = 0;
        await fc.assert(
            fc.asyncProperty(anyArgs, async (input) => {
                let rec;
                let store: ExternalStore | undefined;
                try {
                    rec = await render(() => {
                        store = new ExternalStore("orders", input as never);
                        return { env: store.env, envFrom: store.envFrom };
                    });
                } catch (err) {
                    assert.ok(pulumi.InputPropertiesError.isInstance(err), `not a refusal: ${(err as Error)?.stack}`);
                    refused++;
                    tally.refused++;
                    assert.ok(err.errors.length > 0);
                    for (const e of err.errors) {
                        assert.ok(e.propertyPath.length > 0, "every problem names a property");
                    }
                    assert.ok(!err.message.includes(PLANTED), err.message);
                    await settle();
                    assert.deepStrictEqual((await recorder()).resources, [], "nothing is registered on refusal");
                    return;
                }
                // A checksumKey given as an Output is read when it resolves: one too short fails
                // the program then, with a message that shows no key (a late refusal).
                const checksum = await (store!.checksum as unknown as { promise(): Promise<string> }).promise().then(
                    (value) => ({ value }),
                    (error: Error) => ({ error }),
                );
                if ("error" in checksum) {
                    assert.ok(isDeferred((input as { checksumKey?: unknown }).checksumKey), `only an Output key fails late: ${checksum.error.message}`);
                    assert.match(checksum.error.message, /ExternalStore "orders": checksumKey must be a string of at least 32 characters \(the value is secret and not shown\)$/);
                    assert.ok(!checksum.error.message.includes(PLANTED));
                    refused++;
                    tally.refused++;
                    return;
                }
                assert.match(checksum.value, /^[0-9a-f]{64}$/);
                accepted++;
                tally.accepted++;
                assertSchemaValid(rec);
                assertNoSecretLeaks(rec, [PLANTED]);
                assert.ok(rec.ofType("kubernetes:core/v1:ConfigMap").length === 1);
            }),
            { numRuns: RUNS, seed: SEED },
        );
        reportHostileTally(tally);
        assert.ok(refused > 30 && accepted > 15, `refused ${refused}, accepted ${accepted}`);
    });
});
