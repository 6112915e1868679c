import * as assert from "assert";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { checkKubernetesValue, KubernetesModel } from "../../components/common/kubernetes-schema";
import { ProblemList } from "../../components/common/validation";
import { StatefulWorkload, StatefulWorkloadArgs } from "../../components/workload/stateful-workload";
import { buildClientService, buildDisruptionBudget, buildHeadlessService, buildStatefulSet } from "../../components/workload/stateful-workload-spec";
import { validateStatefulWorkloadArgs } from "../../components/workload/stateful-workload-validate";
import { validateKubernetesObject } from "../../tools/engine/schema";
import { recorder, settle } from "../support/pulumi";
import { deepObject, hostileRuns, hostileTally, reportHostileTally } from "../support/hostile";

/**
 * A hostile caller over every argument path: a valid workload with one (or two) values
 * replaced by something hostile — nulls, holes, wrong types, out-of-range numbers,
 * prototype names, Outputs, Promises, deep and cyclic values, credentials, typos. Each
 * input is either refused, every problem with a non-empty path and nothing registered,
 * or it renders objects that pass the strict schema check (unknown fields refused).
 */

const SEED = Number(process.env.HOSTILE_SEED ?? 20261201);
/** Cases: bounded in the suite, more with STATEFUL_STACKS_HOSTILE_RUNS (the bench). */
const RUNS = hostileRuns(300);

function valid(): Record<string, unknown> {
    return {
        namespace: "db",
        image: "postgres:16.4",
        replicas: 3,
        ports: [
            { name: "pg", port: 5432 },
            { name: "metrics", port: 9187, targetPort: 9187, protocol: "TCP" },
        ],
        command: ["postgres"],
        args: ["-c", "max_connections=200"],
        env: { PGDATA: "/var/lib/postgresql/data/pgdata" },
        secretEnv: { POSTGRES_PASSWORD: { secretName: "pg-credentials", key: "password" } },
        configMapEnv: { TZ: { configMapName: "settings", key: "tz", optional: true } },
        volumes: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: "20Gi", storageClass: "gp3", accessModes: ["ReadWriteOnce"] }],
        podManagementPolicy: "Parallel",
        updateStrategy: { type: "RollingUpdate", partition: 0, maxUnavailable: 1 },
        minReadySeconds: 5,
        pvcRetention: { whenDeleted: "Retain", whenScaled: "Retain" },
        initContainers: [{ name: "init", image: "busybox:1.37.0", command: ["true"], env: { MODE: "init" }, resources: { limits: { memory: "64Mi" } } }],
        ordinalEnvVar: { name: "MYID", offset: 1, file: "/var/run/ids/myid" },
        resources: { limits: { memory: "1Gi" }, requests: { cpu: "250m", memory: "512Mi" } },
        livenessProbe: { exec: { command: ["pg_isready"] }, periodSeconds: 20 },
        readinessProbe: { tcpSocket: { port: "pg" }, periodSeconds: 10 },
        startupProbe: { httpGet: { path: "/health", port: 9187 }, failureThreshold: 30 },
        terminationGracePeriodSeconds: 60,
        securityContext: { pod: { runAsUser: 999, fsGroup: 999 }, container: { readOnlyRootFilesystem: true } },
        automountServiceAccountToken: false,
        serviceAccountName: "postgres",
        spread: { zones: "required", hosts: "preferred" },
        disruptionBudget: { maxUnavailable: 1 },
        clientService: true,
        podAnnotations: { "example.com/revision": "3" },
        clusterDomain: "cluster.local",
        skipAwait: false,
        nodeSelector: { "example.com/pool": "db" },
        tolerations: [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }],
    };
}

type Segment = string | number;

/** Every argument path of a valid workload: each object field, list element and leaf. */
function argumentPaths(value: unknown, at: Segment[] = [], out: Segment[][] = []): Segment[][] {
    if (at.length > 0) {
        out.push(at);
    }
    if (Array.isArray(value)) {
        value.forEach((item, i) => argumentPaths(item, [...at, i], out));
    } else if (value !== null && typeof value === "object") {
        for (const key of Object.keys(value)) {
            argumentPaths((value as Record<string, unknown>)[key], [...at, key], out);
        }
    }
    return out;
}

const PATHS = argumentPaths(valid());

function cyclic(): Record<string, unknown> {
    const value: Record<string, unknown> = { a: 1 };
    value.self = value;
    return value;
}

/** Hostile replacements; a function marks a hole (the element is deleted). */
const HOLE = Symbol("hole");
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom<unknown>(
        null,
        undefined,
        HOLE,
        "",
        " ",
        "postgres:16.4 ",
        "constructor",
        "__proto__",
        "toString",
        -1,
        0,
        1.5,
        2 ** 31,
        2 ** 53,
        Number.NaN,
        Infinity,
        true,
        false,
        {},
        [],
        [null],
        // eslint-disable-next-line no-sparse-arrays
        [, 1],
        "/proc",
        "/dev/shm",
        "../etc",
        "postgres://app:pl4nted-pw@db/x",
        "jdbc:x://db?password=pl4nted-pw",
        "1Gi",
        "yes",
        "x".repeat(300),
    ),
    fc.constant(null).map(() => pulumi.output("x")),
    fc.constant(null).map(() => pulumi.secret("pl4nted-pw")),
    fc.constant(null).map(() => Promise.resolve(1)),
    fc.constant(null).map(() => cyclic()),
    fc.constant(null).map(() => deepObject(5000)),
    fc.anything({ maxDepth: 2 }),
);

/** Keys that are not arguments (typos and near misses), added next to real ones. */
const typoKey = fc.constantFrom("replica", "voluems", "zoneSpred", "zone", "imag", "periodSecond", "portt", "constructor", "limit", "runAsUsr");

interface Mutation {
    readonly path: Segment[];
    readonly value?: unknown;
    readonly typo?: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ path: fc.constantFrom(...PATHS), value: hostileValue }) },
    { weight: 1, arbitrary: fc.record({ path: fc.constantFrom<Segment[]>([], ...PATHS.filter((p) => typeof p[p.length - 1] === "string")), typo: typoKey, value: hostileValue }) },
);

function apply(args: Record<string, unknown>, m: Mutation): Record<string, unknown> {
    if (m.typo !== undefined) {
        const parent = m.path.reduce<unknown>((node, segment) => (node as Record<string, unknown>)?.[segment as string], args);
        if (parent !== null && typeof parent === "object" && !Array.isArray(parent)) {
            Object.defineProperty(parent, m.typo, { value: m.value ?? 1, enumerable: true, configurable: true, writable: true });
        }
        return args;
    }
    let node = args as Record<Segment, unknown>;
    for (const segment of m.path.slice(0, -1)) {
        node = node[segment] as Record<Segment, unknown>;
        // An earlier mutation replaced a parent: this one has nothing left to change.
        if (node === null || typeof node !== "object") {
            return args;
        }
    }
    const last = m.path[m.path.length - 1];
    if (m.value === HOLE) {
        delete node[last];
    } else {
        node[last] = m.value;
    }
    return args;
}

function renderedObjects(name: string, args: StatefulWorkloadArgs): [KubernetesModel, Record<string, unknown>][] {
    const objects: [KubernetesModel, Record<string, unknown>][] = [
        ["apps/v1/StatefulSet", { apiVersion: "apps/v1", kind: "StatefulSet", ...(buildStatefulSet(name, args) as object) }],
        ["v1/Service", { apiVersion: "v1", kind: "Service", ...(buildHeadlessService(name, args) as object) }],
    ];
    const client = buildClientService(name, args);
    if (client) {
        objects.push(["v1/Service", { apiVersion: "v1", kind: "Service", ...(client as object) }]);
    }
    const budget = buildDisruptionBudget(name, args);
    if (budget) {
        objects.push(["policy/v1/PodDisruptionBudget", { apiVersion: "policy/v1", kind: "PodDisruptionBudget", ...(budget as object) }]);
    }
    return objects;
}

describe("StatefulWorkload hostile-input property", () => {
    before(async () => {
        await recorder();
    });

    it("renders the valid base strictly schema-valid", () => {
        for (const [model, object] of renderedObjects("pg", valid() as unknown as StatefulWorkloadArgs)) {
            const problems = new ProblemList();
            checkKubernetesValue(problems, model, object, model);
            assert.deepStrictEqual(problems.problems, []);
        }
    });

    it(`covers every argument path (${PATHS.length})`, () => {
        assert.ok(PATHS.length > 80, String(PATHS.length));
    });

    it("refuses with non-empty paths and registers nothing, or renders strictly schema-valid objects", async () => {
        const rec = await recorder();
        const tally = hostileTally("StatefulWorkload", SEED, RUNS);
        let refused = 0;
        let accepted = 0;
        await fc.assert(
            fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 2 }), async (mutations) => {
                const args = mutations.reduce(apply, valid()) as unknown as StatefulWorkloadArgs;
                const problems = validateStatefulWorkloadArgs("pg", args);
                if (problems.length > 0) {
                    refused++;
                    tally.refused++;
                    for (const p of problems) {
                        assert.ok(p.path !== "", `empty path in ${JSON.stringify(p)}`);
                        assert.ok(!p.value.includes("pl4nted-pw") && !p.expected.includes("pl4nted-pw"), `a planted credential was printed: ${JSON.stringify(p)}`);
                    }
                    rec.reset();
                    assert.throws(
                        () => new StatefulWorkload("pg", args),
                        (err: unknown) => pulumi.InputPropertiesError.isInstance(err),
                    );
                    await settle();
                    assert.deepStrictEqual(rec.resources, []);
                    return;
                }
                // A null is never taken for "not given": it is refused wherever it is put.
                assert.ok(!mutations.some((m) => m.value === null && m.typo === undefined) || mutations.length > 1, `null accepted at ${JSON.stringify(mutations.map((m) => m.path))}`);
                accepted++;
                tally.accepted++;
                for (const [model, object] of renderedObjects("pg", args)) {
                    const schema = new ProblemList();
                    checkKubernetesValue(schema, model, object, model, { allowOutputs: true });
                    assert.deepStrictEqual(schema.problems, [], `${model} is not strictly schema-valid for ${JSON.stringify(mutations.map((m) => m.path))}`);
                    // The lenient check cannot read an accepted Output (a computed namespace or image); the strict one leaves it out.
                    if (!mutations.some((m) => pulumi.Output.isInstance(m.value) || m.value instanceof Promise)) {
                        assert.deepStrictEqual(validateKubernetesObject(object as never), []);
                    }
                }
            }),
            { seed: SEED, numRuns: RUNS },
        );
        reportHostileTally(tally);
        assert.ok(refused > 0 && accepted > 0, `refused ${refused}, accepted ${accepted}`);
    });
});
