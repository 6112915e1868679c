import { isIP } from "net";
import { EXPECT, isDns1123Label, isDns1123Subdomain, isEnvVarName, isPort } from "../common/kubernetes";
import { isKnown, Problem, ProblemList } from "../common/validation";
import { EXTERNAL_STORE_ENGINES, EXTERNAL_STORE_MAX_NAME, EXTERNAL_STORE_RESERVED_KEYS, ExternalStoreArgs, SECRET_LOOKING_KEY } from "./external-store-args";

/** A URL carrying a password in its user-info part (`scheme://user:password@host`). */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i;


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
