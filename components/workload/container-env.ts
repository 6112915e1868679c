import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkSubdomain, EXPECT, isEnvVarName } from "../common/kubernetes";
import { isKnown, ProblemList } from "../common/validation";

/**
 * Environment variables of a container: literal values, and references to keys of
 * Secrets and ConfigMaps (`valueFrom`). Shared by StatefulWorkload and NodeLocalStore.
 */

type EnvVar = k8s.types.input.core.v1.EnvVar;

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

/** The words that mark a variable as a credential: its value belongs in a Secret. */
const CREDENTIAL_WORDS = ["APIKEY", "CREDENTIAL", "CREDENTIALS", "PASSPHRASE", "PASSWD", "PASSWORD", "SECRET", "TOKEN"];
/** Two-word credential names (`API_KEY`, `AWS_SECRET_ACCESS_KEY`, `PRIVATE_KEY`). */
const CREDENTIAL_PAIRS = [
    ["ACCESS", "KEY"],
    ["API", "KEY"],
    ["PRIVATE", "KEY"],
];
/** A last word that makes the value a location or a name, not the credential itself (`POSTGRES_PASSWORD_FILE`). */
const REFERENCE_WORDS = ["DIR", "FILE", "NAME", "PATH"];

const EXPECT_DATA_KEY = `must be a Secret or ConfigMap key: at most ${MAX_DATA_KEY} letters, digits, '-', '_' and '.', not "." or ".." and not starting with ".."`;

/** True for a key of a Secret's or ConfigMap's data (the API server's IsConfigMapKey rule). */
export function isDataKey(value: unknown): value is string {
    return typeof value === "string" && value.length <= MAX_DATA_KEY && DATA_KEY.test(value) && value !== "." && !value.startsWith("..");
}

/** The words of a variable name, upper case: `dbPassword` → DB, PASSWORD; `API_KEY` → API, KEY. */
function words(name: string): string[] {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .split(/[^A-Za-z0-9]+/)
        .filter((w) => w !== "")
        .map((w) => w.toUpperCase());
}

/**
 * True when a variable's name says it holds a credential (PASSWORD, TOKEN, SECRET,
 * API_KEY, …, as a whole word): such a value must come from a Secret, never a literal.
 * Names ending in FILE, PATH, DIR or NAME (`POSTGRES_PASSWORD_FILE`, `TLS_SECRET_NAME`)
 * say where a credential is, not what it is, and are not credentials.
 */
export function looksLikeCredential(name: string): boolean {
    const parts = words(name);
    if (parts.length > 1 && REFERENCE_WORDS.includes(parts[parts.length - 1])) {
        return false;
    }
    if (parts.some((w) => CREDENTIAL_WORDS.includes(w))) {
        return true;
    }
    return parts.some((w, i) => CREDENTIAL_PAIRS.some(([first, second]) => w === first && parts[i + 1] === second));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value) && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

function checkReference(problems: ProblemList, path: string, ref: unknown, nameField: "secretName" | "configMapName"): void {
    if (!isPlainObject(ref)) {
        problems.add(path, ref, `must be { ${nameField}, key, optional? }`);
        return;
    }
    const objectName = ref[nameField];
    if (objectName === undefined || isKnown(objectName)) {
        checkSubdomain(problems, `${path}.${nameField}`, objectName);
    }
    if (!isDataKey(ref.key)) {
        problems.add(`${path}.key`, ref.key, EXPECT_DATA_KEY);
    }
    if (ref.optional !== undefined && typeof ref.optional !== "boolean") {
        problems.add(`${path}.optional`, ref.optional, "must be true or false");
    }
}

/**
 * Checks a container's variables: valid names, none of the `reserved` ones (set by the
 * component), each name in one of env, configMapEnv and secretEnv only, valid Secret and
 * ConfigMap references, and no credential-like name with a literal value. `prefix` is the
 * property path of the container ("" for the main one, "initContainers[0]." for others);
 * `alreadySet` maps names set elsewhere to the field that sets them.
 */
export function checkContainerEnv(
    problems: ProblemList,
    prefix: string,
    args: ContainerEnvArgs,
    reserved: readonly string[],
    alreadySet: ReadonlyMap<string, string> = new Map(),
): void {
    const seen = new Map<string, string>(alreadySet);
    const groups = [
        ["env", args.env],
        ["configMapEnv", args.configMapEnv],
        ["secretEnv", args.secretEnv],
    ] as const;
    for (const [field, map] of groups) {
        if (map === undefined) {
            continue;
        }
        if (!isPlainObject(map)) {
            problems.add(`${prefix}${field}`, map, "must be an object mapping variable names to values");
            continue;
        }
        for (const name of Object.keys(map).sort()) {
            const path = `${prefix}${field}.${name}`;
            if (!isEnvVarName(name)) {
                problems.add(path, name, EXPECT.envVarName);
            } else if (reserved.includes(name)) {
                problems.add(path, name, `must not be one of the variables the workload sets itself (${reserved.join(", ")})`);
            } else if (seen.has(name)) {
                problems.add(path, name, `must not also be set in ${prefix}${seen.get(name)}: each variable comes from one of env, configMapEnv and secretEnv`);
            }
            seen.set(name, field);
            const value = (map as Record<string, unknown>)[name];
            if (field === "env") {
                if (isKnown(value) && typeof value !== "string") {
                    problems.add(path, value, "must be a string");
                } else if (looksLikeCredential(name)) {
                    problems.addSecret(
                        path,
                        `must not be a literal value: ${name} names a credential, and credentials live only in Secrets; reference one with ${prefix}secretEnv.${name}: { secretName, key }`,
                    );
                }
            } else {
                checkReference(problems, path, value, field === "secretEnv" ? "secretName" : "configMapName");
            }
        }
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
