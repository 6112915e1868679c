import { pbkdf2Sync } from "crypto";
import { isIP } from "net";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EXPECT, isDns1123Label, isDns1123Subdomain, isEnvVarName, isPort, sortKeys, standardLabels } from "../common/kubernetes";
import { isKnown, Problem, ProblemList, throwIfProblems } from "../common/validation";

type EnvVar = k8s.types.input.core.v1.EnvVar;
type EnvFromSource = k8s.types.input.core.v1.EnvFromSource;

/** The database engines an ExternalStore knows a default port for. */
export type ExternalStoreEngine = "postgresql" | "mysql" | "mariadb" | "sqlserver" | "oracle" | "mongodb" | "redis" | "cassandra" | "other";

/** Default port of each engine; "other" has none, so `port` is required for it. */
export const EXTERNAL_STORE_DEFAULT_PORTS: Readonly<Record<ExternalStoreEngine, number | undefined>> = {
    cassandra: 9042,
    mariadb: 3306,
    mongodb: 27017,
    mysql: 3306,
    oracle: 1521,
    other: undefined,
    postgresql: 5432,
    redis: 6379,
    sqlserver: 1433,
};

/** Every engine, in the order they are listed to users. */
export const EXTERNAL_STORE_ENGINES: readonly ExternalStoreEngine[] = ["postgresql", "mysql", "mariadb", "sqlserver", "oracle", "mongodb", "redis", "cassandra", "other"];

/** ConfigMap keys the store writes itself; `options` may not reuse them. */
export const EXTERNAL_STORE_RESERVED_KEYS: readonly string[] = ["ENGINE", "HOSTS", "NAME", "PASSWORD", "PORT", "USERNAME"];

/**
 * Option keys that look like they hold a credential, which a ConfigMap must never hold.
 * Substrings, so that run-together driver options (`sslpassword`) are caught; "key" only
 * where no letter follows, so that `keyspace` (Cassandra) is not.
 */
export const SECRET_LOOKING_KEY = /passw(or)?d|passwd|passphrase|pwd|secret|token|key(?![a-z])|credential|private|apikey/i;

/** A URL carrying a password in its user-info part (`scheme://user:password@host`). */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i;

/** Longest component name: the checksum annotation key `store-<name>-checksum` must fit in 63 characters. */
export const EXTERNAL_STORE_MAX_NAME = 48;

/** Where the default username and password sit in a Secret the user manages. */
export interface ExistingSecretKeys {
    /**
     * Key of the username. The reference is optional, so a Secret without it still works.
     * @default "username"
     */
    readonly username?: string;
    /**
     * Key of the password.
     * @default "password"
     */
    readonly password?: string;
}

export interface ExternalStoreArgs {
    /**
     * Namespace of the ConfigMap, Secret and Service. Pods can only reference a ConfigMap or
     * Secret of their own namespace, so this must be the consuming workload's namespace.
     * Changing it replaces the ConfigMap, Secret and Service (they hold no data).
     */
    readonly namespace: string;
    /** The database engine; sets the default `port` and is written as `ENGINE`. */
    readonly engine: ExternalStoreEngine;
    /**
     * Host names or IP addresses (IPv4 or IPv6) of the store, in the order clients should
     * try them. Written comma-separated, in this order, as `HOSTS`. No ports or schemes here.
     */
    readonly hosts: readonly string[];
    /**
     * TCP port, 1–65535.
     * @default the engine's default port (5432 for postgresql, 3306 for mysql, ...); required for "other"
     */
    readonly port?: number;
    /** Database (or schema, keyspace) name, written as `NAME`. @default none */
    readonly database?: string;
    /**
     * Further non-secret connection settings (`{ sslmode: "verify-full" }`), written to the
     * ConfigMap with upper-cased keys (`SSLMODE`). Keys must be environment variable names and
     * must not look like credentials (password, token, key, secret, ...): those belong in
     * `password` or `secretOptions`. Values must not be URLs with a password in them.
     * @default {}
     */
    readonly options?: Readonly<Record<string, pulumi.Input<string>>>;
    /**
     * Secret connection settings (an API token, a client key), written to the Secret with
     * upper-cased keys. Cannot be combined with `existingSecretName`.
     * @default {}
     */
    readonly secretOptions?: Readonly<Record<string, pulumi.Input<string>>>;
    /**
     * User name, stored in the Secret (key `username`). Cannot be combined with
     * `existingSecretName` (the user name then lives in that Secret).
     * @default none
     */
    readonly username?: pulumi.Input<string>;
    /**
     * Password, stored in the Secret (key `password`) and marked secret in Pulumi state.
     * Exactly one of `password` and `existingSecretName` is required.
     * @default none (then `existingSecretName` is required)
     */
    readonly password?: pulumi.Input<string>;
    /**
     * Name of a Secret you manage in `namespace` that holds the credentials; no Secret is
     * created. Exactly one of `password` and `existingSecretName` is required. Rotating that
     * Secret's contents does not change `checksum` (the store cannot read it).
     * @default none (then `password` is required)
     */
    readonly existingSecretName?: string;
    /** Keys of the username and password in `existingSecretName`. Only with `existingSecretName`. @default { username: "username", password: "password" } */
    readonly existingSecretKeys?: ExistingSecretKeys;
    /**
     * A DNS name (for example an RDS endpoint) that an ExternalName Service named after the
     * component points at, so pods use a stable in-cluster name. IP addresses are not allowed
     * (Kubernetes resolves ExternalName as a CNAME).
     * @default no Service
     */
    readonly externalName?: string;
    /**
     * Prefix of the environment variables in `env` and `envFrom` (`DB_HOSTS`, `DB_PASSWORD`).
     * @default "DB_"
     */
    readonly envPrefix?: string;
}

/** Stable names of the objects an ExternalStore renders. */
export interface ExternalStoreNames {
    readonly configMapName: string;
    readonly secretName: string;
    readonly serviceName: string;
}

/** The explicit Kubernetes names for a store called `name`. */
export function externalStoreNames(name: string, args: Pick<ExternalStoreArgs, "existingSecretName">): ExternalStoreNames {
    return {
        configMapName: `${name}-connection`,
        secretName: args.existingSecretName ?? `${name}-credentials`,
        serviceName: name,
    };
}

/** True for an IPv4 address, an IPv6 address or a DNS host name (RFC 1123, case-insensitive). */
export function isHost(value: string): boolean {
    if (isIP(value) !== 0) {
        return !value.includes("%");
    }
    return isDnsName(value);
}

/** True for a DNS host name whose last label is not all digits (so "999.1.1.1" is refused). */
export function isDnsName(value: string): boolean {
    const name = value.endsWith(".") ? value.slice(0, -1) : value;
    if (name.length === 0 || name.length > 253) {
        return false;
    }
    const labels = name.split(".");
    const label = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/i;
    return labels.every((l) => label.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

const EXPECT_HOST = "must be an IPv4 address, an IPv6 address or a DNS name, without scheme or port";

function checkHost(problems: ProblemList, path: string, host: unknown): void {
    if (typeof host !== "string") {
        problems.add(path, host, EXPECT_HOST);
        return;
    }
    if (isHost(host)) {
        return;
    }
    if (/^[^:]+:\d+$/.test(host) || /^\[[^\]]+\]:\d+$/.test(host)) {
        problems.add(path, host, `${EXPECT_HOST}; give the port in "port"`);
    } else if (host.includes("://")) {
        problems.add(path, host, `${EXPECT_HOST}; give only the host name`);
    } else {
        problems.add(path, host, EXPECT_HOST);
    }
}

function checkOptionKeys(
    problems: ProblemList,
    property: "options" | "secretOptions",
    values: Readonly<Record<string, unknown>> | undefined,
    taken: Map<string, string>,
): void {
    if (values === undefined) {
        return;
    }
    if (values === null || typeof values !== "object" || Array.isArray(values)) {
        problems.add(property, values, "must be an object mapping names to strings");
        return;
    }
    for (const key of Object.keys(values).sort()) {
        const path = `${property}.${key}`;
        const value = values[key];
        if (!isEnvVarName(key)) {
            problems.add(path, key, `key ${EXPECT.envVarName}`);
            continue;
        }
        const upper = key.toUpperCase();
        if (EXTERNAL_STORE_RESERVED_KEYS.includes(upper)) {
            problems.add(path, key, `key is reserved for the store's own ${upper}; use the "${reservedArg(upper)}" argument`);
            continue;
        }
        const clash = taken.get(upper);
        if (clash !== undefined) {
            problems.add(path, key, `key becomes ${upper}, which "${clash}" already uses`);
            continue;
        }
        taken.set(upper, path);
        if (property === "options") {
            if (SECRET_LOOKING_KEY.test(key)) {
                problems.addSecret(
                    path,
                    `looks like a credential, and options are written to a ConfigMap, which is not secret; put the password in "password" and other secret settings in "secretOptions" (or in the Secret named by "existingSecretName")`,
                );
                continue;
            }
            if (typeof value === "string" && URL_WITH_PASSWORD.test(value)) {
                problems.addSecret(path, `is a URL with a password in it; options are written to a ConfigMap, which is not secret; put the password in "password"`);
                continue;
            }
        }
        if (value === undefined || value === null || (isKnown(value) && typeof value !== "string")) {
            if (property === "secretOptions") {
                problems.addSecret(path, "must be a string");
            } else {
                problems.add(path, value, "must be a string");
            }
        }
    }
}

function reservedArg(key: string): string {
    switch (key) {
        case "ENGINE":
            return "engine";
        case "HOSTS":
            return "hosts";
        case "NAME":
            return "database";
        case "PORT":
            return "port";
        case "USERNAME":
            return "username";
        default:
            return "password";
    }
}

/**
 * Checks every argument of an ExternalStore named `name` and returns every problem found.
 * Plain values are checked; Outputs are left to the provider.
 */
export function validateExternalStoreArgs(name: string, args: ExternalStoreArgs): Problem[] {
    const problems = new ProblemList();
    if (typeof name !== "string" || !isDns1123Label(name) || !/^[a-z]/.test(name) || name.length > EXTERNAL_STORE_MAX_NAME) {
        problems.add("name", name, `must be a DNS-1035 label of at most ${EXTERNAL_STORE_MAX_NAME} characters: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit`);
    }
    if (args === undefined || args === null || typeof args !== "object") {
        problems.add("args", args, "must be an object");
        return [...problems.problems];
    }
    if (typeof args.namespace !== "string" || !isDns1123Label(args.namespace)) {
        problems.add("namespace", args.namespace, EXPECT.dns1123Label);
    }
    if (!EXTERNAL_STORE_ENGINES.includes(args.engine)) {
        problems.add("engine", args.engine, `must be one of ${EXTERNAL_STORE_ENGINES.map((e) => `"${e}"`).join(", ")}`);
    }
    if (!Array.isArray(args.hosts) || args.hosts.length === 0) {
        problems.add("hosts", args.hosts, "must be a non-empty list of host names or IP addresses");
    } else {
        const seen = new Set<string>();
        args.hosts.forEach((host, i) => {
            checkHost(problems, `hosts[${i}]`, host);
            if (typeof host === "string" && seen.has(host.toLowerCase())) {
                problems.add(`hosts[${i}]`, host, "must not repeat an earlier host");
            }
            if (typeof host === "string") {
                seen.add(host.toLowerCase());
            }
        });
    }
    if (args.port !== undefined && !isPort(args.port)) {
        problems.add("port", args.port, EXPECT.port);
    }
    if (args.port === undefined && args.engine === "other") {
        problems.add("port", args.port, `is required when engine is "other"; ${EXPECT.port}`);
    }
    if (args.database !== undefined && (typeof args.database !== "string" || args.database.length === 0 || /[\s,]/.test(args.database))) {
        problems.add("database", args.database, "must be a non-empty name without spaces or commas");
    }
    const taken = new Map<string, string>();
    checkOptionKeys(problems, "options", args.options, taken);
    checkOptionKeys(problems, "secretOptions", args.secretOptions, taken);

    const hasPassword = args.password !== undefined;
    const hasExisting = args.existingSecretName !== undefined;
    if (hasPassword && hasExisting) {
        problems.addSecret("password", `cannot be combined with "existingSecretName"; give one of them`);
    } else if (!hasPassword && !hasExisting) {
        problems.add("password", undefined, `is required unless "existingSecretName" names a Secret that holds the credentials`);
    }
    if (hasPassword && isKnown(args.password) && (typeof args.password !== "string" || args.password.length === 0)) {
        problems.addSecret("password", "must be a non-empty string");
    }
    if (args.username !== undefined && isKnown(args.username) && (typeof args.username !== "string" || args.username.length === 0)) {
        problems.add("username", args.username, "must be a non-empty string");
    }
    if (hasExisting) {
        if (typeof args.existingSecretName !== "string" || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(args.existingSecretName) || args.existingSecretName.length > 253) {
            problems.add("existingSecretName", args.existingSecretName, EXPECT.dns1123Subdomain);
        }
        if (args.username !== undefined) {
            problems.add("username", args.username, `cannot be combined with "existingSecretName"; the user name belongs in that Secret (see "existingSecretKeys")`);
        }
        if (args.secretOptions !== undefined) {
            problems.add("secretOptions", "{...}", `cannot be combined with "existingSecretName"; put these settings in that Secret`);
        }
    }
    if (args.existingSecretKeys !== undefined) {
        if (!hasExisting) {
            problems.add("existingSecretKeys", args.existingSecretKeys, `can only be given with "existingSecretName"`);
        }
        for (const field of ["username", "password"] as const) {
            const key = args.existingSecretKeys?.[field];
            if (key !== undefined && (typeof key !== "string" || !/^[-._a-zA-Z0-9]{1,253}$/.test(key))) {
                problems.add(`existingSecretKeys.${field}`, key, "must be a Secret key: letters, digits, '-', '_' and '.'");
            }
        }
    }
    if (args.externalName !== undefined) {
        if (typeof args.externalName !== "string" || !isDnsName(args.externalName)) {
            problems.add("externalName", args.externalName, "must be a DNS name (an ExternalName Service is a CNAME; IP addresses are not allowed)");
        } else if (!isDns1123Subdomain(args.externalName.replace(/\.$/, ""))) {
            problems.add("externalName", args.externalName, `must be in lower case, as the API server requires (a DNS-1123 subdomain): "${args.externalName.toLowerCase()}"`);
        }
    }
    if (args.envPrefix !== undefined && (typeof args.envPrefix !== "string" || !isEnvVarName(args.envPrefix))) {
        problems.add("envPrefix", args.envPrefix, `must be a valid start of an environment variable name: letters, digits and '_', not starting with a digit (such as "DB_")`);
    }
    return [...problems.problems];
}

/** The port the store uses: the given one or the engine's default. */
export function externalStorePort(args: Pick<ExternalStoreArgs, "engine" | "port">): number {
    return args.port ?? (EXTERNAL_STORE_DEFAULT_PORTS[args.engine] as number);
}

/** The ConfigMap's data: non-secret connection settings, keys sorted. */
export function buildExternalStoreConfigData(args: ExternalStoreArgs): Record<string, pulumi.Input<string>> {
    const data: Record<string, pulumi.Input<string>> = {
        ENGINE: args.engine,
        HOSTS: args.hosts.join(","),
        PORT: String(externalStorePort(args)),
    };
    if (args.database !== undefined) {
        data.NAME = args.database;
    }
    for (const [key, value] of Object.entries(args.options ?? {})) {
        data[key.toUpperCase()] = value;
    }
    return sortKeys(data);
}

/** The created Secret's data (before it is marked secret): username, password, secret options; keys sorted. */
export function buildExternalStoreSecretData(args: ExternalStoreArgs): Record<string, pulumi.Input<string>> {
    const data: Record<string, pulumi.Input<string>> = {};
    if (args.username !== undefined) {
        data.username = args.username;
    }
    if (args.password !== undefined) {
        data.password = args.password;
    }
    for (const [key, value] of Object.entries(args.secretOptions ?? {})) {
        data[key.toUpperCase()] = value;
    }
    return sortKeys(data);
}

/**
 * The environment variables a container needs to reach the store, as references to the
 * ConfigMap and Secret (never literal values), sorted by name.
 */
export function buildExternalStoreEnv(name: string, args: ExternalStoreArgs): EnvVar[] {
    const prefix = args.envPrefix ?? "DB_";
    const names = externalStoreNames(name, args);
    const env: EnvVar[] = Object.keys(buildExternalStoreConfigData(args)).map((key) => ({
        name: `${prefix}${key}`,
        valueFrom: { configMapKeyRef: { key, name: names.configMapName } },
    }));
    if (args.existingSecretName !== undefined) {
        env.push(
            { name: `${prefix}PASSWORD`, valueFrom: { secretKeyRef: { key: args.existingSecretKeys?.password ?? "password", name: names.secretName } } },
            { name: `${prefix}USERNAME`, valueFrom: { secretKeyRef: { key: args.existingSecretKeys?.username ?? "username", name: names.secretName, optional: true } } },
        );
    } else {
        for (const key of Object.keys(buildExternalStoreSecretData(args))) {
            env.push({ name: `${prefix}${key.toUpperCase()}`, valueFrom: { secretKeyRef: { key, name: names.secretName } } });
        }
    }
    return env.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The ConfigMap as an `envFrom` source; credentials come only through {@link buildExternalStoreEnv}. */
export function buildExternalStoreEnvFrom(name: string, args: ExternalStoreArgs): EnvFromSource[] {
    return [{ configMapRef: { name: externalStoreNames(name, args).configMapName }, prefix: args.envPrefix ?? "DB_" }];
}

/** Salt and cost of the checksum's key stretching: a leaked checksum does not make guessing the password cheap. */
const CHECKSUM_ITERATIONS = 20000;

/**
 * A non-secret digest of everything a consuming pod reads from the store, credentials
 * included: PBKDF2-SHA256 over canonical JSON (sorted keys), salted with the store's
 * namespace and name. It changes whenever any value changes and reveals none of them.
 */
export function externalStoreChecksum(name: string, namespace: string, content: Record<string, unknown>): string {
    const canonical = JSON.stringify(sortKeys(content));
    return pbkdf2Sync(canonical, `stateful-stacks/external-store/${namespace}/${name}`, CHECKSUM_ITERATIONS, 32, "sha256").toString("hex");
}

/** The annotation key a consuming pod template carries the store's checksum under. */
export function externalStoreChecksumAnnotation(name: string): string {
    return `stateful-stacks.io/store-${name}-checksum`;
}

/**
 * A database that lives outside the cluster, made reachable from pods: a ConfigMap with the
 * non-secret connection data, a Secret with the credentials (unless `existingSecretName`),
 * an optional ExternalName Service, and `env`/`envFrom`/`checksum` to wire into containers
 * (see `externalStoreWiring`).
 */
export class ExternalStore extends pulumi.ComponentResource {
    /** The component name; also the name part of the checksum annotation. */
    public readonly storeName: string;
    public readonly namespace: string;
    public readonly engine: ExternalStoreEngine;
    public readonly hosts: readonly string[];
    public readonly port: number;
    public readonly envPrefix: string;
    public readonly configMapName: pulumi.Output<string>;
    public readonly secretName: pulumi.Output<string>;
    /** Env vars as configMapKeyRef/secretKeyRef, sorted by name. */
    public readonly env: pulumi.Output<EnvVar[]>;
    /** The ConfigMap as an envFrom source with `envPrefix`; credentials are only in `env`. */
    public readonly envFrom: pulumi.Output<EnvFromSource[]>;
    /** Non-secret digest of the store's data, credentials included. */
    public readonly checksum: pulumi.Output<string>;
    /** `<name>.<namespace>.svc.cluster.local` when `externalName` is given, otherwise undefined. */
    public readonly serviceDnsName: pulumi.Output<string | undefined>;
    public readonly configMap: k8s.core.v1.ConfigMap;
    public readonly secret?: k8s.core.v1.Secret;
    public readonly service?: k8s.core.v1.Service;

    constructor(name: string, args: ExternalStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        throwIfProblems({ kind: "ExternalStore", name }, validateExternalStoreArgs(name, args));
        super("stateful-stacks:external:ExternalStore", name, {}, opts);

        const names = externalStoreNames(name, args);
        const labels = standardLabels(name, "external-store");
        const configData = buildExternalStoreConfigData(args);
        this.storeName = name;
        this.namespace = args.namespace;
        this.engine = args.engine;
        this.hosts = [...args.hosts];
        this.port = externalStorePort(args);
        this.envPrefix = args.envPrefix ?? "DB_";

        this.configMap = new k8s.core.v1.ConfigMap(
            `${name}-connection`,
            { metadata: { labels, name: names.configMapName, namespace: args.namespace }, data: configData },
            { parent: this },
        );
        let secretContent: pulumi.Input<Record<string, pulumi.Input<string>>> = {};
        if (args.existingSecretName === undefined) {
            const secretData = buildExternalStoreSecretData(args);
            this.secret = new k8s.core.v1.Secret(
                `${name}-credentials`,
                { metadata: { labels, name: names.secretName, namespace: args.namespace }, stringData: pulumi.secret(secretData), type: "Opaque" },
                { parent: this, additionalSecretOutputs: ["data", "stringData"] },
            );
            secretContent = secretData;
        }
        if (args.externalName !== undefined) {
            this.service = new k8s.core.v1.Service(
                name,
                { metadata: { labels, name: names.serviceName, namespace: args.namespace }, spec: { externalName: args.externalName, type: "ExternalName" } },
                { parent: this },
            );
        }

        this.configMapName = this.configMap.metadata.name;
        this.secretName = this.secret ? this.secret.metadata.name : pulumi.output(names.secretName);
        this.env = pulumi.output(buildExternalStoreEnv(name, args));
        this.envFrom = pulumi.output(buildExternalStoreEnvFrom(name, args));
        this.serviceDnsName = this.service
            ? pulumi.output(`${names.serviceName}.${args.namespace}.svc.cluster.local`)
            : pulumi.output(undefined as string | undefined);
        const existing = args.existingSecretName === undefined ? undefined : { keys: args.existingSecretKeys ?? {}, name: args.existingSecretName };
        this.checksum = pulumi.unsecret(
            pulumi
                .all([pulumi.output(configData), pulumi.output(secretContent)])
                .apply(([config, secret]) =>
                    externalStoreChecksum(name, args.namespace, { config, existingSecret: existing ?? null, externalName: args.externalName ?? null, secret }),
                ),
        );

        this.registerOutputs({
            checksum: this.checksum,
            configMapName: this.configMapName,
            env: this.env,
            envFrom: this.envFrom,
            secretName: this.secretName,
            serviceDnsName: this.serviceDnsName,
        });
    }
}
