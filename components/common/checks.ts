import * as pulumi from "@pulumi/pulumi";
import { containsCredential, looksLikeCredential } from "./credentials";
import { EXPECT, isDns1123Subdomain } from "./kubernetes";
import { ComponentRef, joinPath, Problem, ProblemList, throwIfProblems } from "./validation";

/**
 * One helper per rule, one wording: every component checks its arguments with these.
 * Each helper takes the problem list, the property path and the raw value (of any type:
 * callers never narrow first), records at most one problem for a bad value, and returns
 * whether the value passed so that callers can go on checking what depends on it.
 * `undefined` means "not given": the helpers accept it unless told the value is required
 * (`checkRequired`).
 */

/** The smallest and largest values of a Kubernetes int32 field. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** Expectation texts of the shared rules. */
export const EXPECT_CHECK = {
    object: "must be an object",
    string: "must be a string",
    nonEmpty: "must not be empty",
    trimmed: "must not start or end with whitespace",
    boolean: "must be true or false",
    list: "must be a list",
    hole: "must not be a hole: the list is sparse (an element was skipped or deleted)",
    notNull: "must not be null; leave the field out instead",
    deferred: EXPECT.deferred,
    deferredArgs:
        "must be a plain object known at construction, not an Output or a Promise: create the component inside apply() when its arguments are computed",
    absolutePath: 'must be an absolute path other than "/", without "." or ".." parts, ":" or whitespace',
    image: "must be a container image reference: letters, digits and . _ - / : @, no whitespace, at most 512 characters",
    systemPath: "must not be /proc, /dev or /sys or lie below them: those are the kernel's and the node's own file systems",
    labelKey: "must be a qualified name: an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' and '.'",
    labelValue: "must be a label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, or empty",
    credentialName: "must not name a credential",
} as const;

/** True for an Output or a Promise: a value not known at construction. */
export function isDeferred(value: unknown): boolean {
    return pulumi.Output.isInstance(value) || value instanceof Promise || (value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function");
}

/** True for a plain object: not null, a list, an Output or a Promise. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value) && !isDeferred(value);
}

/** `Object.prototype.hasOwnProperty.call`, so `"constructor"` or `"__proto__"` are never found by accident. */
export function hasOwn(object: object, key: string): boolean {
    return Object.prototype.hasOwnProperty.call(object, key);
}

/** True when `value` is one of `allowed` (by identity, never through the prototype chain). */
export function isOneOf<T extends string | number | boolean>(value: unknown, allowed: readonly T[]): value is T {
    return (typeof value === "string" || typeof value === "number" || typeof value === "boolean") && allowed.includes(value as T);
}

/** Edit distance with transpositions (`voluems` → `volumes` is 1). */
export function editDistance(a: string, b: string): number {
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[rows - 1][cols - 1];
}

function closeEnough(given: string, known: string): boolean {
    const a = given.toLowerCase();
    const b = known.toLowerCase();
    if (a === b) {
        return true;
    }
    const allowed = Math.max(1, Math.floor(Math.min(a.length, b.length) / 3));
    return Math.abs(a.length - b.length) <= allowed && editDistance(a, b) <= allowed;
}

/**
 * The known name that a mistyped one was probably meant to be: the same name in another
 * case, a name a few edits away (`replica` → `replicas`, `voluems` → `volumes`), or one
 * close to a word of it (`zoneSpred` → `spread` or `zones`). Undefined when nothing is close.
 */
export function suggestName(given: string, known: readonly string[]): string | undefined {
    if (given.length > 100) {
        return undefined;
    }
    const whole = known.filter((k) => closeEnough(given, k));
    if (whole.length > 0) {
        return whole.sort((x, y) => editDistance(given.toLowerCase(), x.toLowerCase()) - editDistance(given.toLowerCase(), y.toLowerCase()))[0];
    }
    const words = given
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .split(/[^A-Za-z0-9]+/)
        .filter((w) => w.length >= 4);
    if (words.length < 2) {
        return undefined;
    }
    return known.find((k) => k.length >= 4 && words.some((w) => closeEnough(w, k)));
}

/** The text of an unknown-field problem, with a suggestion when one is close. */
export function unknownFieldText(key: string, known: readonly string[]): string {
    const suggestion = suggestName(key, known);
    if (suggestion !== undefined) {
        return `is not a known field; did you mean "${suggestion}"?`;
    }
    return known.length > 0 && known.length <= 12 ? `is not a known field (known: ${known.join(", ")})` : "is not a known field";
}

/**
 * Refuses an Output or a Promise where a plain value is needed at construction. True
 * when the value is plain (or undefined).
 */
export function checkPlain(problems: ProblemList, path: string, value: unknown): boolean {
    if (isDeferred(value)) {
        problems.add(path, value, EXPECT_CHECK.deferred);
        return false;
    }
    return true;
}

/** Refuses a missing value with `is required: <why>`. True when it is given. */
export function checkRequired(problems: ProblemList, path: string, value: unknown, why: string): boolean {
    if (value === undefined) {
        problems.add(path, undefined, `is required: ${why}`);
        return false;
    }
    return true;
}

/**
 * Checks a plain object with a closed set of fields: not null, a list, an Output or a
 * Promise, and no field outside `known` (each unknown one refused at its own path, with a
 * "did you mean" for a near miss). A field whose value is `undefined` counts as not given.
 * True when the value is such an object; false also when it is undefined.
 */
export function checkObject(
    problems: ProblemList,
    path: string,
    value: unknown,
    known: readonly string[],
    expected: string = EXPECT_CHECK.object,
): value is Record<string, unknown> {
    if (value === undefined) {
        return false;
    }
    if (isDeferred(value)) {
        problems.add(path, value, EXPECT_CHECK.deferred);
        return false;
    }
    if (!isPlainObject(value)) {
        problems.add(path, value, expected);
        return false;
    }
    for (const key of Object.keys(value)) {
        if (!known.includes(key) && value[key] !== undefined) {
            problems.add(joinPath(path, key), value[key], unknownFieldText(key, known));
        }
    }
    return true;
}

/** Options of {@link checkString}. */
export interface StringRule {
    /** Refuse "". @default false */
    readonly nonEmpty?: boolean;
    /** Refuse leading or trailing whitespace (an image `"postgres:16 "`). @default false */
    readonly trimmed?: boolean;
    /** Longest accepted length. */
    readonly maxLength?: number;
}

/** Checks a string, optionally non-empty, trimmed and bounded. True when it passes. */
export function checkString(problems: ProblemList, path: string, value: unknown, rule: StringRule = {}): value is string {
    if (value === undefined) {
        return false;
    }
    if (!checkPlain(problems, path, value)) {
        return false;
    }
    if (typeof value !== "string") {
        problems.add(path, value, value === null ? EXPECT_CHECK.notNull : EXPECT_CHECK.string);
        return false;
    }
    if (rule.nonEmpty && value.trim() === "") {
        problems.add(path, value, EXPECT_CHECK.nonEmpty);
        return false;
    }
    if (rule.trimmed && value.trim() !== value) {
        problems.add(path, value, EXPECT_CHECK.trimmed);
        return false;
    }
    if (rule.maxLength !== undefined && value.length > rule.maxLength) {
        problems.add(path, value, `must be at most ${rule.maxLength} characters long`);
        return false;
    }
    return true;
}

/** The wording of an integer range. */
export function integerText(min?: number, max?: number): string {
    if (min !== undefined && max !== undefined) {
        return `must be an integer from ${min} to ${max}`;
    }
    if (min !== undefined) {
        return `must be an integer ≥ ${min}`;
    }
    if (max !== undefined) {
        return `must be an integer ≤ ${max}`;
    }
    return "must be an integer";
}

/** True for a safe integer within [min, max]. */
export function isInteger(value: unknown, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): value is number {
    return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

/**
 * Checks an integer in [min, max]. Without `max` the bound is the largest safe integer
 * (the message then says only `≥ min`); give `INT32_MAX` for a Kubernetes int32 field.
 */
export function checkInteger(problems: ProblemList, path: string, value: unknown, range: { readonly min?: number; readonly max?: number } = {}): value is number {
    if (value === undefined || !checkPlain(problems, path, value)) {
        return false;
    }
    if (!isInteger(value, range.min, range.max)) {
        problems.add(path, value, integerText(range.min, range.max));
        return false;
    }
    return true;
}

/** Checks a boolean. */
export function checkBoolean(problems: ProblemList, path: string, value: unknown): value is boolean {
    if (value === undefined || !checkPlain(problems, path, value)) {
        return false;
    }
    if (typeof value !== "boolean") {
        problems.add(path, value, EXPECT_CHECK.boolean);
        return false;
    }
    return true;
}

/** The wording of a closed set of values. */
export function oneOfText(allowed: readonly (string | number | boolean)[]): string {
    return `must be one of ${allowed.map((a) => (typeof a === "string" ? `"${a}"` : String(a))).join(", ")}`;
}

/** Checks a value from a closed set (compared by identity: `"constructor"` is not in it). */
export function checkOneOf<T extends string | number | boolean>(problems: ProblemList, path: string, value: unknown, allowed: readonly T[]): value is T {
    if (value === undefined || !checkPlain(problems, path, value)) {
        return false;
    }
    if (!isOneOf(value, allowed)) {
        const suggestion = typeof value === "string" ? allowed.find((a) => typeof a === "string" && a.toLowerCase() === value.toLowerCase()) : undefined;
        problems.add(path, value, suggestion !== undefined ? `${oneOfText(allowed)}; did you mean "${suggestion}"?` : oneOfText(allowed));
        return false;
    }
    return true;
}

/**
 * Most elements of any list argument (ports, volumes, initContainers, env lists,
 * tolerations, hosts, command words, …) unless its rule says fewer: the length is checked
 * before any element is read, so a sparse `new Array(1e6)` or an array-like claiming
 * 2³²−1 elements is refused at once instead of exhausting the heap.
 */
export const MAX_LIST_LENGTH = 1000;

/** Options of {@link checkList}. */
export interface ListRule {
    readonly minLength?: number;
    /** @default {@link MAX_LIST_LENGTH} */
    readonly maxLength?: number;
    /** The expectation when the value is not a list. @default "must be a list" */
    readonly expected?: string;
}

/**
 * Checks a list: a real array (not an Output, a Promise or an object with numeric keys),
 * within the length bounds, with every hole and every null or undefined element refused
 * at its own index. `each` is called for the other elements, with their path. True when
 * the value is a list (even if some elements were refused); false when it is undefined.
 */
export function checkList(
    problems: ProblemList,
    path: string,
    value: unknown,
    each?: (itemPath: string, item: unknown, index: number) => void,
    rule: ListRule = {},
): value is unknown[] {
    if (value === undefined || !checkPlain(problems, path, value)) {
        return false;
    }
    if (!Array.isArray(value)) {
        problems.add(path, value, rule.expected ?? EXPECT_CHECK.list);
        return false;
    }
    if (rule.minLength !== undefined && value.length < rule.minLength) {
        problems.add(path, value, rule.minLength === 1 ? "must not be empty" : `must have at least ${rule.minLength} elements`);
        return true;
    }
    const maxLength = Math.min(rule.maxLength ?? MAX_LIST_LENGTH, MAX_LIST_LENGTH);
    if (value.length > maxLength) {
        problems.add(path, `${value.length} elements`, `must have at most ${maxLength} elements`);
        return false;
    }
    for (let i = 0; i < value.length; i++) {
        const itemPath = `${path}[${i}]`;
        if (!(i in value)) {
            problems.add(itemPath, undefined, EXPECT_CHECK.hole);
        } else if (value[i] === null || value[i] === undefined) {
            problems.add(itemPath, value[i], "must not be null or undefined");
        } else if (each) {
            each(itemPath, value[i], i);
        }
    }
    return true;
}

/**
 * Checks a list ({@link checkList}) whose elements must be distinct: `check` checks an
 * element and returns the key it is compared by when it is valid (undefined when not), and
 * an element whose key an earlier one had is refused ("must not repeat <noun> listed before").
 */
export function checkDistinctList(
    problems: ProblemList,
    path: string,
    value: unknown,
    noun: string,
    check: (itemPath: string, item: unknown) => string | undefined,
    rule: ListRule = {},
): value is unknown[] {
    const seen = new Set<string>();
    return checkList(
        problems,
        path,
        value,
        (itemPath, item) => {
            const key = check(itemPath, item);
            if (key !== undefined && seen.has(key)) {
                problems.add(itemPath, item, `must not repeat ${noun} listed before`);
            } else if (key !== undefined) {
                seen.add(key);
            }
        },
        rule,
    );
}

/**
 * Checks a record (an object used as a map): each key is checked by `key` (which records
 * its own problem and returns false to skip the value), each value by `each`. Keys are
 * visited sorted, so the problems come in a stable order. True when it is an object.
 */
export function checkRecord(
    problems: ProblemList,
    path: string,
    value: unknown,
    each: (entryPath: string, entry: unknown, key: string) => void,
    expected = "must be an object mapping names to values",
): value is Record<string, unknown> {
    if (value === undefined || !checkPlain(problems, path, value)) {
        return false;
    }
    if (!isPlainObject(value)) {
        problems.add(path, value, expected);
        return false;
    }
    for (const key of Object.keys(value).sort()) {
        each(joinPath(path, key), value[key], key);
    }
    return true;
}

/** Checks a record of plain strings (`nodeSelector`, `tags`). */
export function checkStringRecord(problems: ProblemList, path: string, value: unknown, key?: (entryPath: string, key: string) => boolean): value is Record<string, string> {
    let valid = true;
    const isRecord = checkRecord(problems, path, value, (entryPath, entry, name) => {
        if (key && !key(entryPath, name)) {
            valid = false;
            return;
        }
        if (entry === undefined || !checkString(problems, entryPath, entry)) {
            if (entry === undefined) {
                problems.add(entryPath, entry, EXPECT_CHECK.string);
            }
            valid = false;
        }
    });
    return isRecord && valid;
}

/**
 * True for an absolute POSIX path ("/" included: {@link checkAbsolutePath} refuses it),
 * without "." or ".." parts, empty parts
 * (a trailing "/" is fine), ":" (the API server's rule for mount paths) or whitespace and
 * control characters (a path with them is almost always a mistake, and they are unsafe
 * in the shell commands some components write).
 */
export function isAbsolutePath(value: unknown): value is string {
    if (value === "/") {
        return true;
    }
    if (typeof value !== "string" || !value.startsWith("/") || value.length > 4096 || /[\s:\u0000-\u001f\u007f]/.test(value)) {
        return false;
    }
    const parts = value.slice(1).replace(/\/$/, "").split("/");
    return parts.every((part) => part !== "" && part !== "." && part !== "..");
}

/** Checks an absolute path other than "/" (see {@link isAbsolutePath}). */
export function checkAbsolutePath(problems: ProblemList, path: string, value: unknown): value is string {
    if (value === undefined || !checkPlain(problems, path, value)) {
        return false;
    }
    if (!isAbsolutePath(value) || value === "/") {
        problems.add(path, value, EXPECT_CHECK.absolutePath);
        return false;
    }
    return true;
}

/** The kernel's and the node's own file systems, which no container may mount over. */
export const SYSTEM_PATHS = ["/proc", "/dev", "/sys"] as const;

/** True for /proc, /dev, /sys or a path below one of them. */
export function isSystemPath(value: string): boolean {
    return SYSTEM_PATHS.some((system) => value === system || value.startsWith(`${system}/`));
}

/** Checks a mount path: absolute, and not over /proc, /dev or /sys. */
export function checkMountPath(problems: ProblemList, path: string, value: unknown): value is string {
    if (!checkAbsolutePath(problems, path, value)) {
        return false;
    }
    if (isSystemPath(value.replace(/\/$/, ""))) {
        problems.add(path, value, EXPECT_CHECK.systemPath);
        return false;
    }
    return true;
}

const IMAGE = /^[a-z0-9][a-z0-9._\-/:@]*$/i;

/** True for a container image reference: no whitespace, at most 512 characters. */
export function isImage(value: unknown): value is string {
    // A scheme (`postgres://…`) is never part of an image reference, and with userinfo it
    // would put a credential into the pod spec.
    return typeof value === "string" && value.length <= 512 && IMAGE.test(value) && !value.includes("://");
}

/**
 * Checks a container image reference given as a plain string (an image with a trailing
 * space is refused); an Output is left to the API server, as an image is often computed
 * (a registry URL).
 */
export function checkImage(problems: ProblemList, path: string, value: unknown): boolean {
    if (value === undefined || isDeferred(value)) {
        return true;
    }
    if (!isImage(value)) {
        problems.add(path, value, EXPECT_CHECK.image);
        return false;
    }
    return true;
}

/**
 * Checks an image given as a plain string (an Output could be a secret, and the image is
 * rendered into the pod spec), never with a password in it (a registry URL with userinfo).
 */
export function checkPlainImage(problems: ProblemList, image: unknown): void {
    if (!checkPlain(problems, "image", image)) {
        return;
    }
    if (containsCredential(image)) {
        problems.addSecret("image", "must not hold a password (a URL's user:password@): registry credentials belong in an image pull Secret");
        return;
    }
    checkImage(problems, "image", image);
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** True for a label or annotation key: `[prefix/]name`, the prefix a DNS subdomain, the name at most 63 characters. */
export function isQualifiedName(key: unknown): key is string {
    if (typeof key !== "string") {
        return false;
    }
    const parts = key.split("/");
    if (parts.length > 2) {
        return false;
    }
    const local = parts[parts.length - 1];
    if (local.length > 63 || !QUALIFIED_NAME.test(local)) {
        return false;
    }
    return parts.length === 1 || isDns1123Subdomain(parts[0]);
}

/** True for a label value: empty, or at most 63 letters, digits, '-', '_', '.' starting and ending alphanumeric. */
export function isLabelValue(value: unknown): value is string {
    return typeof value === "string" && (value === "" || (value.length <= 63 && QUALIFIED_NAME.test(value)));
}

/** Checks a label or annotation key. */
export function checkLabelKey(problems: ProblemList, path: string, key: unknown): key is string {
    if (!isQualifiedName(key)) {
        problems.add(path, key, EXPECT_CHECK.labelKey);
        return false;
    }
    return true;
}

/** Checks a label value. */
export function checkLabelValue(problems: ProblemList, path: string, value: unknown): value is string {
    if (value === undefined || !checkPlain(problems, path, value)) {
        return false;
    }
    if (!isLabelValue(value)) {
        problems.add(path, value, EXPECT_CHECK.labelValue);
        return false;
    }
    return true;
}

/** Checks labels (`nodeSelector`, pod labels): qualified-name keys, label values. */
export function checkLabels(problems: ProblemList, path: string, value: unknown): value is Record<string, string> {
    return checkQualifiedNameRecord(problems, path, value, EXPECT_CHECK.labelValue, checkLabelValue);
}

/** Checks annotations: qualified-name keys, string values. */
export function checkAnnotations(problems: ProblemList, path: string, value: unknown): value is Record<string, string> {
    return checkQualifiedNameRecord(problems, path, value, EXPECT_CHECK.string, checkString);
}

/**
 * Checks a record with qualified-name keys whose entries `checkEntry` checks; an
 * undefined entry is refused with `expected`. True when nothing was found wrong.
 */
function checkQualifiedNameRecord(
    problems: ProblemList,
    path: string,
    value: unknown,
    expected: string,
    checkEntry: (problems: ProblemList, path: string, value: unknown) => unknown,
): value is Record<string, string> {
    const before = problems.size;
    const isRecord = checkRecord(problems, path, value, (entryPath, entry, key) => {
        if (checkLabelKey(problems, entryPath, key)) {
            if (entry === undefined) {
                problems.add(entryPath, entry, expected);
            } else {
                checkEntry(problems, entryPath, entry);
            }
        }
    });
    return isRecord && problems.size === before;
}

/**
 * Refuses a name that says it holds a credential (see {@link looksLikeCredential}) where
 * the value would be stored in plain text; `where` completes "…, and <where>".
 */
export function checkNotCredentialName(problems: ProblemList, path: string, name: string, where: string): boolean {
    if (looksLikeCredential(name)) {
        problems.addSecret(path, `${EXPECT_CHECK.credentialName}: ${name} looks like a credential, and ${where}`);
        return false;
    }
    return true;
}

/** Deepest level {@link snapshotArgs} copies; deeper values are kept as given (and refused by the checks that read them). */
const MAX_SNAPSHOT_DEPTH = 64;

/**
 * One copy of a component's arguments ({@link snapshotArgs}), which its validation and
 * rendering both read, so that a getter cannot answer them differently. Throws every
 * problem the copy and `validate` find, at once, before the component registers anything.
 */
export function validatedArgs<T>(component: ComponentRef, given: T, validate: (args: T) => readonly Problem[]): T {
    const snapshot = snapshotArgs(given);
    throwIfProblems(component, [...snapshot.problems.problems, ...validate(snapshot.args)]);
    return snapshot.args;
}

/**
 * A copy of a component's arguments that validation and rendering both read, so that a
 * getter cannot give validation one value and the render step another, and a getter or
 * proxy that throws becomes a problem instead of an exception. Plain objects and lists
 * are copied (own enumerable fields; holes stay holes; cycles stay cycles); everything
 * else — Outputs, Promises, component instances, functions — is kept as it is.
 */
export function snapshotArgs<T>(args: T, root = "args"): { readonly args: T; readonly problems: ProblemList } {
    const problems = new ProblemList({ root });
    const copies = new Map<object, unknown>();
    const copy = (value: unknown, path: string, depth: number): unknown => {
        if (value === null || typeof value !== "object" || depth > MAX_SNAPSHOT_DEPTH) {
            return value;
        }
        const existing = copies.get(value);
        if (existing !== undefined) {
            return existing;
        }
        let isList: boolean;
        let prototype: unknown;
        try {
            isList = Array.isArray(value);
            prototype = Object.getPrototypeOf(value);
        } catch {
            problems.add(path, undefined, "could not be read (a proxy threw)");
            return undefined;
        }
        if (isList) {
            const source = value as unknown[];
            if (source.length > MAX_LIST_LENGTH) {
                // Not copied element by element (an array-like may claim 2³²−1 of them):
                // every list check refuses it by its length before reading any element.
                return value;
            }
            const list: unknown[] = [];
            copies.set(value, list);
            list.length = source.length;
            for (let i = 0; i < source.length; i++) {
                try {
                    if (i in source) {
                        list[i] = copy(source[i], `${path}[${i}]`, depth + 1);
                    }
                } catch {
                    problems.add(`${path}[${i}]`, undefined, "could not be read (a getter threw)");
                }
            }
            return list;
        }
        if (prototype !== Object.prototype && prototype !== null) {
            return value;
        }
        const object: Record<string, unknown> = {};
        copies.set(value, object);
        let keys: string[];
        try {
            keys = Object.keys(value);
        } catch {
            problems.add(path, undefined, "could not be read (a proxy threw)");
            return object;
        }
        for (const key of keys) {
            try {
                Object.defineProperty(object, key, { value: copy((value as Record<string, unknown>)[key], joinPath(path, key), depth + 1), enumerable: true, writable: true, configurable: true });
            } catch {
                problems.add(joinPath(path, key), undefined, "could not be read (a getter threw)");
            }
        }
        return object;
    };
    return { args: copy(args, "", 0) as T, problems };
}
