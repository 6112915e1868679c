import { createHmac, pbkdf2Sync } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { sortKeys, standardLabels } from "../common/kubernetes";
import type { EnvFromSource, EnvVar } from "../common/kubernetes-types";
import { EXTERNAL_STORE_DEFAULT_PORTS, ExistingSecretKeys, ExternalStoreArgs, ExternalStoreEngine } from "./external-store-args";

/**
 * The pure render step of {@link ExternalStore}: valid arguments in, every default
 * applied once ({@link resolveExternalStoreArgs}), the objects to register out. Nothing
 * here registers a resource.
 */

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

/** Valid {@link ExternalStoreArgs} with every default applied. */
export interface ResolvedExternalStoreArgs {
    readonly namespace: string;
    readonly engine: ExternalStoreEngine;
    readonly hosts: readonly string[];
    readonly port: number;
    readonly database?: string;
    readonly options: Readonly<Record<string, string>>;
    readonly secretOptions: Readonly<Record<string, pulumi.Input<string>>>;
    readonly username?: pulumi.Input<string>;
    readonly password?: pulumi.Input<string>;
    /** The Secret the user manages, with the keys of the username and password in it. */
    readonly existingSecret?: { readonly name: string; readonly keys: Required<ExistingSecretKeys> };
    readonly externalName?: string;
    readonly envPrefix: string;
    readonly names: ExternalStoreNames;
    /** The key of the checksum's HMAC; none means PBKDF2 with a public salt. */
    readonly checksumKey?: pulumi.Input<string>;
}

/** Applies every default of {@link ExternalStoreArgs}, once. The arguments must be valid. */
export function resolveExternalStoreArgs(name: string, args: ExternalStoreArgs): ResolvedExternalStoreArgs {
    return {
        checksumKey: args.checksumKey,
        database: args.database,
        engine: args.engine,
        envPrefix: args.envPrefix ?? "DB_",
        existingSecret:
            args.existingSecretName === undefined
                ? undefined
                : {
                      keys: { password: args.existingSecretKeys?.password ?? "password", username: args.existingSecretKeys?.username ?? "username" },
                      name: args.existingSecretName,
                  },
        externalName: args.externalName,
        hosts: [...args.hosts],
        names: externalStoreNames(name, args),
        namespace: args.namespace,
        options: args.options ?? {},
        password: args.password,
        port: args.port ?? (EXTERNAL_STORE_DEFAULT_PORTS[args.engine] as number),
        secretOptions: args.secretOptions ?? {},
        username: args.username,
    };
}

/** The port the store uses: the given one or the engine's default. */
export function externalStorePort(args: Pick<ExternalStoreArgs, "engine" | "port">): number {
    return args.port ?? (EXTERNAL_STORE_DEFAULT_PORTS[args.engine] as number);
}

function configDataOf(resolved: ResolvedExternalStoreArgs): Record<string, string> {
    const data: Record<string, string> = {
        ENGINE: resolved.engine,
        HOSTS: resolved.hosts.join(","),
        PORT: String(resolved.port),
    };
    if (resolved.database !== undefined) {
        data.NAME = resolved.database;
    }
    for (const [key, value] of Object.entries(resolved.options)) {
        data[key.toUpperCase()] = value;
    }
    return sortKeys(data);
}

/** The ConfigMap's data: non-secret connection settings, plain strings, keys sorted. */
export function buildExternalStoreConfigData(args: ExternalStoreArgs): Record<string, string> {
    return configDataOf(resolveExternalStoreArgs("", args));
}

function secretDataOf(resolved: ResolvedExternalStoreArgs): Record<string, pulumi.Input<string>> {
    const data: Record<string, pulumi.Input<string>> = {};
    if (resolved.username !== undefined) {
        data.username = resolved.username;
    }
    if (resolved.password !== undefined) {
        data.password = resolved.password;
    }
    for (const [key, value] of Object.entries(resolved.secretOptions)) {
        data[key.toUpperCase()] = value;
    }
    return sortKeys(data);
}

/** The created Secret's data (before it is marked secret): username, password, secret options; keys sorted. */
export function buildExternalStoreSecretData(args: ExternalStoreArgs): Record<string, pulumi.Input<string>> {
    return secretDataOf(resolveExternalStoreArgs("", args));
}

function envOf(resolved: ResolvedExternalStoreArgs): EnvVar[] {
    const prefix = resolved.envPrefix;
    const names = resolved.names;
    const env: EnvVar[] = Object.keys(configDataOf(resolved)).map((key) => ({
        name: `${prefix}${key}`,
        valueFrom: { configMapKeyRef: { key, name: names.configMapName } },
    }));
    if (resolved.existingSecret !== undefined) {
        env.push(
            { name: `${prefix}PASSWORD`, valueFrom: { secretKeyRef: { key: resolved.existingSecret.keys.password, name: names.secretName } } },
            { name: `${prefix}USERNAME`, valueFrom: { secretKeyRef: { key: resolved.existingSecret.keys.username, name: names.secretName, optional: true } } },
        );
    } else {
        for (const key of Object.keys(secretDataOf(resolved))) {
            env.push({ name: `${prefix}${key.toUpperCase()}`, valueFrom: { secretKeyRef: { key, name: names.secretName } } });
        }
    }
    return env.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The environment variables a container needs to reach the store, as references to the
 * ConfigMap and Secret (never literal values), sorted by name.
 */
export function buildExternalStoreEnv(name: string, args: ExternalStoreArgs): EnvVar[] {
    return envOf(resolveExternalStoreArgs(name, args));
}

function envFromOf(resolved: ResolvedExternalStoreArgs): EnvFromSource[] {
    return [{ configMapRef: { name: resolved.names.configMapName }, prefix: resolved.envPrefix }];
}

/** The ConfigMap as an `envFrom` source; credentials come only through {@link buildExternalStoreEnv}. */
export function buildExternalStoreEnvFrom(name: string, args: ExternalStoreArgs): EnvFromSource[] {
    return envFromOf(resolveExternalStoreArgs(name, args));
}

/**
 * What the checksum is computed from: the ConfigMap's data, the ExternalName target, an
 * existing Secret's name and keys, and the created Secret's data (the credentials).
 */
export interface ExternalStoreChecksumInput {
    /** The ConfigMap's data, exactly as rendered (already in plain text in the ConfigMap). */
    readonly config: Readonly<Record<string, string>>;
    /** The ExternalName Service's target, or null. */
    readonly externalName: string | null;
    /** The name and keys of a Secret the user manages (`existingSecretName`), or null. */
    readonly existingSecret: { readonly name: string; readonly keys: Readonly<Record<string, string>> } | null;
    /** The created Secret's data (username, password, secret options), or null when there is none. */
    readonly secret: Readonly<Record<string, string>> | null;
}

/** Cost of the unkeyed checksum's key stretching: each guess at a password costs this many SHA-256 rounds. */
const CHECKSUM_ITERATIONS = 20000;

/**
 * The store's checksum, hex, over the canonical JSON (sorted keys) of
 * {@link ExternalStoreChecksumInput}; deterministic, known when the program runs (a preview
 * shows the consuming pods' template as an update, not as unknown), and changed by any
 * value, the password included.
 *
 * - With `key` (the store's `checksumKey`): HMAC-SHA256 keyed with it, over the store's
 *   namespace and name and that JSON. Without the key, the value says nothing about the
 *   credentials and cannot be used to test a guessed password.
 * - Without `key`: PBKDF2-SHA256 (20,000 rounds) salted with the namespace and name. Not
 *   secret, and a slow but real way to test a guessed password offline for whoever can
 *   read pod specs. With `existingSecretName` no credential goes into it.
 */
export function externalStoreChecksum(name: string, namespace: string, input: ExternalStoreChecksumInput, key?: string): string {
    const canonical = JSON.stringify(sortKeys(input));
    if (key !== undefined) {
        return createHmac("sha256", key).update(`stateful-stacks/external-store/${namespace}/${name}\n${canonical}`, "utf8").digest("hex");
    }
    return pbkdf2Sync(canonical, `stateful-stacks/external-store/${namespace}/${name}`, CHECKSUM_ITERATIONS, 32, "sha256").toString("hex");
}

/** The annotation key a consuming pod template carries the store's checksum under. */
export function externalStoreChecksumAnnotation(name: string): string {
    return `stateful-stacks.io/store-${name}-checksum`;
}

/** A `v1` ConfigMap, Secret or Service as rendered by the store. */
interface StoreObject<T> {
    readonly metadata: { readonly labels: Record<string, string>; readonly name: string; readonly namespace: string };
    readonly spec?: T;
}

/** Everything an {@link ExternalStore} registers, rendered from valid arguments. */
export interface ExternalStoreRender {
    readonly resolved: ResolvedExternalStoreArgs;
    readonly configMap: StoreObject<never> & { readonly data: Record<string, string> };
    /** The Secret to create (without `existingSecretName`); its `stringData` is to be marked secret. */
    readonly secret?: StoreObject<never> & { readonly stringData: Record<string, pulumi.Input<string>>; readonly type: "Opaque" };
    /** The ExternalName Service (with `externalName`). */
    readonly service?: StoreObject<{ readonly externalName: string; readonly type: "ExternalName" }>;
    readonly env: EnvVar[];
    readonly envFrom: EnvFromSource[];
    /** `<service>.<namespace>.svc.cluster.local` with `externalName`. */
    readonly serviceDnsName?: string;
    /** The checksum input without the Secret's version, which is known only once it is applied. */
    readonly checksumBase: Omit<ExternalStoreChecksumInput, "secret">;
}

/** Renders an {@link ExternalStore} named `name` from valid arguments. */
export function renderExternalStore(name: string, args: ExternalStoreArgs): ExternalStoreRender {
    const resolved = resolveExternalStoreArgs(name, args);
    const labels = standardLabels(name, "external-store");
    const meta = (objectName: string) => ({ labels, name: objectName, namespace: resolved.namespace });
    const config = configDataOf(resolved);
    const existing = resolved.existingSecret;
    return {
        checksumBase: {
            config,
            existingSecret: existing ? { keys: { ...existing.keys }, name: existing.name } : null,
            externalName: resolved.externalName ?? null,
        },
        configMap: { data: config, metadata: meta(resolved.names.configMapName) },
        env: envOf(resolved),
        envFrom: envFromOf(resolved),
        resolved,
        secret: existing === undefined ? { metadata: meta(resolved.names.secretName), stringData: secretDataOf(resolved), type: "Opaque" } : undefined,
        service:
            resolved.externalName === undefined
                ? undefined
                : { metadata: meta(resolved.names.serviceName), spec: { externalName: resolved.externalName, type: "ExternalName" } },
        serviceDnsName: resolved.externalName === undefined ? undefined : `${resolved.names.serviceName}.${resolved.namespace}.svc.cluster.local`,
    };
}
