import * as pulumi from "@pulumi/pulumi";
import { parseQuantity } from "../common/kubernetes";
import { ProblemList } from "../common/validation";

/**
 * The argument checks NodeLocalStore and ReplicatedCache are built on: total (any value,
 * of any type or depth, gives a problem or passes; never a TypeError), and redacting (a
 * value that looks like a credential is never rendered into a message).
 */

/** Largest value of a Kubernetes int32 field (replicas, ports, seconds). */
export const INT32_MAX = 2 ** 31 - 1;

const MAX_DESCRIBED = 120;
const MAX_DEPTH = 3;
const MAX_ENTRIES = 8;

/** Words that make a variable or field name a credential: its value belongs in a Secret. */
const CREDENTIAL_INFIX = /PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|APIKEY|PRIVATE_KEY|ACCESS_KEY/;
/** Last words that do the same (`DB_PASS`, `PGPASS`, `MYSQL_PWD`, `REDIS_AUTH`, `ENCRYPTION_KEY`). */
const CREDENTIAL_SUFFIX = /(PASS|PWD|(^|_)AUTH|(^|_)KEY)$/;
/** A last word that makes the value a location or a name, not the credential itself (`POSTGRES_PASSWORD_FILE`). */
const REFERENCE_SUFFIX = /_(FILE|PATH|DIR|NAME)$/;
/** A URL with userinfo (`postgres://app:pw@db`) or a `password=` parameter (JDBC, ODBC, libpq). */
const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/[^/?#\s@]+@/i;
const PASSWORD_PARAMETER = /(^|[?&;\s,])(password|passwd|pwd)=/i;

/** A name in upper-case words joined by '_': `dbPassword` → DB_PASSWORD, `jwt-signing.key` → JWT_SIGNING_KEY. */
function upperWords(name: string): string {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .split(/[^A-Za-z0-9]+/)
        .filter((w) => w !== "")
        .join("_")
        .toUpperCase();
}

/**
 * True when a name says it holds a credential: it contains PASSWORD, SECRET, TOKEN,
 * CREDENTIAL, … or ends in PASS, PWD, _AUTH or _KEY. Names ending in _FILE, _PATH, _DIR or
 * _NAME say where a credential is, not what it is.
 */
export function isCredentialName(name: string): boolean {
    const upper = upperWords(name);
    if (REFERENCE_SUFFIX.test(upper)) {
        return false;
    }
    return CREDENTIAL_INFIX.test(upper) || CREDENTIAL_SUFFIX.test(upper);
}

/** True for a value that carries a credential: a connection string with userinfo or a `password=` parameter. */
export function isCredentialValue(value: string): boolean {
    return CREDENTIAL_URL.test(value) || PASSWORD_PARAMETER.test(value);
}

/** True for an Output or a Promise: a value not known at construction. */
export function isComputed(value: unknown): boolean {
    return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/** True for an object literal: not null, an array, an Output, a Promise or a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value) || isComputed(value)) {
        return false;
    }
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

/** An own data property of an object, without running getters or reading the prototype chain. */
export function ownValue(object: object, key: string): unknown {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    return descriptor !== undefined && "value" in descriptor ? descriptor.value : undefined;
}

function describeString(text: string): string {
    if (isCredentialValue(text)) {
        return "[secret]";
    }
    const quoted = JSON.stringify(text);
    return quoted.length > MAX_DESCRIBED ? `${quoted.slice(0, MAX_DESCRIBED - 4)}..."` : quoted;
}

function describeAt(value: unknown, depth: number): string {
    if (value === undefined) {
        return "undefined";
    }
    if (value === null || typeof value === "boolean") {
        return String(value);
    }
    if (typeof value === "number") {
        return Object.is(value, -0) ? "-0" : String(value);
    }
    if (typeof value === "bigint") {
        return `${value}n`;
    }
    if (typeof value === "string") {
        return describeString(value);
    }
    if (typeof value === "symbol") {
        return "a symbol";
    }
    if (typeof value === "function") {
        return "a function";
    }
    if (pulumi.Output.isInstance(value)) {
        return "an Output";
    }
    if (value instanceof Promise) {
        return "a Promise";
    }
    if (Array.isArray(value)) {
        if (depth >= MAX_DEPTH) {
            return value.length === 0 ? "[]" : "[...]";
        }
        const items: string[] = [];
        for (let i = 0; i < Math.min(value.length, MAX_ENTRIES); i++) {
            items.push(i in value ? describeAt(ownValue(value, String(i)), depth + 1) : "<empty>");
        }
        return `[${items.join(",")}${value.length > MAX_ENTRIES ? ",..." : ""}]`;
    }
    if (!isPlainObject(value)) {
        const constructorName = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
        return typeof constructorName === "string" && constructorName !== "" ? `a ${constructorName}` : "an object";
    }
    const keys = Object.keys(value);
    if (depth >= MAX_DEPTH) {
        return keys.length === 0 ? "{}" : "{...}";
    }
    // `{ name: "DB_PASSWORD", value: "…" }` (an env entry) holds a credential in `value`.
    const named = ownValue(value, "name");
    const credentialEntry = typeof named === "string" && isCredentialName(named);
    const entries = keys.slice(0, MAX_ENTRIES).map((key) => {
        const descriptor = Object.getOwnPropertyDescriptor(value, key);
        const secret = isCredentialName(key) || (credentialEntry && key === "value");
        const shown = descriptor === undefined || !("value" in descriptor) ? "a getter" : secret ? "[secret]" : describeAt(descriptor.value, depth + 1);
        return `${JSON.stringify(key)}:${shown}`;
    });
    return `{${entries.join(",")}${keys.length > MAX_ENTRIES ? ",..." : ""}}`;
}

/**
 * Renders any value for a problem message: bounded in depth, entries and length; Outputs
 * never unwrapped; connection strings with credentials and values of credential-looking
 * fields shown as `[secret]`.
 */
export function describeRedacted(value: unknown): string {
    const text = describeAt(value, 0);
    return text.length > MAX_DESCRIBED ? `${text.slice(0, MAX_DESCRIBED - 3)}...` : text;
}

/** Records a problem, rendering the value with {@link describeRedacted}. */
export function addProblem(problems: ProblemList, path: string, value: unknown, expected: string): void {
    problems.addAll([{ expected, path, value: describeRedacted(value) }]);
}

/**
 * The property path of a key under `prefix`: `prefix.key`, or `prefix["key"]` for a key
 * that is empty or holds whitespace, quotes, brackets or control characters, so a path is
 * never empty or ambiguous.
 */
export function keyPath(prefix: string, key: string): string {
    if (key === "" || /[\s"'[\]\u0000-\u001f\u007f]/.test(key)) {
        return `${prefix}[${JSON.stringify(key)}]`;
    }
    return prefix === "" ? key : `${prefix}.${key}`;
}

/** Edit distance with adjacent transpositions (`voluems` → `volumes` is 1). */
function editDistance(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.length][b.length];
}

/** The known name closest to `key` (case-insensitive, at most two edits away), if any. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
    if (key.length > 64) {
        return undefined;
    }
    let best: { name: string; distance: number } | undefined;
    for (const name of known) {
        const distance = editDistance(key.toLowerCase(), name.toLowerCase());
        const limit = Math.min(2, Math.floor(name.length / 3));
        if (distance <= limit && (best === undefined || distance < best.distance)) {
            best = { distance, name };
        }
    }
    return best?.name;
}

/**
 * Reads an object of known fields: refuses an Output or a Promise (the fields are needed at
 * construction), anything but an object literal, getters, and unknown keys (with a "did
 * you mean" for near misses). Returns the own data values, or undefined when `value` is
 * not an object literal. `what` completes "is not a known …" (`argument of NodeLocalStore`);
 * the fields' paths start with `fieldPrefix` (`path` by default; "" for a component's args).
 * With `redact`, a value that is not an object is never shown (it sits where a credential's name says it is one).
 */
export function readObject(
    problems: ProblemList,
    path: string,
    value: unknown,
    known: readonly string[],
    what: string,
    expected: string,
    fieldPrefix: string = path,
    redact = false,
): Record<string, unknown> | undefined {
    if (isComputed(value)) {
        addProblem(problems, path, value, `${expected}, known at construction: an Output or a Promise cannot be checked or rendered here`);
        return undefined;
    }
    if (!isPlainObject(value)) {
        if (redact) {
            problems.addSecret(path, expected);
        } else {
            addProblem(problems, path, value, expected);
        }
        return undefined;
    }
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        const path = keyPath(fieldPrefix, key);
        const descriptor = Object.getOwnPropertyDescriptor(value, key);
        if (!known.includes(key)) {
            const suggestion = didYouMean(key, known);
            const shown = isCredentialName(key) ? "[secret]" : descriptor !== undefined && "value" in descriptor ? describeRedacted(descriptor.value) : "a getter";
            const reason = suggestion ? `is not a known ${what}; did you mean "${suggestion}"?` : `is not a known ${what}; the known ones are ${known.join(", ")}`;
            problems.addAll([{ expected: reason, path, value: shown }]);
        } else if (descriptor === undefined || !("value" in descriptor)) {
            problems.addAll([{ expected: "must be a plain value, not a getter", path, value: "a getter" }]);
        } else {
            fields[key] = descriptor.value;
        }
    }
    return fields;
}

/**
 * Reads a record of free keys (variables, labels): refuses an Output or a Promise, anything
 * but an object literal, and getters. Returns the own data entries, sorted by key.
 */
export function readRecord(problems: ProblemList, path: string, value: unknown, expected: string): [string, unknown][] | undefined {
    if (isComputed(value)) {
        addProblem(problems, path, value, `${expected}, known at construction: an Output or a Promise cannot be checked or rendered here`);
        return undefined;
    }
    if (!isPlainObject(value)) {
        addProblem(problems, path, value, expected);
        return undefined;
    }
    const entries: [string, unknown][] = [];
    for (const key of Object.keys(value).sort()) {
        const descriptor = Object.getOwnPropertyDescriptor(value, key);
        if (descriptor === undefined || !("value" in descriptor)) {
            problems.addAll([{ expected: "must be a plain value, not a getter", path: keyPath(path, key), value: "a getter" }]);
        } else {
            entries.push([key, descriptor.value]);
        }
    }
    return entries;
}

/** The entries of a list, refusing anything but an array, and holes, `null` and `undefined` in it. */
export function readList(problems: ProblemList, path: string, value: unknown, expected: string): { readonly path: string; readonly value: unknown }[] | undefined {
    if (!Array.isArray(value)) {
        addProblem(problems, path, value, isComputed(value) ? `${expected}, known at construction, not an Output or a Promise` : expected);
        return undefined;
    }
    const entries: { path: string; value: unknown }[] = [];
    for (let i = 0; i < value.length; i++) {
        const entryPath = `${path}[${i}]`;
        const entry = i in value ? ownValue(value, String(i)) : undefined;
        if (entry === undefined || entry === null) {
            problems.addAll([{ expected: "must not be empty: a list cannot have holes, null or undefined entries", path: entryPath, value: i in value ? String(entry) : "<empty>" }]);
        } else {
            entries.push({ path: entryPath, value: entry });
        }
    }
    return entries;
}

/**
 * Checks a list of plain strings (a command, arguments). A connection string with a
 * credential is refused without being shown: it belongs in a Secret, read into a variable
 * with `secretEnv` and referred to as `$(NAME)`.
 */
export function checkStringList(problems: ProblemList, path: string, value: unknown): void {
    for (const entry of readList(problems, path, value, "must be a list of strings") ?? []) {
        if (typeof entry.value !== "string") {
            addProblem(problems, entry.path, entry.value, isComputed(entry.value) ? "must be a plain string known at construction, not an Output or a Promise" : "must be a string");
        } else if (isCredentialValue(entry.value)) {
            problems.addSecret(entry.path, "must not carry a credential (a connection string with userinfo or password=): read it from a Secret with secretEnv and write $(NAME) here");
        }
    }
}

/** Checks an optional boolean. */
export function checkBoolean(problems: ProblemList, path: string, value: unknown): void {
    if (value !== undefined && typeof value !== "boolean") {
        addProblem(problems, path, value, "must be true or false");
    }
}

/** Checks an optional integer in [min, max]; returns it when valid. */
export function checkInteger(problems: ProblemList, path: string, value: unknown, min: number, max: number, expected?: string): number | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
        addProblem(problems, path, value, expected ?? `must be an integer from ${min} to ${max}`);
        return undefined;
    }
    return value;
}

/** Checks an optional value against a closed set of strings (own entries only: "constructor" is not one). */
export function checkOneOf<T extends string>(problems: ProblemList, path: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== "string" || !allowed.includes(value as T)) {
        addProblem(problems, path, value, `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
        return undefined;
    }
    return value as T;
}

/**
 * Checks an optional quantity given as a string, greater than zero and at most `max` (in
 * base units; `maxText` is how `max` reads); returns its value when valid.
 */
export function checkQuantity(problems: ProblemList, path: string, value: unknown, expected: string, max: number, maxText: string): number | undefined {
    if (value === undefined) {
        return undefined;
    }
    const parsed = typeof value === "string" ? parseQuantity(value) : undefined;
    if (parsed === undefined || Number.isNaN(parsed)) {
        addProblem(problems, path, value, expected);
        return undefined;
    }
    if (!(parsed > 0)) {
        addProblem(problems, path, value, "must be greater than zero");
        return undefined;
    }
    if (parsed > max) {
        addProblem(problems, path, value, `must be at most ${maxText}`);
        return undefined;
    }
    return parsed;
}

/** Directories of the node that a container path must not cover (they are the kernel's and the runtime's). */
export const KERNEL_TREES: readonly string[] = ["/dev", "/proc", "/sys"];

/** True when `path` (normalised, absolute) is one of {@link KERNEL_TREES} or inside one. */
export function isKernelTree(path: string): boolean {
    return KERNEL_TREES.some((tree) => path === tree || path.startsWith(`${tree}/`));
}

const EXPECT_MOUNT_PATH = "must be an absolute path other than '/', without '.', '..', empty parts, whitespace or ':'";

/** True for an absolute path in normal form: no '.', '..' or empty parts, no trailing '/', no whitespace, control characters or ':'. */
export function isCleanAbsolutePath(value: unknown): value is string {
    if (typeof value !== "string" || value.length > 4096 || !value.startsWith("/")) {
        return false;
    }
    return value === "/" || value.slice(1).split("/").every((part) => part !== "" && part !== "." && part !== ".." && !/[\s\u0000-\u001f\u007f:]/.test(part));
}

/** Checks the absolute path where a volume is mounted in a container: normalised, not "/", not over /dev, /proc or /sys. */
export function checkMountPath(problems: ProblemList, path: string, value: unknown): void {
    if (value === undefined) {
        return;
    }
    if (!isCleanAbsolutePath(value) || value === "/") {
        addProblem(problems, path, value, EXPECT_MOUNT_PATH);
    } else if (isKernelTree(value)) {
        addProblem(problems, path, value, `must not be ${KERNEL_TREES.join(", ")} or inside them: the container needs the kernel's own files there`);
    }
}
