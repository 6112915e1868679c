import * as pulumi from "@pulumi/pulumi";
import { checkBoolean, checkObject, checkRecord, isDeferred, isPlainObject } from "../common/checks";
import { containsCredential, looksLikeCredential } from "../common/credentials";
import { checkSubdomain, EXPECT, isEnvVarName } from "../common/kubernetes";
import type { EnvVar } from "../common/kubernetes-types";
import { ProblemList } from "../common/validation";

/**
 * Environment variables of a container: literal values, and references to keys of
 * Secrets and ConfigMaps (`valueFrom`). Shared by StatefulWorkload and NodeLocalStore.
 */

/** An environment variable read from one key of a Secret (`valueFrom.secretKeyRef`). */
export interface SecretKeyEnv {
    /** Name of the Secret, in the workload's namespace (a DNS-1123 subdomain; an Output such as `ExternalStore.secretName` is fine). */
    readonly secretName: pulumi.Input<string>;
    /** The key in the Secret's data: letters, digits, '-', '_' and '.', at most 253 characters. */
    readonly key: string;
    /**
     * Start the pod even when the Secret or the key is missing (the variable is then unset).
     * @default false (the pod waits for the Secret and key to exist)
     */
    readonly optional?: boolean;
}

/** An environment variable read from one key of a ConfigMap (`valueFrom.configMapKeyRef`). */
export interface ConfigMapKeyEnv {
    /** Name of the ConfigMap, in the workload's namespace (a DNS-1123 subdomain; an Output is fine). */
    readonly configMapName: pulumi.Input<string>;
    /** The key in the ConfigMap's data: letters, digits, '-', '_' and '.', at most 253 characters. */
    readonly key: string;
    /**
     * Start the pod even when the ConfigMap or the key is missing (the variable is then unset).
     * @default false (the pod waits for the ConfigMap and key to exist)
     */
    readonly optional?: boolean;
}

/** The three ways a container's own variables are given; one name may appear in one of them only. */
export interface ContainerEnvArgs {
    readonly env?: Record<string, pulumi.Input<string>>;
    readonly secretEnv?: Record<string, SecretKeyEnv>;
    readonly configMapEnv?: Record<string, ConfigMapKeyEnv>;
}

const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_DATA_KEY = 253;

const EXPECT_DATA_KEY = `must be a Secret or ConfigMap key: at most ${MAX_DATA_KEY} letters, digits, '-', '_' and '.', not "." or ".." and not starting with ".."`;

/** True for a key of a Secret's or ConfigMap's data (the API server's IsConfigMapKey rule). */
export function isDataKey(value: unknown): value is string {
    return typeof value === "string" && value.length <= MAX_DATA_KEY && DATA_KEY.test(value) && value !== "." && !value.startsWith("..");
}

export { looksLikeCredential } from "../common/credentials";

/** Why a literal env value was refused, pointing at `secretEnv`. */
function credentialText(prefix: string, name: string, reason: string): string {
    return `must not be a literal value: ${reason}, and credentials live only in Secrets; reference one with ${prefix}secretEnv.${name}: { secretName, key }`;
}

/**
 * Why an Output is refused as a literal value: whether it is secret is only known once it
 * resolves, after the pod spec has been sent, and a secret must never be rendered there.
 */
function outputText(prefix: string, name: string): string {
    return `must be a plain string, not an Output or a Promise: whether it holds a secret is only known after the pod spec is sent, and a secret must never be rendered into it; put a computed setting in a ConfigMap and read it with ${prefix}configMapEnv.${name}, a secret in a Secret with ${prefix}secretEnv.${name}`;
}

function checkReference(problems: ProblemList, path: string, ref: unknown, nameField: "secretName" | "configMapName"): void {
    if (ref === undefined || ref === null || !isPlainObject(ref)) {
        problems.add(path, ref, `must be { ${nameField}, key, optional? }`);
        return;
    }
    checkObject(problems, path, ref, [nameField, "key", "optional"]);
    const objectName = ref[nameField];
    if (objectName === undefined || !isDeferred(objectName)) {
        checkSubdomain(problems, `${path}.${nameField}`, objectName);
    }
    if (!isDataKey(ref.key)) {
        problems.add(`${path}.key`, ref.key, EXPECT_DATA_KEY);
    }
    checkBoolean(problems, `${path}.optional`, ref.optional);
}

/** Checks one literal variable: a plain string, and no credential by its name or its value. */
function checkLiteral(problems: ProblemList, prefix: string, path: string, name: string, value: unknown): void {
    if (looksLikeCredential(name)) {
        problems.addSecret(path, credentialText(prefix, name, `${name} names a credential`));
    } else if (isDeferred(value)) {
        problems.add(path, value, outputText(prefix, name));
    } else if (typeof value !== "string") {
        problems.add(path, value, "must be a string");
    } else if (containsCredential(value)) {
        problems.addSecret(path, credentialText(prefix, name, "the value holds a password (a URL's user:password@ or a password= parameter)"));
    }
}

/**
 * Checks a container's variables: valid names, none of the `reserved` ones (set by the
 * component), each name in one of env, configMapEnv and secretEnv only, valid Secret and
 * ConfigMap references (unknown fields refused), no credential-looking name read from a
 * ConfigMap, and in `env` only plain strings that are
 * not credentials — by their name (see `looksLikeCredential`) or their value (a
 * connection string with a password). An Output in `env` is refused: whether it is
 * secret cannot be known at construction. `prefix` is the property path of the container
 * ("" for the main one, "initContainers[0]." for others); `alreadySet` maps names set
 * elsewhere to the field that sets them. A value under a credential-looking name is never
 * printed.
 */
export function checkContainerEnv(
    problems: ProblemList,
    prefix: string,
    args: ContainerEnvArgs,
    reserved: readonly string[],
    alreadySet: ReadonlyMap<string, string> = new Map(),
): void {
    const seen = new Map<string, string>(alreadySet);
    const source = (isPlainObject(args) ? args : {}) as Record<string, unknown>;
    for (const field of ["env", "configMapEnv", "secretEnv"] as const) {
        checkRecord(
            problems,
            `${prefix}${field}`,
            source[field],
            (path, value, name) => {
                if (!isEnvVarName(name)) {
                    problems.add(path, name, EXPECT.envVarName);
                } else if (reserved.includes(name)) {
                    problems.add(path, name, `must not be one of the variables the workload sets itself (${reserved.join(", ")})`);
                } else if (seen.has(name)) {
                    problems.add(path, name, `must not also be set in ${prefix}${seen.get(name)}: each variable comes from one of env, configMapEnv and secretEnv`);
                }
                seen.set(name, field);
                if (field === "env") {
                    checkLiteral(problems, prefix, path, name, value);
                } else if (field === "configMapEnv" && looksLikeCredential(name)) {
                    problems.addSecret(
                        path,
                        `must not be read from a ConfigMap: ${name} names a credential, and credentials live only in Secrets (a ConfigMap is readable by anyone who can read the namespace's configuration); reference one with ${prefix}secretEnv.${name}: { secretName, key }`,
                    );
                } else {
                    checkReference(problems, path, value, field === "secretEnv" ? "secretName" : "configMapName");
                }
            },
            "must be an object mapping variable names to values",
        );
    }
}

/** The container's own variables, literal and referenced, sorted by name. */
export function buildEnvVars(args: ContainerEnvArgs): EnvVar[] {
    const vars: EnvVar[] = [];
    for (const [name, value] of Object.entries(args.env ?? {})) {
        vars.push({ name, value });
    }
    for (const [name, ref] of Object.entries(args.configMapEnv ?? {})) {
        const selector = { key: ref.key, name: ref.configMapName, ...(ref.optional !== undefined ? { optional: ref.optional } : {}) };
        vars.push({ name, valueFrom: { configMapKeyRef: selector } });
    }
    for (const [name, ref] of Object.entries(args.secretEnv ?? {})) {
        const selector = { key: ref.key, name: ref.secretName, ...(ref.optional !== undefined ? { optional: ref.optional } : {}) };
        vars.push({ name, valueFrom: { secretKeyRef: selector } });
    }
    return vars.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
