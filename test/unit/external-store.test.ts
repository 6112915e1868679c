import * as assert from "assert";
import { createHmac, pbkdf2Sync } from "crypto";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import {
    buildExternalStoreConfigData,
    buildExternalStoreEnv,
    buildExternalStoreEnvFrom,
    buildExternalStoreSecretData,
    ExternalStoreArgs,
    externalStoreChecksum,
    externalStoreChecksumAnnotation,
    externalStoreNames,
    isHost,
    SECRET_LOOKING_KEY,
    validateExternalStoreArgs,
} from "../../components/external/external-store";
import { buildWaitForStoreContainer, externalStoreWiringProblems, StoreEndpoint, waitForStoreScript } from "../../components/external/wiring";
import { formatProblems } from "../../components/common/validation";
import { EXPECT } from "../../components/common/kubernetes";
import { validateKubernetesObject } from "../../tools/engine/schema";
import { BadCase, itRefusesEachAt } from "../support/problems";

const BASE: ExternalStoreArgs = { engine: "postgresql", hosts: ["db.example.com"], namespace: "shop", password: "correct-horse", username: "app" };

/** The exact text of a single-problem error, as the user sees it. */
const HOST = "must be an IPv4 address, an IPv6 address or a DNS name, without scheme or port";
const CREDENTIAL =
    'looks like a credential, and options are written to a ConfigMap, which is not secret; put the password in "password" and other secret settings in "secretOptions" (or in the Secret named by "existingSecretName")';

const CARRIES =
    'carries a credential (a password, a token or a URL\'s user name); options are written to a ConfigMap, which is not secret; put the password in "password" and other secret settings in "secretOptions" (or in the Secret named by "existingSecretName")';

const CHECKSUM_KEY = "must be a string of at least 32 characters (for example from `openssl rand -base64 32`), best given as a secret Output from stack config";

export const EXTERNAL_BAD_CASES: readonly BadCase<ExternalStoreArgs>[] = [
    { title: "upper-case name", name: "Orders", args: {}, path: "name", expected: "must be a DNS-1035 label of at most 48 characters: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit", got: '"Orders"' },
    { title: "name too long for the checksum annotation", name: "a".repeat(49), args: {}, path: "name", expected: "must be a DNS-1035 label of at most 48 characters: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit", got: `"${"a".repeat(49)}"` },
    { title: "namespace with underscore", args: { namespace: "my_ns" }, path: "namespace", expected: EXPECT.dns1123Label, got: '"my_ns"' },
    { title: "unknown engine", args: { engine: "postgres" }, path: "engine", expected: 'must be one of "postgresql", "mysql", "mariadb", "sqlserver", "oracle", "mongodb", "redis", "cassandra", "other"', got: '"postgres"' },
    { title: "no hosts", args: { hosts: [] }, path: "hosts", expected: "must not be empty", got: "[]" },
    { title: "host with port", args: { hosts: ["db.example.com:5432"] }, path: "hosts[0]", expected: `${HOST}; give the port in "port"`, got: '"db.example.com:5432"' },
    { title: "host with scheme", args: { hosts: ["postgres://db.example.com"] }, path: "hosts[0]", expected: `${HOST}; give only the host name`, got: '"postgres://db.example.com"' },
    { title: "IPv4 out of range", args: { hosts: ["10.0.0.1", "999.1.1.1"] }, path: "hosts[1]", expected: HOST, got: '"999.1.1.1"' },
    { title: "host with space", args: { hosts: ["db example"] }, path: "hosts[0]", expected: HOST, got: '"db example"' },
    { title: "repeated host", args: { hosts: ["a.example.com", "A.example.com"] }, path: "hosts[1]", expected: "must not repeat a host listed before", got: '"A.example.com"' },
    { title: "port zero", args: { port: 0 }, path: "port", expected: EXPECT.port, got: "0" },
    { title: "port too large", args: { port: 70000 }, path: "port", expected: EXPECT.port, got: "70000" },
    { title: "port missing for engine other", args: { engine: "other" }, path: "port", expected: `is required when engine is "other"; ${EXPECT.port}`, got: "undefined" },
    { title: "database with space", args: { database: "my db" }, path: "database", expected: "must be a non-empty name of at most 253 characters, without spaces or commas", got: '"my db"' },
    { title: "password in options", args: { options: { password: "x" } }, path: "options.password", expected: 'key is reserved for the store\'s own PASSWORD; use the "password" argument', got: '"password"' },
    { title: "sslpassword in options", args: { options: { sslpassword: "hunter22" } }, path: "options.sslpassword", expected: CREDENTIAL, got: "[secret]" },
    { title: "token in options", args: { options: { authToken: "abc" } }, path: "options.authToken", expected: CREDENTIAL, got: "[secret]" },
    { title: "api key in options", args: { options: { API_KEY: "abc" } }, path: "options.API_KEY", expected: CREDENTIAL, got: "[secret]" },
    { title: "credential file option", args: { options: { credentials: "abc" } }, path: "options.credentials", expected: CREDENTIAL, got: "[secret]" },
    { title: "URL with password in options", args: { options: { url: "postgres://app:hunter2@db/orders" } }, path: "options.url", expected: CARRIES, got: "[secret]" },
    { title: "option key that is not an env name", args: { options: { "ssl-mode": "require" } }, path: "options.ssl-mode", expected: `key ${EXPECT.envVarName}`, got: '"ssl-mode"' },
    { title: "option value not a string", args: { options: { timeout: 5 } }, path: "options.timeout", expected: "must be a string", got: "5" },
    { title: "option key clashing after upper-casing", args: { options: { sslmode: "a", SSLMODE: "b" } }, path: "options.sslmode", expected: 'key becomes SSLMODE, which "options.SSLMODE" already uses', got: '"sslmode"' },
    { title: "neither password nor existing Secret", args: { password: undefined }, path: "password", expected: 'is required unless "existingSecretName" names a Secret that holds the credentials', got: "undefined" },
    { title: "password and existing Secret", args: { existingSecretName: "db-creds", username: undefined }, path: "password", expected: 'cannot be combined with "existingSecretName"; give one of them', got: "[secret]" },
    { title: "empty password", args: { password: "" }, path: "password", expected: "must be a non-empty string", got: "[secret]" },
    { title: "username with existing Secret", args: { existingSecretName: "db-creds", password: undefined }, path: "username", expected: 'cannot be combined with "existingSecretName"; the user name belongs in that Secret (see "existingSecretKeys")', got: '"app"' },
    { title: "existing Secret name invalid", args: { existingSecretName: "DB_Creds", password: undefined, username: undefined }, path: "existingSecretName", expected: EXPECT.dns1123Subdomain, got: '"DB_Creds"' },
    { title: "existing Secret keys without existing Secret", args: { existingSecretKeys: { password: "pw" } }, path: "existingSecretKeys", expected: 'can only be given with "existingSecretName"', got: "[secret]" },
    { title: "existing Secret key invalid", args: { existingSecretName: "db-creds", existingSecretKeys: { password: "pass word" }, password: undefined, username: undefined }, path: "existingSecretKeys.password", expected: "must be a Secret key: letters, digits, '-', '_' and '.'", got: "[secret]" },
    { title: "secret options with existing Secret", args: { existingSecretName: "db-creds", password: undefined, secretOptions: { TOKEN: "t" }, username: undefined }, path: "secretOptions", expected: 'cannot be combined with "existingSecretName"; put these settings in that Secret', got: "[secret]" },
    { title: "externalName that is an IP", args: { externalName: "10.0.0.5" }, path: "externalName", expected: "must be a DNS name (an ExternalName Service is a CNAME; IP addresses are not allowed)", got: '"10.0.0.5"' },
    { title: "externalName in mixed case", args: { externalName: "Orders.Cluster-X.rds.amazonaws.com" }, path: "externalName", expected: 'must be in lower case, as the API server requires (a DNS-1123 subdomain): "orders.cluster-x.rds.amazonaws.com"', got: '"Orders.Cluster-X.rds.amazonaws.com"' },
    { title: "envPrefix starting with a digit", args: { envPrefix: "1DB_" }, path: "envPrefix", expected: 'must be a valid start of an environment variable name: letters, digits and \'_\', not starting with a digit (such as "DB_")', got: '"1DB_"' },
    { title: "checksumKey too short (a planted key is never printed)", args: { checksumKey: "planted-short-key" }, path: "checksumKey", expected: CHECKSUM_KEY, got: "[secret]" },
    { title: "checksumKey a number", args: { checksumKey: 12345678901234567890123456789012345 as unknown as string }, path: "checksumKey", expected: CHECKSUM_KEY, got: "[secret]" },
    { title: "checksumKey empty", args: { checksumKey: "" }, path: "checksumKey", expected: CHECKSUM_KEY, got: "[secret]" },
    { title: "checksumKey null", args: { checksumKey: null as unknown as string }, path: "checksumKey", expected: CHECKSUM_KEY, got: "[secret]" },
    { title: "checksumKey 31 characters", args: { checksumKey: "k".repeat(31) }, path: "checksumKey", expected: CHECKSUM_KEY, got: "[secret]" },
    { title: "envPrefix with dash", args: { envPrefix: "DB-" }, path: "envPrefix", expected: 'must be a valid start of an environment variable name: letters, digits and \'_\', not starting with a digit (such as "DB_")', got: '"DB-"' },
];

describe("ExternalStore validation", () => {
    itRefusesEachAt({ kind: "ExternalStore", name: "orders" }, validateExternalStoreArgs, BASE, EXTERNAL_BAD_CASES);

    it("never prints a refused credential", () => {
        const problems = validateExternalStoreArgs("orders", { ...BASE, options: { apiToken: "s3cr3t-value", url: "mysql://u:pw-value@h/db" } });
        const text = formatProblems({ kind: "ExternalStore", name: "orders" }, problems);
        assert.ok(!text.includes("s3cr3t-value") && !text.includes("pw-value"), text);
    });

    it("lists every problem at once", () => {
        const problems = validateExternalStoreArgs("orders", { ...BASE, hosts: ["a:1"], port: -1, envPrefix: "-" });
        assert.deepStrictEqual(problems.map((p) => p.path), ["hosts[0]", "port", "envPrefix"]);
    });

    it("accepts IPv4, IPv6 and DNS hosts, and an existing Secret instead of a password", () => {
        assert.deepStrictEqual(validateExternalStoreArgs("orders", { ...BASE, hosts: ["10.0.0.1", "fd00::1", "db-1.example.com", "localhost"] }), []);
        assert.deepStrictEqual(validateExternalStoreArgs("orders", { engine: "mysql", existingSecretName: "db-creds", hosts: ["db"], namespace: "shop" }), []);
        assert.deepStrictEqual(
            ["10.0.0.1", "::1", "fe80::1%eth0", "example.com", "example.com.", "1.2.3", "a..b", "-a.com"].map(isHost),
            [true, true, false, true, true, false, false, false],
        );
    });
});

describe("ExternalStore option keys", () => {
    it("refuses credential-looking keys, but not ordinary driver options that contain 'key'", () => {
        const refused = ["sslpassword", "authToken", "API_KEY", "apiKey", "sslkey", "privateKeyPem", "PWD", "clientSecret"];
        const accepted = ["keyspace", "keyspaceReplication", "sslmode", "timeout", "schema"];
        assert.deepStrictEqual(refused.filter((k) => !SECRET_LOOKING_KEY.test(k)), []);
        assert.deepStrictEqual(accepted.filter((k) => SECRET_LOOKING_KEY.test(k)), []);
        assert.deepStrictEqual(validateExternalStoreArgs("events", { ...BASE, engine: "cassandra", options: { keyspace: "events" } }), []);
    });
});

describe("ExternalStore builders", () => {
    const args: ExternalStoreArgs = {
        ...BASE,
        database: "orders",
        hosts: ["db-2.example.com", "db-1.example.com"],
        options: { sslmode: "verify-full", connect_timeout: "5" },
        secretOptions: { apiToken: "tok-123456" },
    };

    it("writes non-secret data with stable, sorted keys and hosts in the given order", () => {
        const data = buildExternalStoreConfigData(args);
        assert.deepStrictEqual(data, { CONNECT_TIMEOUT: "5", ENGINE: "postgresql", HOSTS: "db-2.example.com,db-1.example.com", NAME: "orders", PORT: "5432", SSLMODE: "verify-full" });
        assert.deepStrictEqual(Object.keys(data), [...Object.keys(data)].sort());
    });

    it("keeps credentials and secret options for the Secret", () => {
        assert.deepStrictEqual(buildExternalStoreSecretData(args), { APITOKEN: "tok-123456", password: "correct-horse", username: "app" });
    });

    it("gives env as references only, sorted by name", () => {
        const cm = { name: "orders-connection" };
        const sec = { name: "orders-credentials" };
        assert.deepStrictEqual(buildExternalStoreEnv("orders", args), [
            { name: "DB_APITOKEN", valueFrom: { secretKeyRef: { key: "APITOKEN", ...sec } } },
            { name: "DB_CONNECT_TIMEOUT", valueFrom: { configMapKeyRef: { key: "CONNECT_TIMEOUT", ...cm } } },
            { name: "DB_ENGINE", valueFrom: { configMapKeyRef: { key: "ENGINE", ...cm } } },
            { name: "DB_HOSTS", valueFrom: { configMapKeyRef: { key: "HOSTS", ...cm } } },
            { name: "DB_NAME", valueFrom: { configMapKeyRef: { key: "NAME", ...cm } } },
            { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { key: "password", ...sec } } },
            { name: "DB_PORT", valueFrom: { configMapKeyRef: { key: "PORT", ...cm } } },
            { name: "DB_SSLMODE", valueFrom: { configMapKeyRef: { key: "SSLMODE", ...cm } } },
            { name: "DB_USERNAME", valueFrom: { secretKeyRef: { key: "username", ...sec } } },
        ]);
        assert.deepStrictEqual(buildExternalStoreEnvFrom("orders", { ...args, envPrefix: "ORDERS_" }), [{ configMapRef: cm, prefix: "ORDERS_" }]);
    });

    it("references the keys of an existing Secret, the username optionally", () => {
        const existing: ExternalStoreArgs = { engine: "mysql", existingSecretKeys: { password: "pw" }, existingSecretName: "rds-creds", hosts: ["db"], namespace: "shop", envPrefix: "SQL_" };
        assert.deepStrictEqual(externalStoreNames("orders", existing), { configMapName: "orders-connection", secretName: "rds-creds", serviceName: "orders" });
        assert.deepStrictEqual(buildExternalStoreEnv("orders", existing).filter((e) => e.valueFrom && "secretKeyRef" in (e.valueFrom as object)), [
            { name: "SQL_PASSWORD", valueFrom: { secretKeyRef: { key: "pw", name: "rds-creds" } } },
            { name: "SQL_USERNAME", valueFrom: { secretKeyRef: { key: "username", name: "rds-creds", optional: true } } },
        ]);
    });

    it("digests the ConfigMap, the Service target, the existing Secret's name and the Secret's data with PBKDF2, salted with the store", () => {
        const input = {
            config: buildExternalStoreConfigData(BASE),
            existingSecret: null,
            externalName: null,
            secret: { PASSWORD: "planted-password", USERNAME: "orders_app" },
        };
        const a = externalStoreChecksum("orders", "shop", input);
        assert.match(a, /^[0-9a-f]{64}$/);
        const canonical = JSON.stringify({
            config: { ENGINE: "postgresql", HOSTS: "db.example.com", PORT: "5432" },
            existingSecret: null,
            externalName: null,
            secret: { PASSWORD: "planted-password", USERNAME: "orders_app" },
        });
        assert.strictEqual(a, pbkdf2Sync(canonical, "stateful-stacks/external-store/shop/orders", 20000, 32, "sha256").toString("hex"));
        assert.ok(!a.includes("planted-password"));
        assert.strictEqual(a, externalStoreChecksum("orders", "shop", { ...input }), "deterministic");
        assert.notStrictEqual(a, externalStoreChecksum("orders", "shop", { ...input, secret: { ...input.secret, PASSWORD: "rotated" } }), "a new password changes it");
        assert.notStrictEqual(a, externalStoreChecksum("orders", "shop", { ...input, config: { ...input.config, PORT: "5433" } }));
        assert.notStrictEqual(a, externalStoreChecksum("orders", "other", input), "salted with the namespace");
        assert.strictEqual(externalStoreChecksumAnnotation("orders"), "stateful-stacks.io/store-orders-checksum");
    });

    it("keys the checksum with checksumKey: HMAC-SHA256 over the store's namespace, name and the same data", () => {
        const key = "k3y-of-at-least-32-characters-0123456789";
        const input = {
            config: buildExternalStoreConfigData(BASE),
            existingSecret: null,
            externalName: null,
            secret: { PASSWORD: "planted-password", USERNAME: "orders_app" },
        };
        const canonical =
            '{"config":{"ENGINE":"postgresql","HOSTS":"db.example.com","PORT":"5432"},"existingSecret":null,"externalName":null,"secret":{"PASSWORD":"planted-password","USERNAME":"orders_app"}}';
        const keyed = externalStoreChecksum("orders", "shop", input, key);
        assert.strictEqual(keyed, createHmac("sha256", key).update(`stateful-stacks/external-store/shop/orders\n${canonical}`).digest("hex"));
        assert.notStrictEqual(keyed, externalStoreChecksum("orders", "shop", input), "not the unkeyed digest");
        assert.notStrictEqual(keyed, externalStoreChecksum("orders", "shop", input, `${key}x`), "another key, another checksum");
        assert.notStrictEqual(keyed, externalStoreChecksum("orders", "shop", { ...input, secret: { ...input.secret, PASSWORD: "rotated" } }, key), "a new password changes it");
        assert.notStrictEqual(keyed, externalStoreChecksum("other", "shop", input, key), "bound to the store's name");
        assert.strictEqual(keyed, externalStoreChecksum("orders", "shop", { ...input }, key), "deterministic");
    });

    it("accepts a checksumKey of 32 characters or more, and any Output (read when known)", () => {
        assert.deepStrictEqual(validateExternalStoreArgs("orders", { ...BASE, checksumKey: "k".repeat(32) }), []);
        assert.deepStrictEqual(validateExternalStoreArgs("orders", { ...BASE, checksumKey: pulumi.secret("short") }), []);
        assert.deepStrictEqual(validateExternalStoreArgs("orders", { ...BASE, checksumKey: "k".repeat(40), existingSecretName: "db-creds", password: undefined, username: undefined }), []);
    });
});

describe("external store wiring", () => {
    const store = (storeName: string, envPrefix: string, namespace = "shop"): StoreEndpoint => ({ envPrefix, hosts: ["db-a", "10.0.0.9"], namespace, port: 5432, storeName });

    it("waits until any host accepts a connection", () => {
        assert.strictEqual(waitForStoreScript(["db-a", "10.0.0.9"], 5432), 'until nc -z -w 2 db-a 5432 || nc -z -w 2 10.0.0.9 5432; do echo "waiting for db-a,10.0.0.9:5432"; sleep 2; done');
        const container = buildWaitForStoreContainer(store("orders", "DB_"));
        assert.strictEqual(container.name, "wait-for-orders");
        assert.deepStrictEqual(container.command, ["sh", "-c", waitForStoreScript(["db-a", "10.0.0.9"], 5432)]);
    });

    it("runs the wait as an unprivileged user of its own, so pods without a runAsUser can start it", () => {
        assert.deepStrictEqual(buildWaitForStoreContainer(store("orders", "DB_")).securityContext, {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            privileged: false,
            readOnlyRootFilesystem: true,
            runAsGroup: 65534,
            runAsNonRoot: true,
            runAsUser: 65534,
        });
    });

    it("refuses stores that collide or live in another namespace", () => {
        assert.deepStrictEqual(externalStoreWiringProblems([store("a", "DB_"), store("a", "A_"), store("b", "DB_"), store("c", "C_", "other")], "shop"), [
            { path: "externalStores[1]", value: '"a"', expected: "has the same name as externalStores[0]; their checksum annotations would collide" },
            { path: "externalStores[2].envPrefix", value: '"DB_"', expected: "is also used by externalStores[0]; give each store its own envPrefix" },
            { path: "externalStores[3].namespace", value: '"other"', expected: 'must be the pods\' namespace "shop": pods can only read ConfigMaps and Secrets of their own namespace' },
        ]);
        assert.deepStrictEqual(externalStoreWiringProblems([store("a", "A_"), store("b", "B_")], "shop"), []);
    });
});

const hostArb = fc.oneof(
    fc.ipV4(),
    fc.ipV6(),
    fc.domain().filter((d) => !/\.\d+$/.test(d)),
);
const goodArgs = fc.record({
    engine: fc.constantFrom("postgresql", "mysql", "mariadb", "sqlserver", "oracle", "mongodb", "redis", "cassandra") as fc.Arbitrary<ExternalStoreArgs["engine"]>,
    envPrefix: fc.stringMatching(/^[A-Z][A-Z0-9]{0,6}_$/),
    hosts: fc.uniqueArray(hostArb, { minLength: 1, maxLength: 3, selector: (h) => h.toLowerCase() }),
    namespace: fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/),
    options: fc.dictionary(fc.constantFrom("sslmode", "timeout", "appName", "schema"), fc.string({ maxLength: 20 }).filter((v) => !v.includes("://"))),
    password: fc.string({ minLength: 1, maxLength: 40 }),
    port: fc.integer({ min: 1, max: 65535 }),
});

describe("ExternalStore properties", () => {
    it("accepts generated valid arguments and never puts the password in the ConfigMap or env", () => {
        fc.assert(
            fc.property(goodArgs, (args) => {
                assert.deepStrictEqual(validateExternalStoreArgs("orders", args), []);
                const config = buildExternalStoreConfigData(args);
                assert.ok(!Object.keys(config).some((k) => /pass/i.test(k)));
                const env = buildExternalStoreEnv("orders", args);
                for (const e of env) {
                    assert.strictEqual((e as { value?: string }).value, undefined, "env carries references only");
                }
                const metadata = { name: "orders-connection", namespace: args.namespace };
                assert.deepStrictEqual(validateKubernetesObject({ apiVersion: "v1", data: config, kind: "ConfigMap", metadata }), []);
                const pod = { containers: [{ env, envFrom: buildExternalStoreEnvFrom("orders", args), image: "app:1", name: "app" }] };
                assert.deepStrictEqual(validateKubernetesObject({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: pod }), []);
            }),
            { numRuns: 150 },
        );
    });

    it("names a property for every refused port or host", () => {
        fc.assert(
            fc.property(
                fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 }), fc.double({ min: 1.01, max: 65534.9, noInteger: true })),
                fc.string().filter((h) => !isHost(h)),
                (port, host) => {
                    const paths = validateExternalStoreArgs("orders", { ...BASE, hosts: [host], port }).map((p) => p.path);
                    assert.deepStrictEqual(paths, ["hosts[0]", "port"]);
                },
            ),
            { numRuns: 150 },
        );
    });
});
