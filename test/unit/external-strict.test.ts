import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ExternalStore, ExternalStoreArgs, validateExternalStoreArgs } from "../../components/external/external-store";
import { EXPECT } from "../../components/common/kubernetes";
import { expectInvalid, recorder, settle } from "../support/pulumi";
import { sparse } from "../support/hostile";

/** A credential planted in every case: no refusal may print it, nor any part of it. */
const PLANTED = "Planted-Pw-73510296";
const BASE: ExternalStoreArgs = { engine: "postgresql", hosts: ["db.example.com"], namespace: "shop", password: PLANTED, username: "app" };

const HOST = "must be an IPv4 address, an IPv6 address or a DNS name, without scheme or port";
const DEFERRED = "must be a plain value known at construction, not an Output or a Promise";
const CARRIES =
    'carries a credential (a password, a token or a URL\'s user name); options are written to a ConfigMap, which is not secret; put the password in "password" and other secret settings in "secretOptions" (or in the Secret named by "existingSecretName")';
const CREDENTIAL_KEY =
    'looks like a credential, and options are written to a ConfigMap, which is not secret; put the password in "password" and other secret settings in "secretOptions" (or in the Secret named by "existingSecretName")';

interface StrictCase {
    readonly title: string;
    /** The arguments: BASE with these fields replaced (undefined removes one), or a whole value. */
    readonly args: Record<string, unknown> | (() => unknown);
    /** Every line of the refusal, in order, as `path: expectation (got value)`. */
    readonly lines: readonly string[];
}

export const EXTERNAL_STRICT_CASES: readonly StrictCase[] = [
    { title: "a misspelt externalName", args: { externalname: "db.example.com" }, lines: ['externalname: is not a known field; did you mean "externalName"? (got "db.example.com")'] },
    { title: "a misspelt options", args: { optoins: { sslmode: "require" } }, lines: ['optoins: is not a known field; did you mean "options"? (got {"sslmode":"require"})'] },
    {
        title: "the whole arguments as an Output",
        args: () => pulumi.output(BASE),
        lines: ["args: must be a plain object known at construction, not an Output or a Promise: create the component inside apply() when its arguments are computed (got an Output)"],
    },
    { title: "arguments that are null", args: () => null, lines: ["args: must be an object of ExternalStore arguments (got null)"] },
    { title: "arguments that are a list", args: () => [BASE], lines: ['args: must be an object of ExternalStore arguments (got [{"engine":"postgresql","hosts":["db.example.com"],"namespace":"shop","password":"[secret]","username":"app"}])'] },
    { title: "a null host", args: { hosts: [null] }, lines: ["hosts[0]: must not be null or undefined (got null)"] },
    { title: "a hole in hosts", args: { hosts: sparse("skipped", "db.example.com") }, lines: ["hosts[0]: must not be a hole: the list is sparse (an element was skipped or deleted) (got undefined)"] },
    { title: "hosts as one string", args: { hosts: "db.example.com" }, lines: ['hosts: must be a non-empty list of host names or IP addresses (got "db.example.com")'] },
    { title: "hosts as an Output", args: { hosts: pulumi.output(["db.example.com"]) }, lines: [`hosts: ${DEFERRED} (got an Output)`] },
    { title: "a host as an Output", args: { hosts: ["db.example.com", pulumi.output("db2.example.com")] }, lines: [`hosts[1]: ${DEFERRED} (got an Output)`] },
    { title: "too many hosts", args: { hosts: Array.from({ length: 65 }, (_, i) => `db${i}.example.com`) }, lines: ['hosts: must have at most 64 elements (got "65 elements")'] },
    { title: "hosts missing", args: { hosts: undefined }, lines: ["hosts: is required: the host names or IP addresses of the store (got undefined)"] },
    {
        title: "a host URL with credentials, printed without them",
        args: { hosts: ["postgres://app:hunter2-in-url@db.example.com"] },
        lines: [`hosts[0]: ${HOST}; it carries credentials, which belong in "username" and "password" (got [secret])`],
    },
    { title: "the port as a string", args: { port: "5432" }, lines: [`port: ${EXPECT.port} (got "5432")`] },
    { title: "a fractional port", args: { port: 5432.5 }, lines: [`port: ${EXPECT.port} (got 5432.5)`] },
    { title: "the port as an Output", args: { port: pulumi.output(5432) }, lines: [`port: ${DEFERRED} (got an Output)`] },
    { title: "options as a string", args: { options: "x" }, lines: ['options: must be an object mapping names to strings (got "x")'] },
    { title: "options as a list", args: { options: ["sslmode=require"] }, lines: ['options: must be an object mapping names to strings (got ["sslmode=require"])'] },
    {
        title: "options too large for a ConfigMap",
        args: { options: Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`OPT_${i}`, "A".repeat(4000)])) },
        lines: ['options: must together hold at most 1000000 bytes of keys and values: a ConfigMap holds at most 1 MiB (got "1001640 bytes")'],
    },
    { title: "an option value of 600,000 characters", args: { options: { sslrootcert: "A".repeat(600000) } }, lines: ['options.sslrootcert: must be at most 4096 characters long (got "600000 characters")'] },
    { title: "a host of 600,000 characters", args: { hosts: ["a".repeat(599997) + "://"] }, lines: [`hosts[0]: ${HOST}; give only the host name (got "${"a".repeat(116)}...)`] },
    { title: "a null option", args: { options: { sslmode: null } }, lines: ["options.sslmode: must not be null; leave the field out instead (got null)"] },
    {
        title: "a JDBC URL with a password parameter in options",
        args: { options: { jdbcurl: "jdbc:postgresql://db/x?user=a&password=b-in-query" } },
        lines: [`options.jdbcurl: ${CARRIES} (got [secret])`],
    },
    { title: "a URL with a user name in options", args: { options: { dsn: "postgres://app@db.example.com/orders" } }, lines: [`options.dsn: ${CARRIES} (got [secret])`] },
    { title: "an ADO.NET connection string with a password in options", args: { options: { conn: "Server=db;Database=x;Password=ado-pass-1" } }, lines: [`options.conn: ${CARRIES} (got [secret])`] },
    {
        title: "a secret Output in options",
        args: { options: { sslrootcert: pulumi.secret("-----BEGIN CERTIFICATE-----") } },
        lines: [
            'options.sslrootcert: must be a plain string: options are written to a ConfigMap, which is not secret, and an Output may hold a secret that would land there in plain text; give computed settings in "secretOptions" (got an Output)',
        ],
    },
    { title: "a credential-looking option key by the package's rule", args: { options: { REDIS_AUTH: "x" } }, lines: [`options.REDIS_AUTH: ${CREDENTIAL_KEY} (got [secret])`] },
    { title: "an engine that is an object key", args: { engine: "constructor" }, lines: ['engine: must be one of "postgresql", "mysql", "mariadb", "sqlserver", "oracle", "mongodb", "redis", "cassandra", "other" (got "constructor")'] },
    {
        title: "an engine in the wrong case",
        args: { engine: "PostgreSQL" },
        lines: ['engine: must be one of "postgresql", "mysql", "mariadb", "sqlserver", "oracle", "mongodb", "redis", "cassandra", "other"; did you mean "postgresql"? (got "PostgreSQL")'],
    },
    { title: "the namespace as an Output", args: { namespace: pulumi.output("shop") }, lines: [`namespace: ${DEFERRED} (got an Output)`] },
    { title: "no namespace", args: { namespace: undefined }, lines: ["namespace: is required: pods can only read the ConfigMap and Secret of their own namespace (got undefined)"] },
    {
        title: "a connection string with a password as the database",
        args: { database: "postgres://app:db-name-pw@db/orders" },
        lines: ["database: must be a database name, not a connection string: it carries a credential, and the name is written to a ConfigMap, which is not secret (got [secret])"],
    },
    { title: "a database that is a number", args: { database: 5 }, lines: ["database: must be a string (got 5)"] },
    { title: "a blank username", args: { username: " " }, lines: ['username: must be a non-empty string (got " ")'] },
    { title: "a password that is a number", args: { password: 73510296 }, lines: ["password: must be a non-empty string (got [secret])"] },
    { title: "a secret option that is a number", args: { secretOptions: { API_TOKEN: 73510296 } }, lines: ["secretOptions.API_TOKEN: must be a string (got [secret])"] },
    { title: "externalName as an Output", args: { externalName: pulumi.output("db.example.com") }, lines: [`externalName: ${DEFERRED} (got an Output)`] },
    { title: "envPrefix as an Output", args: { envPrefix: pulumi.output("DB_") }, lines: [`envPrefix: ${DEFERRED} (got an Output)`] },
    {
        title: "a misspelt key of existingSecretKeys",
        args: { existingSecretKeys: { pasword: "pw" }, existingSecretName: "db-creds", password: undefined, username: undefined },
        lines: ['existingSecretKeys.pasword: is not a known field; did you mean "password"? (got [secret])'],
    },
    { title: "existingSecretName as an Output", args: { existingSecretName: pulumi.output("db-creds"), password: undefined, username: undefined }, lines: [`existingSecretName: ${DEFERRED} (got an Output)`] },
    {
        title: "a getter that throws",
        args: () =>
            Object.defineProperty({ ...BASE }, "hosts", {
                enumerable: true,
                get() {
                    throw new Error("boom");
                },
            }),
        lines: ["hosts: could not be read (a getter threw) (got undefined)", "hosts: is required: the host names or IP addresses of the store (got undefined)"],
    },
    {
        title: "many problems at once, in argument order",
        args: { engine: "postgres", externalname: "x", hosts: [null, "db:5432"], options: { jdbcurl: "jdbc:mysql://db/x?password=also-planted" }, port: "5432" },
        lines: [
            'externalname: is not a known field; did you mean "externalName"? (got "x")',
            'engine: must be one of "postgresql", "mysql", "mariadb", "sqlserver", "oracle", "mongodb", "redis", "cassandra", "other" (got "postgres")',
            "hosts[0]: must not be null or undefined (got null)",
            `hosts[1]: ${HOST}; give the port in "port" (got "db:5432")`,
            `port: ${EXPECT.port} (got "5432")`,
            `options.jdbcurl: ${CARRIES} (got [secret])`,
        ],
    },
];

function argsOf(c: StrictCase): ExternalStoreArgs {
    return (typeof c.args === "function" ? c.args() : { ...BASE, ...c.args }) as ExternalStoreArgs;
}

/** Every credential-like text a case carries: the planted password and the ones inside its values. */
const PLANTED_PARTS = [PLANTED, "73510296", "hunter2-in-url", "b-in-query", "ado-pass-1", "also-planted", "db-name-pw"];

describe("ExternalStore strict validation", () => {
    before(async () => {
        await recorder();
    });

    for (const c of EXTERNAL_STRICT_CASES) {
        it(`refuses ${c.title}, exactly, without a credential and without registering anything`, async () => {
            const rec = await recorder();
            rec.reset();
            const { message, paths } = expectInvalid(() => new ExternalStore("orders", argsOf(c)));
            await settle();
            const noun = c.lines.length === 1 ? "argument" : "arguments";
            assert.strictEqual(message, [`ExternalStore "orders" has ${c.lines.length} invalid ${noun}:`, ...c.lines.map((l) => `  - ${l}`)].join("\n"));
            assert.ok(paths.every((p) => p.length > 0));
            for (const part of PLANTED_PARTS) {
                assert.ok(!message.includes(part), `the message prints ${part}`);
            }
            assert.deepStrictEqual(rec.resources, [], "nothing is registered on refusal");
        });
    }

    it("covers at least 30 cases", () => {
        assert.ok(EXTERNAL_STRICT_CASES.length >= 30, `${EXTERNAL_STRICT_CASES.length}`);
    });

    it("accepts computed credentials and secret options: they go to the Secret", () => {
        assert.deepStrictEqual(
            validateExternalStoreArgs("orders", { ...BASE, password: pulumi.secret(PLANTED), secretOptions: { API_TOKEN: pulumi.secret("t") }, username: pulumi.output("app") }),
            [],
        );
    });

    it("accepts a URL without credentials and a keyspace option", () => {
        assert.deepStrictEqual(validateExternalStoreArgs("orders", { ...BASE, options: { keyspace: "orders", sslrootcert: "/etc/ssl/root.crt", url: "postgres://db.example.com/orders" } }), []);
    });
});
