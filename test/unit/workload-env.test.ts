import * as assert from "assert";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { EXPECT } from "../../components/common/kubernetes";
import { EbsStorageClass } from "../../components/storage/ebs-storage-class";
import { buildEnvVars, isDataKey, looksLikeCredential } from "../../components/workload/container-env";
import { StatefulWorkload, StatefulWorkloadArgs } from "../../components/workload/stateful-workload";
import { buildContainers, buildStatefulSet } from "../../components/workload/stateful-workload-spec";
import { validateStatefulWorkloadArgs } from "../../components/workload/stateful-workload-validate";
import { validateKubernetesObject } from "../../tools/engine/schema";
import { StorageClassReference } from "../../components/common/storage-class-ref";
import { expectInvalid, recorder, render } from "../support/pulumi";
import { asReference } from "../support/storage-references";

const base: StatefulWorkloadArgs = {
    namespace: "db",
    image: "postgres:16.4",
    ports: [{ name: "pg", port: 5432 }],
};

const KEY = 'must be a Secret or ConfigMap key: at most 253 letters, digits, \'-\', \'_\' and \'.\', not "." or ".." and not starting with ".."';
const RESERVED = "must not be one of the variables the workload sets itself (POD_NAME, POD_NAMESPACE)";
const credential = (name: string, prefix = "") =>
    `must not be a literal value: ${name} names a credential, and credentials live only in Secrets; reference one with ${prefix}secretEnv.${name}: { secretName, key }`;
const alsoIn = (field: string) => `must not also be set in ${field}: each variable comes from one of env, configMapEnv and secretEnv`;
const ref = (secretName: string, key: string) => ({ secretName, key });

describe("container env helpers", () => {
    const credentials: [string, boolean][] = [
        ["POSTGRES_PASSWORD", true],
        ["DB_PASSWD", true],
        ["GITHUB_TOKEN", true],
        ["AWS_SECRET_ACCESS_KEY", true],
        ["AWS_ACCESS_KEY_ID", true],
        ["API_KEY", true],
        ["STRIPE_APIKEY", true],
        ["TLS_PRIVATE_KEY", true],
        ["dbPassword", true],
        ["GOOGLE_APPLICATION_CREDENTIALS", true],
        ["SECRET", true],
        ["POSTGRES_USER", false],
        ["PGDATA", false],
        ["POSTGRES_PASSWORD_FILE", false],
        ["TLS_SECRET_NAME", false],
        ["TOKEN_PATH", false],
        ["MAX_TOKENS", false],
        ["CACHE_KEY_PREFIX", false],
        ["PWD", false],
        ["PASSWORDLESS_LOGIN", false],
        ["SECRETARY_EMAIL", false],
    ];
    for (const [name, expected] of credentials) {
        it(`looksLikeCredential(${name}) is ${expected}`, () => {
            assert.strictEqual(looksLikeCredential(name), expected);
        });
    }

    it("knows Secret and ConfigMap keys", () => {
        for (const key of ["password", "tls.crt", ".dotfile", "a-b_c.d", "k".repeat(253)]) {
            assert.strictEqual(isDataKey(key), true, key);
        }
        for (const key of ["", ".", "..", "..data", "a/b", "a b", "k".repeat(254), 3]) {
            assert.strictEqual(isDataKey(key), false, String(key));
        }
    });

    it("renders literal, ConfigMap and Secret variables in one list sorted by name", () => {
        assert.deepStrictEqual(
            buildEnvVars({
                configMapEnv: { B_MODE: { configMapName: "settings", key: "mode", optional: false } },
                env: { C_LEVEL: "debug", A_HOST: "db" },
                secretEnv: { A_PASSWORD: { key: "password", optional: true, secretName: "creds" } },
            }),
            [
                { name: "A_HOST", value: "db" },
                { name: "A_PASSWORD", valueFrom: { secretKeyRef: { key: "password", name: "creds", optional: true } } },
                { name: "B_MODE", valueFrom: { configMapKeyRef: { key: "mode", name: "settings", optional: false } } },
                { name: "C_LEVEL", value: "debug" },
            ],
        );
        assert.deepStrictEqual(buildEnvVars({}), []);
    });
});

interface Case {
    readonly title: string;
    readonly change: Partial<StatefulWorkloadArgs> & Record<string, unknown>;
    readonly problems: readonly (readonly [string, string, string])[];
}

const badInputs: Case[] = [
    { title: "a password as a literal", change: { env: { POSTGRES_PASSWORD: "hunter2" } }, problems: [["env.POSTGRES_PASSWORD", "[secret]", credential("POSTGRES_PASSWORD")]] },
    { title: "a token as an Output literal", change: { env: { API_TOKEN: pulumi.secret("t0k3n") as never } }, problems: [["env.API_TOKEN", "[secret]", credential("API_TOKEN")]] },
    {
        title: "an init container's literal secret key",
        change: { initContainers: [{ name: "migrate", env: { AWS_SECRET_ACCESS_KEY: "abc" } }] },
        problems: [["initContainers[0].env.AWS_SECRET_ACCESS_KEY", "[secret]", credential("AWS_SECRET_ACCESS_KEY", "initContainers[0].")]],
    },
    { title: "secretEnv name starting with a digit", change: { secretEnv: { "1PASS": ref("creds", "password") } }, problems: [["secretEnv.1PASS", '"1PASS"', EXPECT.envVarName]] },
    { title: "secretEnv reusing POD_NAME", change: { secretEnv: { POD_NAME: ref("creds", "name") } }, problems: [["secretEnv.POD_NAME", '"POD_NAME"', RESERVED]] },
    {
        title: "configMapEnv reusing the ordinal variable",
        change: { ordinalEnvVar: "ORDINAL", configMapEnv: { ORDINAL: { configMapName: "settings", key: "ordinal" } } },
        problems: [["configMapEnv.ORDINAL", '"ORDINAL"', "must not be one of the variables the workload sets itself (POD_NAME, POD_NAMESPACE, ORDINAL)"]],
    },
    { title: "a name in env and secretEnv", change: { env: { DB_USER: "app" }, secretEnv: { DB_USER: ref("creds", "username") } }, problems: [["secretEnv.DB_USER", '"DB_USER"', alsoIn("env")]] },
    {
        title: "a name in configMapEnv and secretEnv",
        change: { configMapEnv: { DB_HOST: { configMapName: "settings", key: "host" } }, secretEnv: { DB_HOST: ref("creds", "host") } },
        problems: [["secretEnv.DB_HOST", '"DB_HOST"', alsoIn("configMapEnv")]],
    },
    {
        title: "an init container's name in env and configMapEnv",
        change: { initContainers: [{ name: "migrate", env: { MODE: "up" }, configMapEnv: { MODE: { configMapName: "settings", key: "mode" } } }] },
        problems: [["initContainers[0].configMapEnv.MODE", '"MODE"', alsoIn("initContainers[0].env")]],
    },
    { title: "secret key with a slash", change: { secretEnv: { DB_PASSWORD: ref("creds", "db/password") } }, problems: [["secretEnv.DB_PASSWORD.key", '"db/password"', KEY]] },
    { title: "secret key ..data", change: { secretEnv: { DB_PASSWORD: ref("creds", "..data") } }, problems: [["secretEnv.DB_PASSWORD.key", '"..data"', KEY]] },
    { title: "missing secret key", change: { secretEnv: { DB_PASSWORD: { secretName: "creds" } as never } }, problems: [["secretEnv.DB_PASSWORD.key", "undefined", KEY]] },
    { title: "Secret name upper-case", change: { secretEnv: { DB_PASSWORD: ref("Creds", "password") } }, problems: [["secretEnv.DB_PASSWORD.secretName", '"Creds"', EXPECT.dns1123Subdomain]] },
    { title: "missing Secret name", change: { secretEnv: { DB_PASSWORD: { key: "password" } as never } }, problems: [["secretEnv.DB_PASSWORD.secretName", "undefined", EXPECT.dns1123Subdomain]] },
    {
        title: "ConfigMap name with an underscore",
        change: { configMapEnv: { MODE: { configMapName: "app_settings", key: "mode" } } },
        problems: [["configMapEnv.MODE.configMapName", '"app_settings"', EXPECT.dns1123Subdomain]],
    },
    {
        title: "optional as a string",
        change: { configMapEnv: { MODE: { configMapName: "settings", key: "mode", optional: "yes" as never } } },
        problems: [["configMapEnv.MODE.optional", '"yes"', "must be true or false"]],
    },
    { title: "a reference given as a string", change: { secretEnv: { DB_PASSWORD: "creds/password" as never } }, problems: [["secretEnv.DB_PASSWORD", "[secret]", "must be { secretName, key, optional? }"]] },
    { title: "secretEnv as a list", change: { secretEnv: [ref("creds", "password")] as never }, problems: [["secretEnv", '[{"secretName":"creds","key":"password"}]', "must be an object mapping variable names to values"]] },
];

describe("StatefulWorkload env from Secrets and ConfigMaps", () => {
    for (const c of badInputs) {
        it(`refuses ${c.title}`, () => {
            const problems = validateStatefulWorkloadArgs("pg", { ...base, ...c.change } as StatefulWorkloadArgs).map((p) => [p.path, p.value, p.expected]);
            assert.deepStrictEqual(problems, c.problems);
        });
    }

    it("accepts references with Output names and credential-looking names that are not credentials", () => {
        const args: StatefulWorkloadArgs = {
            ...base,
            configMapEnv: { DB_HOST: { configMapName: pulumi.output("settings"), key: "host" } },
            env: { PGDATA: "/data/pgdata", POSTGRES_PASSWORD_FILE: "/run/secrets/password", TLS_SECRET_NAME: "tls" },
            initContainers: [{ name: "migrate", secretEnv: { PGPASSWORD: ref("creds", "password") } }],
            secretEnv: { POSTGRES_PASSWORD: { key: "password", optional: false, secretName: pulumi.output("creds") } },
        };
        assert.deepStrictEqual(validateStatefulWorkloadArgs("pg", args), []);
    });

    it("renders the references into the main and init containers, sorted after the identity variables", () => {
        const args: StatefulWorkloadArgs = {
            ...base,
            configMapEnv: { POSTGRES_DB: { configMapName: "settings", key: "database" } },
            env: { PGDATA: "/data/pgdata", POSTGRES_USER: "postgres" },
            initContainers: [{ name: "migrate", secretEnv: { PGPASSWORD: ref("creds", "password") }, env: { PGUSER: "postgres" } }],
            ordinalEnvVar: "ORDINAL",
            secretEnv: { POSTGRES_PASSWORD: ref("creds", "password") },
        };
        const { containers, initContainers } = buildContainers("pg", args);
        const names = (env: unknown) => (env as { name: string }[]).map((e) => e.name);
        assert.deepStrictEqual(names(containers[0].env), ["POD_NAME", "POD_NAMESPACE", "ORDINAL", "PGDATA", "POSTGRES_DB", "POSTGRES_PASSWORD", "POSTGRES_USER"]);
        assert.deepStrictEqual((containers[0].env as unknown[]).slice(4, 6), [
            { name: "POSTGRES_DB", valueFrom: { configMapKeyRef: { key: "database", name: "settings" } } },
            { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { key: "password", name: "creds" } } },
        ]);
        assert.deepStrictEqual((initContainers[0].env as unknown[]).slice(3), [
            { name: "PGPASSWORD", valueFrom: { secretKeyRef: { key: "password", name: "creds" } } },
            { name: "PGUSER", value: "postgres" },
        ]);
        const sts = buildStatefulSet("pg", args);
        assert.deepStrictEqual(validateKubernetesObject({ apiVersion: "apps/v1", kind: "StatefulSet", ...sts } as never), []);
    });

    it("refuses a literal password from the constructor without printing it, registering nothing", async () => {
        let refused: { message: string; paths: string[] } | undefined;
        const rec = await render(() => {
            refused = expectInvalid(() => new StatefulWorkload("pg", { ...base, env: { POSTGRES_PASSWORD: "hunter2" } }));
        });
        assert.deepStrictEqual(rec.resources, []);
        assert.deepStrictEqual(refused, {
            message: `StatefulWorkload "pg" has 1 invalid argument:\n  - env.POSTGRES_PASSWORD: ${credential("POSTGRES_PASSWORD")} (got [secret])`,
            paths: ["env.POSTGRES_PASSWORD"],
        });
    });

    const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,12}$/).filter((n) => !looksLikeCredential(n) && n !== "POD_NAME" && n !== "POD_NAMESPACE");
    const kind = fc.constantFrom("env", "configMapEnv", "secretEnv");

    it("renders every accepted mix of variables schema-valid, sorted and each name once", () => {
        fc.assert(
            fc.property(fc.uniqueArray(fc.tuple(envName, kind), { maxLength: 8, selector: ([n]) => n }), (vars) => {
                const args: Record<string, Record<string, unknown>> = { env: {}, configMapEnv: {}, secretEnv: {} };
                for (const [name, k] of vars) {
                    args[k][name] = k === "env" ? "v" : k === "secretEnv" ? ref("creds", "k.1") : { configMapName: "settings", key: "k-1" };
                }
                const full = { ...base, ...args } as StatefulWorkloadArgs;
                assert.deepStrictEqual(validateStatefulWorkloadArgs("pg", full), []);
                const names = (buildContainers("pg", full).containers[0].env as { name: string }[]).map((e) => e.name).slice(2);
                assert.deepStrictEqual(names, vars.map(([n]) => n).sort());
                assert.deepStrictEqual(validateKubernetesObject({ apiVersion: "apps/v1", kind: "StatefulSet", ...buildStatefulSet("pg", full) } as never), []);
            }),
            { numRuns: 60 },
        );
    });

    it("names the repeated variable for every name given twice", () => {
        fc.assert(
            fc.property(envName, fc.constantFrom<[string, string]>(["env", "configMapEnv"], ["env", "secretEnv"], ["configMapEnv", "secretEnv"]), (name, [first, second]) => {
                const value = (k: string) => (k === "env" ? "v" : k === "secretEnv" ? ref("creds", "k") : { configMapName: "settings", key: "k" });
                const args = { ...base, [first]: { [name]: value(first) }, [second]: { [name]: value(second) } } as StatefulWorkloadArgs;
                assert.deepStrictEqual(
                    validateStatefulWorkloadArgs("pg", args).map((p) => [p.path, p.expected]),
                    [[`${second}.${name}`, alsoIn(first)]],
                );
            }),
            { numRuns: 40 },
        );
    });
});

describe("StatefulWorkload IOPS per GiB cross-check", () => {
    let io1: StorageClassReference;
    let io2Auto: StorageClassReference;
    let gp3PerGb: StorageClassReference;
    let io2Unknown: StorageClassReference;

    before(async () => {
        await recorder();
        io1 = asReference(new EbsStorageClass("wx-io1-per-gb", { iopsPerGb: 10, volumeType: "io1" }), "wx-io1-per-gb");
        io2Auto = asReference(new EbsStorageClass("wx-io2-auto", { allowAutoIopsPerGbIncrease: true, iopsPerGb: 2, volumeType: "io2" }), "wx-io2-auto");
        gp3PerGb = asReference(new EbsStorageClass("wx-gp3-per-gb", { allowAutoIopsPerGbIncrease: false, iopsPerGb: 100 }), "wx-gp3-per-gb");
        io2Unknown = asReference(new EbsStorageClass("wx-io2-unknown", { iopsPerGb: pulumi.output(2), volumeType: "io2" }), "wx-io2-unknown");
    });

    const sized = (storageClass: StorageClassReference, size: string): StatefulWorkloadArgs => ({ ...base, volumes: [{ mountPath: "/data", name: "data", size, storageClass }] });
    const problems = (args: StatefulWorkloadArgs) => validateStatefulWorkloadArgs("pg", args).map((p) => [p.path, p.value, p.expected]);
    const sizeRefused = (size: string, expected: string) => [["volumes[0].size", JSON.stringify(size), expected]];

    it("reads the class's plain allowAutoIopsPerGbIncrease and iopsPerGb from its facts", () => {
        assert.strictEqual(io1.storageFacts.ebs?.allowAutoIopsPerGbIncrease, undefined);
        assert.strictEqual(io2Auto.storageFacts.ebs?.allowAutoIopsPerGbIncrease, true);
        assert.strictEqual(gp3PerGb.storageFacts.ebs?.allowAutoIopsPerGbIncrease, false);
        assert.strictEqual(io2Unknown.storageFacts.ebs?.iopsPerGb, undefined);
    });

    it("refuses an io1 claim whose IOPS per GiB stay below the 100 IOPS minimum", () => {
        assert.deepStrictEqual(problems(sized(io1, "8Gi")), sizeRefused("8Gi", "must be at least 10Gi: the StorageClass provisions 10 IOPS per GiB, 80 IOPS at 8Gi, below the io1 minimum of 100 IOPS, and the EBS CSI driver fails such a claim unless the class sets allowAutoIopsPerGbIncrease: true"));
        assert.deepStrictEqual(problems(sized(io1, "10Gi")), []);
    });

    it("refuses a gp3 claim below the 3,000 IOPS minimum when auto-increase is off, counting partial GiB as whole", () => {
        assert.deepStrictEqual(problems(sized(gp3PerGb, "28Gi")), sizeRefused("28Gi", "must be at least 30Gi: the StorageClass provisions 100 IOPS per GiB, 2800 IOPS at 28Gi, below the gp3 minimum of 3000 IOPS, and the EBS CSI driver fails such a claim unless the class sets allowAutoIopsPerGbIncrease: true"));
        assert.deepStrictEqual(problems(sized(gp3PerGb, "29.5Gi")), []);
    });

    it("accepts small claims when the driver may raise the IOPS, or when iopsPerGb is an Output", () => {
        assert.deepStrictEqual(problems(sized(io2Auto, "4Gi")), []);
        assert.deepStrictEqual(problems(sized(io2Unknown, "4Gi")), []);
    });

    it("accepts claims whose IOPS exceed the type's maximum: the driver caps them", () => {
        assert.deepStrictEqual(problems(sized(io1, "16384Gi")), []);
        assert.deepStrictEqual(problems(sized(gp3PerGb, "65536Gi")), []);
    });
});
