import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EXPECT_CHECK } from "../../components/common/checks";
import { EXPECT } from "../../components/common/kubernetes";
import { StatefulWorkload, StatefulWorkloadArgs } from "../../components/workload/stateful-workload";
import { claimNames, podDnsNames, statefulWorkloadNames } from "../../components/workload/stateful-workload-spec";
import { validateStatefulWorkloadArgs } from "../../components/workload/stateful-workload-validate";
import { expectInvalid, recorder, render } from "../support/pulumi";
import { deepObject } from "../support/hostile";

/** Bad inputs a config-driven or hostile caller gives: each refused with its exact message, before anything registers. */

const base: StatefulWorkloadArgs = {
    namespace: "db",
    image: "postgres:16.4",
    ports: [{ name: "pg", port: 5432 }],
    volumes: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: "20Gi", storageClass: "gp3" }],
};

/** Credentials planted in the inputs: no refusal may print them. */
const PLANTED = ["73510296", "pl4nted-pw", "s3cr3t-planted", "hunter2-planted"];

const unknown = (suggestion: string) => `is not a known field; did you mean "${suggestion}"?`;
const literal = (name: string, prefix = "") =>
    `must not be a literal value: ${name} names a credential, and credentials live only in Secrets; reference one with ${prefix}secretEnv.${name}: { secretName, key }`;
const passwordValue = (name: string) =>
    `must not be a literal value: the value holds a password (a URL's user:password@ or a password= parameter), and credentials live only in Secrets; reference one with secretEnv.${name}: { secretName, key }`;
const OUTPUT_ENV = (name: string) =>
    `must be a plain string, not an Output or a Promise: whether it holds a secret is only known after the pod spec is sent, and a secret must never be rendered into it; put a computed setting in a ConfigMap and read it with configMapEnv.${name}, a secret in a Secret with secretEnv.${name}`;
const COMMAND = 'must be a list of strings, e.g. ["postgres", "-c", "max_connections=200"]: a single string is not split into words';
const COMMAND_PASSWORD = "must not hold a password (a URL's user:password@ or a password= parameter): the pod spec is not secret; pass it in an environment variable set with secretEnv";
const VOLUMES = "must be a list of { name, mountPath, size, storageClass, accessModes?, volumeAttributesClass? }";
const QUANTITY = `${EXPECT.quantity}, given as a string`;
const NULL_FIELD = "must not be null; leave the field out instead";
const ITEM_NULL = "must not be null or undefined";

interface Case {
    readonly title: string;
    readonly change: Record<string, unknown>;
    /** [path, value as rendered, expectation] of every problem, in order. */
    readonly problems: readonly (readonly [string, string, string])[];
}

const cases: Case[] = [
    // Typos: refused with a did-you-mean instead of silently dropped.
    { title: "replica for replicas", change: { replica: 3 }, problems: [["replica", "3", unknown("replicas")]] },
    { title: "voluems for volumes", change: { voluems: [] }, problems: [["voluems", "[]", unknown("volumes")]] },
    { title: "spread.zone for spread.zones", change: { spread: { zone: "required" } }, problems: [["spread.zone", '"required"', unknown("zones")]] },
    { title: "zoneSpred at the top level", change: { zoneSpred: "required" }, problems: [["zoneSpred", '"required"', unknown("spread")]] },
    { title: "a typo in a volume", change: { volumes: [{ ...base.volumes![0], accesModes: ["ReadWriteOnce"] }] }, problems: [["volumes[0].accesModes", '["ReadWriteOnce"]', unknown("accessModes")]] },
    { title: "a typo in an init container", change: { initContainers: [{ name: "init", imag: "busybox:1.37.0" }] }, problems: [["initContainers[0].imag", '"busybox:1.37.0"', unknown("image")]] },
    { title: "a typo in the update strategy", change: { updateStrategy: { type: "RollingUpdate", partiton: 1 } }, problems: [["updateStrategy.partiton", "1", unknown("partition")]] },
    { title: "a typo in the claim retention", change: { pvcRetention: { whenDelete: "Retain" } }, problems: [["pvcRetention.whenDelete", '"Retain"', unknown("whenDeleted")]] },
    { title: "a typo in a Secret reference", change: { secretEnv: { DB_USER: { secretName: "creds", key: "user", optinal: true } } }, problems: [["secretEnv.DB_USER.optinal", "true", unknown("optional")]] },
    { title: "a typo in a probe (schema)", change: { livenessProbe: { exec: { command: ["true"] }, periodSecond: 5 } }, problems: [["livenessProbe.periodSecond", "5", unknown("periodSeconds")]] },
    { title: "a typo in a port", change: { ports: [{ name: "pg", port: 5432, targetport: 5433 }] }, problems: [["ports[0].targetport", "5433", unknown("targetPort")]] },
    { title: "a prototype member as an argument", change: { toString: 1 }, problems: [["toString", "1", "is not a known field"]] },

    // TypeErrors before: now refusals.
    { title: "ports: [null]", change: { ports: [null] }, problems: [["ports[0]", "null", ITEM_NULL]] },
    // eslint-disable-next-line no-sparse-arrays
    { title: "a sparse ports list", change: { ports: [{ name: "pg", port: 5432 }, , { name: "pg2", port: 5433 }] }, problems: [["ports[1]", "undefined", EXPECT_CHECK.hole]] },
    { title: "volumes: {}", change: { volumes: {} }, problems: [["volumes", "{}", VOLUMES]] },
    { title: "volumes: [null]", change: { volumes: [null] }, problems: [["volumes[0]", "null", ITEM_NULL]] },
    { title: "readinessProbe: null", change: { readinessProbe: null }, problems: [["readinessProbe", "null", NULL_FIELD]] },
    {
        title: "ordinalEnvVar: { file: 5 }",
        change: { ordinalEnvVar: { file: 5 } },
        problems: [
            ["ordinalEnvVar.name", "undefined", "is required: the environment variable that holds the ordinal"],
            ["ordinalEnvVar.file", "5", EXPECT_CHECK.absolutePath],
        ],
    },
    { title: "statefulSetName: null", change: { statefulSetName: null }, problems: [["statefulSetName", "null", "must be a DNS-1123 label starting with a letter, at most 52 characters (the controller-revision-hash label must fit in 63, and the Services are named after it)"]] },
    { title: "accessModes: null", change: { volumes: [{ ...base.volumes![0], accessModes: null }] }, problems: [["volumes[0].accessModes", "null", "must be a list of access modes"]] },
    { title: "initContainers: [null]", change: { initContainers: [null] }, problems: [["initContainers[0]", "null", ITEM_NULL]] },
    { title: "externalStores: {}", change: { externalStores: {} }, problems: [["externalStores", "{}", "must be a list of ExternalStore components"]] },
    { title: "env as a list", change: { env: [] }, problems: [["env", "[]", "must be an object mapping variable names to values"]] },
    // eslint-disable-next-line no-sparse-arrays
    { title: "a hole in the access modes", change: { volumes: [{ ...base.volumes![0], accessModes: [, "ReadWriteOnce"] }] }, problems: [["volumes[0].accessModes[0]", "undefined", EXPECT_CHECK.hole]] },
    { title: "a 5,000-deep annotation value", change: { podAnnotations: { x: deepObject(5000) } }, problems: [["podAnnotations.x", '{"a":{"a":{"a":{"a":{…}}}}}', EXPECT_CHECK.string]] },

    // Values the API server would refuse later: now refused here.
    { title: 'command: "postgres"', change: { command: "postgres" }, problems: [["command", '"postgres"', COMMAND]] },
    { title: "args: [5432]", change: { args: [5432] }, problems: [["args[0]", "5432", "must be a string"]] },
    { title: 'resources: { limits: "1Gi" }', change: { resources: { limits: "1Gi" } }, problems: [["resources.limits", '"1Gi"', "must be an object"]] },
    { title: "a memory limit as a number", change: { resources: { limits: { memory: 5 } } }, problems: [["resources.limits.memory", "5", QUANTITY]] },
    { title: 'securityContext: { pod: "yes" }', change: { securityContext: { pod: "yes" } }, problems: [["securityContext.pod", '"yes"', "must be an object"]] },
    { title: "securityContext with an unknown side", change: { securityContext: { pods: {} } }, problems: [["securityContext.pods", "{}", unknown("pod")]] },
    { title: "runAsUser: -1", change: { securityContext: { pod: { runAsUser: -1 } } }, problems: [["securityContext.pod.runAsUser", "-1", "must be an integer from 0 to 2147483647"]] },
    { title: "a capability given as a string", change: { securityContext: { container: { capabilities: { add: "NET_ADMIN" } } } }, problems: [["securityContext.container.capabilities.add", '"NET_ADMIN"', "must be a list"]] },
    { title: "minReadySeconds: 2**31", change: { minReadySeconds: 2 ** 31 }, problems: [["minReadySeconds", "2147483648", "must be an integer from 0 to 2147483647"]] },
    { title: "an image with a trailing space", change: { image: "postgres:16.4 " }, problems: [["image", '"postgres:16.4 "', EXPECT_CHECK.image]] },
    { title: "an image given as a URL with a password", change: { image: "postgres://app:pl4nted-pw@db/x" }, problems: [["image", '"postgres://[secret]@db/x"', EXPECT_CHECK.image]] },
    {
        title: "a password typed where its secretEnv reference belongs",
        change: { secretEnv: { DB_PASSWORD: "hunter2-planted" } },
        problems: [["secretEnv.DB_PASSWORD", "[secret]", "must be { secretName, key, optional? }"]],
    },
    { title: "replicas: 2**31 (bounded before podDnsNames)", change: { replicas: 2 ** 31 }, problems: [["replicas", "2147483648", "must be an integer from 0 to 10000"]] },
    { title: 'podManagementPolicy: "constructor"', change: { podManagementPolicy: "constructor" }, problems: [["podManagementPolicy", '"constructor"', 'must be one of "OrderedReady", "Parallel"']] },
    { title: "a toleration operator typo", change: { tolerations: [{ key: "dedicated", operator: "Exist" }] }, problems: [["tolerations[0].operator", '"Exist"', 'must be one of "Equal", "Exists"']] },
    { title: "a node selector key with a space", change: { nodeSelector: { "bad key": "x" } }, problems: [["nodeSelector.bad key", '"bad key"', EXPECT_CHECK.labelKey]] },
    { title: "disruptionBudget: true", change: { disruptionBudget: true }, problems: [["disruptionBudget", "true", "must be false or an object with maxUnavailable or minAvailable"]] },
    { title: "skipAwait as a string", change: { skipAwait: "true" }, problems: [["skipAwait", '"true"', EXPECT_CHECK.boolean]] },
    { title: "replicas as an Output", change: { replicas: pulumi.output(3) }, problems: [["replicas", "an Output", EXPECT_CHECK.deferred]] },

    // Host file systems.
    { title: "a volume over /proc", change: { volumes: [{ ...base.volumes![0], mountPath: "/proc/x" }] }, problems: [["volumes[0].mountPath", '"/proc/x"', EXPECT_CHECK.systemPath]] },
    { title: "a volume over /dev", change: { volumes: [{ ...base.volumes![0], mountPath: "/dev" }] }, problems: [["volumes[0].mountPath", '"/dev"', EXPECT_CHECK.systemPath]] },
    { title: "a volume over /sys", change: { volumes: [{ ...base.volumes![0], mountPath: "/sys/fs/cgroup" }] }, problems: [["volumes[0].mountPath", '"/sys/fs/cgroup"', EXPECT_CHECK.systemPath]] },

    // Credentials outside Secrets, never printed.
    { title: "PGPASSWORD literal", change: { env: { PGPASSWORD: "s3cr3t-planted" } }, problems: [["env.PGPASSWORD", "[secret]", literal("PGPASSWORD")]] },
    { title: "MYSQL_PWD literal", change: { env: { MYSQL_PWD: "pl4nted-pw" } }, problems: [["env.MYSQL_PWD", "[secret]", literal("MYSQL_PWD")]] },
    { title: "DB_PASS literal", change: { env: { DB_PASS: "pl4nted-pw" } }, problems: [["env.DB_PASS", "[secret]", literal("DB_PASS")]] },
    { title: "PGPASS literal", change: { env: { PGPASS: "pl4nted-pw" } }, problems: [["env.PGPASS", "[secret]", literal("PGPASS")]] },
    { title: "REDIS_AUTH literal", change: { env: { REDIS_AUTH: "pl4nted-pw" } }, problems: [["env.REDIS_AUTH", "[secret]", literal("REDIS_AUTH")]] },
    { title: "JWT_SIGNING_KEY literal", change: { env: { JWT_SIGNING_KEY: "pl4nted-pw" } }, problems: [["env.JWT_SIGNING_KEY", "[secret]", literal("JWT_SIGNING_KEY")]] },
    { title: "ENCRYPTION_KEY literal", change: { env: { ENCRYPTION_KEY: "pl4nted-pw" } }, problems: [["env.ENCRYPTION_KEY", "[secret]", literal("ENCRYPTION_KEY")]] },
    { title: "API_KEY literal", change: { env: { API_KEY: "pl4nted-pw" } }, problems: [["env.API_KEY", "[secret]", literal("API_KEY")]] },
    { title: "a numeric DB_PASSWORD never printed", change: { env: { DB_PASSWORD: 73510296 } }, problems: [["env.DB_PASSWORD", "[secret]", literal("DB_PASSWORD")]] },
    { title: "DATABASE_URL with userinfo", change: { env: { DATABASE_URL: "postgres://app:pl4nted-pw@db/x" } }, problems: [["env.DATABASE_URL", "[secret]", passwordValue("DATABASE_URL")]] },
    { title: "a JDBC URL with password=", change: { env: { JDBC_URL: "jdbc:postgresql://db/x?user=app&password=pl4nted-pw" } }, problems: [["env.JDBC_URL", "[secret]", passwordValue("JDBC_URL")]] },
    { title: "a secret Output as a literal env value", change: { env: { PGDATA: pulumi.secret("/var/lib/postgresql/data/pgdata") } }, problems: [["env.PGDATA", "an Output", OUTPUT_ENV("PGDATA")]] },
    {
        title: "an init container's REDIS_AUTH",
        change: { initContainers: [{ name: "init", env: { REDIS_AUTH: "hunter2-planted" } }] },
        problems: [["initContainers[0].env.REDIS_AUTH", "[secret]", literal("REDIS_AUTH", "initContainers[0].")]],
    },
    {
        title: "a credential read from a ConfigMap",
        change: { configMapEnv: { DB_PASSWORD: { configMapName: "settings", key: "password" } } },
        problems: [
            [
                "configMapEnv.DB_PASSWORD",
                "[secret]",
                "must not be read from a ConfigMap: DB_PASSWORD names a credential, and credentials live only in Secrets (a ConfigMap is readable by anyone who can read the namespace's configuration); reference one with secretEnv.DB_PASSWORD: { secretName, key }",
            ],
        ],
    },
    {
        title: "a password in a pod annotation",
        change: { podAnnotations: { "example.com/dsn": "postgres://app:hunter2-planted@db/x" } },
        problems: [["podAnnotations.example.com/dsn", "[secret]", "must not hold a password (a URL's user:password@ or a password= parameter): the pod template is not secret"]],
    },
    { title: "a password in args", change: { args: ["--url=postgres://app:hunter2-planted@db/x"] }, problems: [["args[0]", "[secret]", COMMAND_PASSWORD]] },
    {
        title: "a password in a probe command",
        change: { livenessProbe: { exec: { command: ["psql", "postgres://app:hunter2-planted@db/x"] } } },
        problems: [
            [
                "livenessProbe.exec.command",
                "[secret]",
                "must not hold a password (a URL's user:password@ or a password= parameter): the pod spec is not secret; read it from an environment variable set with secretEnv",
            ],
        ],
    },
];

describe("StatefulWorkload hostile inputs", () => {
    it(`has at least 40 cases (${cases.length})`, () => {
        assert.ok(cases.length >= 40);
    });

    for (const c of cases) {
        it(`refuses ${c.title}`, () => {
            const problems = validateStatefulWorkloadArgs("pg", { ...base, ...c.change } as unknown as StatefulWorkloadArgs);
            assert.deepStrictEqual(
                problems.map((p) => [p.path, p.value, p.expected]),
                c.problems,
            );
            const text = JSON.stringify(problems);
            assert.deepStrictEqual(PLANTED.filter((planted) => text.includes(planted)), [], "a planted credential was printed");
        });
    }

    const wholeArgs: [string, unknown, string, string][] = [
        ["an Output", pulumi.output(base), "an Output", EXPECT_CHECK.deferredArgs],
        ["a Promise", Promise.resolve(base), "a Promise", EXPECT_CHECK.deferredArgs],
        ["null", null, "null", "must be an object"],
        ["a list", [], "[]", "must be an object"],
        ["a number", 5, "5", "must be an object"],
    ];
    for (const [title, args, value, expected] of wholeArgs) {
        it(`refuses the whole args as ${title}`, () => {
            assert.deepStrictEqual(validateStatefulWorkloadArgs("pg", args as StatefulWorkloadArgs), [{ path: "args", value, expected }]);
        });
    }
});

describe("StatefulWorkload name lists", () => {
    it("refuse a replica count beyond the maximum instead of allocating it", () => {
        const names = statefulWorkloadNames("pg", {});
        assert.throws(() => podDnsNames(names, 2 ** 31, "db"), new RangeError("replicas must be an integer from 0 to 10000, got 2147483648"));
        assert.throws(() => claimNames("pg", [{ name: "data" }], -1), new RangeError("replicas must be an integer from 0 to 10000, got -1"));
        assert.strictEqual(podDnsNames(names, 10000, "db").length, 10000);
    });
});

describe("StatefulWorkload refusals register nothing", () => {
    before(async () => {
        await recorder();
    });

    it("throws every problem at once for a config full of mistakes, before registering anything", async () => {
        let refused: { message: string; paths: string[] } | undefined;
        const rec = await render(() => {
            refused = expectInvalid(
                () =>
                    new StatefulWorkload("pg", {
                        ...base,
                        replica: 3,
                        env: { DB_PASSWORD: 73510296 },
                        ports: [null],
                        readinessProbe: null,
                        minReadySeconds: 2 ** 31,
                    } as unknown as StatefulWorkloadArgs),
            );
        });
        assert.deepStrictEqual(rec.resources, []);
        assert.deepStrictEqual(refused, {
            message: [
                'StatefulWorkload "pg" has 5 invalid arguments:',
                `  - replica: ${unknown("replicas")} (got 3)`,
                `  - ports[0]: ${ITEM_NULL} (got null)`,
                `  - env.DB_PASSWORD: ${literal("DB_PASSWORD")} (got [secret])`,
                `  - readinessProbe: ${NULL_FIELD} (got null)`,
                "  - minReadySeconds: must be an integer from 0 to 2147483647 (got 2147483648)",
            ].join("\n"),
            paths: ["replica", "ports[0]", "env.DB_PASSWORD", "readinessProbe", "minReadySeconds"],
        });
        assert.ok(!refused!.message.includes("73510296"));
    });

    it("refuses a getter that throws, at its path, without registering", async () => {
        const args = { ...base };
        Object.defineProperty(args, "replicas", {
            enumerable: true,
            get() {
                throw new Error("boom");
            },
        });
        let refused: { message: string; paths: string[] } | undefined;
        const rec = await render(() => {
            refused = expectInvalid(() => new StatefulWorkload("pg", args));
        });
        assert.deepStrictEqual(rec.resources, []);
        assert.deepStrictEqual(refused, { message: 'StatefulWorkload "pg" has 1 invalid argument:\n  - replicas: could not be read (a getter threw) (got undefined)', paths: ["replicas"] });
    });

    it("renders what it validated, however often a getter is read", async () => {
        let reads = 0;
        const args = { ...base };
        Object.defineProperty(args, "image", {
            enumerable: true,
            get() {
                reads++;
                return reads === 1 ? "postgres:16.4" : "postgres:16.4 ; rm -rf /";
            },
        });
        const rec = await render(() => new StatefulWorkload("pg", args));
        assert.strictEqual(reads, 1);
        assert.strictEqual(rec.get("kubernetes:apps/v1:StatefulSet", "pg").inputs.spec.template.spec.containers[0].image, "postgres:16.4");
    });

    it("refuses args given as an Output without registering or throwing a TypeError", async () => {
        let refused: { message: string; paths: string[] } | undefined;
        const rec = await render(() => {
            refused = expectInvalid(() => new StatefulWorkload("pg", pulumi.output(base) as unknown as StatefulWorkloadArgs));
        });
        assert.deepStrictEqual(rec.resources, []);
        assert.deepStrictEqual(refused, { message: `StatefulWorkload "pg" has 1 invalid argument:\n  - args: ${EXPECT_CHECK.deferredArgs} (got an Output)`, paths: ["args"] });
    });
});
