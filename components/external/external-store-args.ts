import * as pulumi from "@pulumi/pulumi";

/**
 * The arguments of {@link ExternalStore} and the constants they refer to. Validation
 * (`external-store-validate.ts`), the pure render step (`external-store-render.ts`) and
 * the class (`external-store.ts`) all read from here.
 */

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

/** Longest component name: the checksum annotation key `store-<name>-checksum` must fit in 63 characters. */
export const EXTERNAL_STORE_MAX_NAME = 48;

/** Most hosts a store may list: they are written into one ConfigMap value and one wait script. */
export const EXTERNAL_STORE_MAX_HOSTS = 64;

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
     * try them (1 to 64, plain strings). Written comma-separated, in this order, as `HOSTS`.
     * No ports, schemes or credentials here.
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
     * `password` or `secretOptions`. Values must be plain strings (an Output may hold a
     * secret, which a ConfigMap would store in plain text: give computed settings in
     * `secretOptions`) and must not carry credentials: no URL with a user name or password
     * in it (`postgres://app:pw@db`), no `password=` or `token=` parameter
     * (`jdbc:postgresql://db/x?user=a&password=b`).
     * @default {}
     */
    readonly options?: Readonly<Record<string, string>>;
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
    /**
     * A secret key (at least 32 characters, for example `openssl rand -base64 32`, given as
     * a secret Output such as `config.requireSecret("storeChecksumKey")`) that keys
     * `checksum`: HMAC-SHA256 over the store's data and credentials. Whoever reads the pod
     * spec sees the annotation but not the key, so it reveals nothing about the password and
     * cannot be used to test guesses. The key itself goes nowhere: not into a Secret, an
     * annotation or the state's outputs. Changing the key changes the checksum (the
     * consuming pods roll once). A secret Output's value is known when the program runs,
     * so a preview still shows the consumers as updated. A plain string shorter than 32
     * characters is refused at construction; an Output is read when it resolves, and a
     * short one then fails the program (the message never shows the key).
     * @default none: the checksum is PBKDF2 over the same data with a public salt, a slow
     * but real offline password-guessing oracle for readers of pod specs (the component
     * logs a warning when it holds a password of its own and has no key)
     */
    readonly checksumKey?: pulumi.Input<string>;
}

/** Fewest characters a `checksumKey` must have: an HMAC key guessable by brute force keys nothing. */
export const EXTERNAL_STORE_MIN_CHECKSUM_KEY = 32;

/** Every argument name of {@link ExternalStoreArgs}, for the unknown-key check. */
export const EXTERNAL_STORE_ARG_NAMES: readonly string[] = [
    "checksumKey",
    "database",
    "engine",
    "envPrefix",
    "existingSecretKeys",
    "existingSecretName",
    "externalName",
    "hosts",
    "namespace",
    "options",
    "password",
    "port",
    "secretOptions",
    "username",
];

/** Every field name of {@link ExistingSecretKeys}. */
export const EXISTING_SECRET_KEY_NAMES: readonly string[] = ["password", "username"];

