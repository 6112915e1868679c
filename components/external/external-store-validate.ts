import { isIP } from "net";
import {
    checkInteger,
    checkDistinctList,
    checkObject,
    checkOneOf,
    checkPlain,
    checkRecord,
    checkRequired,
    checkString,
    EXPECT_CHECK,
    isDeferred,
} from "../common/checks";
import { containsCredential, looksLikeCredential } from "../common/credentials";
import { checkLabel, checkSubdomain, EXPECT, isDns1123Label, isDns1123Subdomain, isEnvVarName } from "../common/kubernetes";
import { Problem, ProblemList } from "../common/validation";
import {
    EXISTING_SECRET_KEY_NAMES,
    EXTERNAL_STORE_ARG_NAMES,
    EXTERNAL_STORE_ENGINES,
    EXTERNAL_STORE_MAX_HOSTS,
    EXTERNAL_STORE_MAX_NAME,
    EXTERNAL_STORE_MIN_CHECKSUM_KEY,
    EXTERNAL_STORE_RESERVED_KEYS,
    ExternalStoreArgs,
    SECRET_LOOKING_KEY,
} from "./external-store-args";

/**
 * The validation of {@link ExternalStore}: every argument at every level, every problem at
 * once, before anything is registered. No message prints a credential: values under
 * credential-looking paths, passwords, secret options and every value that carries a
 * credential (a URL's userinfo, a `password=` parameter) read `[secret]`.
 */

/** A character of a URL's authority before `@`: anything but `/ ? # @` and whitespace. */
const AUTHORITY_END = /[/?#@\s]/;
/** A character that can end a URL scheme (`postgres`, `jdbc:mysql`, `svn+ssh`). */
const SCHEME_CHAR = /[a-z0-9+.-]/i;

/** Longest option value: a connection setting is short (a path, a mode, a name). */
const MAX_TEXT = 4096;
/** Longest parameter name the credential search reads. */
const MAX_PARAMETER_NAME = 32;
/** What the options may take of the ConfigMap's 1 MiB, leaving room for the store's own keys. */
const MAX_OPTIONS_BYTES = 1_000_000;
/** A key of a Secret's data: letters, digits, '-', '_' and '.'. */
const SECRET_DATA_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** True for an IPv4 address, an IPv6 address or a DNS host name (RFC 1123, case-insensitive). */
export function isHost(value: string): boolean {
    if (isIP(value) !== 0) {
        return !value.includes("%");
    }
    return isDnsName(value);
}

/** True for a DNS host name whose last label is not all digits (so "999.1.1.1" is refused). */
export function isDnsName(value: string): boolean {
    if (typeof value !== "string") {
        return false;
    }
    const name = value.endsWith(".") ? value.slice(0, -1) : value;
    if (name.length === 0 || name.length > 253) {
        return false;
    }
    const labels = name.split(".");
    const label = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/i;
    return labels.every((l) => label.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

const EXPECT_HOST = "must be an IPv4 address, an IPv6 address or a DNS name, without scheme or port";
const EXPECT_NAME = `must be a DNS-1035 label of at most ${EXTERNAL_STORE_MAX_NAME} characters: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit`;
const EXPECT_ARGS = "must be an object of ExternalStore arguments";
const EXPECT_OPTIONS = "must be an object mapping names to strings";
const CONFIG_MAP_IS_PLAIN = "options are written to a ConfigMap, which is not secret";
const USE_SECRET_ARGS = `put the password in "password" and other secret settings in "secretOptions" (or in the Secret named by "existingSecretName")`;

/**
 * True when a text holds a URL with userinfo (`scheme://user@host`,
 * `scheme://user:password@host`): it names an account, and often carries its password.
 * One pass over the text, however long and whatever it holds.
 */
function hasUserinfo(text: string): boolean {
    let from = 0;
    for (;;) {
        const at = text.indexOf("://", from);
        if (at < 0) {
            return false;
        }
        let end = at + 3;
        while (end < text.length && !AUTHORITY_END.test(text[end])) {
            end++;
        }
        if (text[end] === "@" && end > at + 3 && at > 0 && SCHEME_CHAR.test(text[at - 1])) {
            return true;
        }
        from = Math.max(end, at + 3);
    }
}

/**
 * True when a text has a `name=value` parameter that the package's rule takes for a
 * credential (`password=…`, `pwd=…`, `token=…`). The rule reads each parameter (split at
 * `? & ;` and whitespace) up to one character after its `=`, never the whole text: its
 * names are short, and one pass stays fast however long the text is.
 */
function hasCredentialParameter(text: string): boolean {
    for (const piece of text.split(/[?&;\s]/)) {
        const equals = piece.indexOf("=");
        if (equals > 0 && equals <= MAX_PARAMETER_NAME && containsCredential(`?${piece.slice(0, equals + 2)}`)) {
            return true;
        }
    }
    return false;
}

/** True when a text carries a credential or names an account: a URL's userinfo, or a credential parameter. */
function carriesCredential(text: string): boolean {
    return hasUserinfo(text) || hasCredentialParameter(text);
}

function checkHost(problems: ProblemList, path: string, host: unknown): void {
    if (!checkPlain(problems, path, host)) {
        return;
    }
    if (typeof host !== "string") {
        problems.add(path, host, EXPECT_HOST);
        return;
    }
    if (isHost(host)) {
        return;
    }
    if (carriesCredential(host)) {
        problems.addSecret(path, `${EXPECT_HOST}; it carries credentials, which belong in "username" and "password"`);
    } else if (/^[^:]+:\d+$/.test(host) || /^\[[^\]]+\]:\d+$/.test(host)) {
        problems.add(path, host, `${EXPECT_HOST}; give the port in "port"`);
    } else if (host.includes("://")) {
        problems.add(path, host, `${EXPECT_HOST}; give only the host name`);
    } else {
        problems.add(path, host, EXPECT_HOST);
    }
}

function checkHosts(problems: ProblemList, hosts: unknown): void {
    if (!checkRequired(problems, "hosts", hosts, "the host names or IP addresses of the store")) {
        return;
    }
    checkDistinctList(
        problems,
        "hosts",
        hosts,
        "a host",
        (path, host) => {
            checkHost(problems, path, host);
            return typeof host === "string" && isHost(host) ? host.toLowerCase() : undefined;
        },
        { expected: "must be a non-empty list of host names or IP addresses", maxLength: EXTERNAL_STORE_MAX_HOSTS, minLength: 1 },
    );
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
 * Checks a key of `options` or `secretOptions`: an environment variable name, not one the
 * store writes itself, not the same as another key once upper-cased. True when it passes.
 */
function checkOptionKey(problems: ProblemList, path: string, key: string, taken: Map<string, string>): boolean {
    if (!isEnvVarName(key)) {
        problems.add(path, key, `key ${EXPECT.envVarName}`);
        return false;
    }
    const upper = key.toUpperCase();
    if (EXTERNAL_STORE_RESERVED_KEYS.includes(upper)) {
        problems.add(path, key, `key is reserved for the store's own ${upper}; use the "${reservedArg(upper)}" argument`);
        return false;
    }
    const clash = taken.get(upper);
    if (clash !== undefined) {
        problems.add(path, key, `key becomes ${upper}, which "${clash}" already uses`);
        return false;
    }
    taken.set(upper, path);
    return true;
}

/**
 * `options` land in a ConfigMap: keys that look like credentials (by the package's rule,
 * or by the stricter substring rule of {@link SECRET_LOOKING_KEY} that the ConfigMap
 * leak scan applies), values that carry credentials, and Outputs (which may be secret,
 * and cannot be told apart at construction) are refused.
 */
function checkOptions(problems: ProblemList, options: unknown, taken: Map<string, string>): void {
    let size = 0;
    const isRecord = checkRecord(
        problems,
        "options",
        options,
        (path, value, key) => {
            if (!checkOptionKey(problems, path, key, taken)) {
                return;
            }
            if (looksLikeCredential(key) || SECRET_LOOKING_KEY.test(key)) {
                problems.addSecret(path, `looks like a credential, and ${CONFIG_MAP_IS_PLAIN}; ${USE_SECRET_ARGS}`);
            } else if (isDeferred(value)) {
                problems.add(
                    path,
                    value,
                    `must be a plain string: ${CONFIG_MAP_IS_PLAIN}, and an Output may hold a secret that would land there in plain text; give computed settings in "secretOptions"`,
                );
            } else if (typeof value !== "string") {
                problems.add(path, value, value === null ? EXPECT_CHECK.notNull : EXPECT_CHECK.string);
            } else if (value.length > MAX_TEXT) {
                problems.add(path, `${value.length} characters`, `must be at most ${MAX_TEXT} characters long`);
            } else if (carriesCredential(value)) {
                problems.addSecret(path, `carries a credential (a password, a token or a URL's user name); ${CONFIG_MAP_IS_PLAIN}; ${USE_SECRET_ARGS}`);
            } else {
                size += key.length + Buffer.byteLength(value, "utf8");
            }
        },
        EXPECT_OPTIONS,
    );
    if (isRecord && size > MAX_OPTIONS_BYTES) {
        problems.add("options", `${size} bytes`, `must together hold at most ${MAX_OPTIONS_BYTES} bytes of keys and values: a ConfigMap holds at most 1 MiB`);
    }
}

/** `secretOptions` land in the Secret: strings or Outputs, never printed. */
function checkSecretOptions(problems: ProblemList, secretOptions: unknown, taken: Map<string, string>): void {
    checkRecord(
        problems,
        "secretOptions",
        secretOptions,
        (path, value, key) => {
            if (checkOptionKey(problems, path, key, taken) && !isDeferred(value) && typeof value !== "string") {
                problems.addSecret(path, "must be a string");
            }
        },
        EXPECT_OPTIONS,
    );
}

function checkCredentials(problems: ProblemList, args: Record<string, unknown>): void {
    const hasPassword = args.password !== undefined;
    const hasExisting = args.existingSecretName !== undefined;
    if (hasPassword && hasExisting) {
        problems.addSecret("password", `cannot be combined with "existingSecretName"; give one of them`);
    } else if (!hasPassword && !hasExisting) {
        problems.add("password", undefined, `is required unless "existingSecretName" names a Secret that holds the credentials`);
    }
    if (hasPassword && !isDeferred(args.password) && (typeof args.password !== "string" || args.password.length === 0)) {
        problems.addSecret("password", "must be a non-empty string");
    }
    if (args.username !== undefined && !isDeferred(args.username) && (typeof args.username !== "string" || args.username.trim() === "")) {
        problems.add("username", args.username, "must be a non-empty string");
    }
    if (hasExisting) {
        checkSubdomain(problems, "existingSecretName", args.existingSecretName);
        if (args.username !== undefined) {
            problems.add("username", args.username, `cannot be combined with "existingSecretName"; the user name belongs in that Secret (see "existingSecretKeys")`);
        }
        if (args.secretOptions !== undefined) {
            problems.addSecret("secretOptions", `cannot be combined with "existingSecretName"; put these settings in that Secret`);
        }
    }
    const keys = args.existingSecretKeys;
    if (keys !== undefined) {
        if (!hasExisting) {
            problems.add("existingSecretKeys", keys, `can only be given with "existingSecretName"`);
        }
        if (checkObject(problems, "existingSecretKeys", keys, EXISTING_SECRET_KEY_NAMES)) {
            for (const field of EXISTING_SECRET_KEY_NAMES) {
                const key = keys[field];
                if (key !== undefined && checkPlain(problems, `existingSecretKeys.${field}`, key) && (typeof key !== "string" || !SECRET_DATA_KEY.test(key))) {
                    problems.add(`existingSecretKeys.${field}`, key, "must be a Secret key: letters, digits, '-', '_' and '.'");
                }
            }
        }
    }
}

/** The checksum key is a secret: never printed, an Output passes (it is read when known). */
function checkChecksumKey(problems: ProblemList, key: unknown): void {
    if (key === undefined || isDeferred(key)) {
        return;
    }
    if (typeof key !== "string" || key.length < EXTERNAL_STORE_MIN_CHECKSUM_KEY) {
        problems.addSecret(
            "checksumKey",
            `must be a string of at least ${EXTERNAL_STORE_MIN_CHECKSUM_KEY} characters (for example from \`openssl rand -base64 32\`), best given as a secret Output from stack config`,
        );
    }
}

function checkExternalName(problems: ProblemList, externalName: unknown): void {
    if (externalName === undefined || !checkPlain(problems, "externalName", externalName)) {
        return;
    }
    if (typeof externalName !== "string" || !isDnsName(externalName)) {
        problems.add("externalName", externalName, "must be a DNS name (an ExternalName Service is a CNAME; IP addresses are not allowed)");
    } else if (!isDns1123Subdomain(externalName.replace(/\.$/, ""))) {
        problems.add("externalName", externalName, `must be in lower case, as the API server requires (a DNS-1123 subdomain): "${externalName.toLowerCase()}"`);
    }
}

/**
 * Checks every argument of an ExternalStore named `name` and returns every problem found.
 * Values that reach the ConfigMap, names and the wait script must be plain; `username`,
 * `password` and `secretOptions` values may be Outputs (they are checked by the provider).
 */
export function validateExternalStoreArgs(name: string, args: ExternalStoreArgs): Problem[] {
    const problems = new ProblemList({ redactCredentialPaths: true });
    if (typeof name !== "string" || !isDns1123Label(name) || !/^[a-z]/.test(name) || name.length > EXTERNAL_STORE_MAX_NAME) {
        problems.add("name", name, EXPECT_NAME);
    }
    if (isDeferred(args)) {
        problems.add("args", args, EXPECT_CHECK.deferredArgs);
        return [...problems.problems];
    }
    if (!checkObject(problems, "", args, EXTERNAL_STORE_ARG_NAMES, EXPECT_ARGS)) {
        if (args === undefined) {
            problems.add("args", args, EXPECT_ARGS);
        }
        return [...problems.problems];
    }
    const given = args as unknown as Record<string, unknown>;
    if (checkRequired(problems, "namespace", given.namespace, "pods can only read the ConfigMap and Secret of their own namespace")) {
        checkLabel(problems, "namespace", given.namespace);
    }
    if (checkRequired(problems, "engine", given.engine, `one of ${EXTERNAL_STORE_ENGINES.map((e) => `"${e}"`).join(", ")}`)) {
        checkOneOf(problems, "engine", given.engine, EXTERNAL_STORE_ENGINES);
    }
    checkHosts(problems, given.hosts);
    if (given.port !== undefined) {
        checkInteger(problems, "port", given.port, { max: 65535, min: 1 });
    } else if (given.engine === "other") {
        problems.add("port", undefined, `is required when engine is "other"; ${EXPECT.port}`);
    }
    if (checkString(problems, "database", given.database)) {
        if (carriesCredential(given.database)) {
            problems.addSecret("database", `must be a database name, not a connection string: it carries a credential, and the name is written to a ConfigMap, which is not secret`);
        } else if (given.database === "" || /[\s,]/.test(given.database) || given.database.length > 253) {
            problems.add("database", given.database, "must be a non-empty name of at most 253 characters, without spaces or commas");
        }
    }
    const taken = new Map<string, string>();
    checkOptions(problems, given.options, taken);
    checkSecretOptions(problems, given.secretOptions, taken);
    checkCredentials(problems, given);
    checkExternalName(problems, given.externalName);
    checkChecksumKey(problems, given.checksumKey);
    if (given.envPrefix !== undefined && checkPlain(problems, "envPrefix", given.envPrefix) && (typeof given.envPrefix !== "string" || !isEnvVarName(given.envPrefix))) {
        problems.add("envPrefix", given.envPrefix, `must be a valid start of an environment variable name: letters, digits and '_', not starting with a digit (such as "DB_")`);
    }
    return [...problems.problems];
}
