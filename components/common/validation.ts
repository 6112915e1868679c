import * as pulumi from "@pulumi/pulumi";
import { isCredentialHeader, isCredentialPath, looksLikeCredential, redactText } from "./credentials";

/**
 * One invalid argument: where it is (`volumes[1].size`), what was given, and what
 * would have been accepted. Collected by the validators so that a user sees every
 * problem of a component at once instead of fixing them one run at a time.
 */
export interface Problem {
    /** Property path from the component's args, e.g. `fileSystem.subnetIds[0]`. */
    readonly path: string;
    /** What the user passed, already rendered for humans (see {@link describeValue}). */
    readonly value: string;
    /** What is accepted, phrased to complete "must …" or as a full sentence. */
    readonly expected: string;
}

/** The value of a problem whose value must never be shown (passwords, tokens). */
export const SECRET_PLACEHOLDER = "[secret]";

/** Options of a {@link ProblemList}. */
export interface ProblemListOptions {
    /** The path of a problem about the whole value. @default "args" */
    readonly root?: string;
    /**
     * Never render a value found under a credential-looking path (`env.DB_PASSWORD`,
     * `options.apiToken`, see {@link isCredentialPath}): it reads `[secret]`.
     * @default false (components turn it on as they adopt the shared checks)
     */
    readonly redactCredentialPaths?: boolean;
}

/**
 * Collects problems for one component. Validators are pure functions that return
 * `Problem[]`; this small builder keeps the path/value formatting in one place. No
 * problem has an empty path: a problem about the whole value gets `root`.
 */
export class ProblemList {
    private readonly items: Problem[] = [];
    private readonly root: string;
    private readonly redactCredentialPaths: boolean;

    constructor(options: ProblemListOptions = {}) {
        this.root = options.root ?? "args";
        this.redactCredentialPaths = options.redactCredentialPaths ?? false;
    }

    /** Records a problem with the given path, raw value and expectation. */
    add(path: string, value: unknown, expected: string): this {
        const where = path === "" ? this.root : path;
        // A problem about an entry's name (`secretEnv.1PASS` given "1PASS") shows the name,
        // which the path already does; anything else under a credential path is hidden.
        const isEntryName = typeof value === "string" && where.endsWith(`.${value}`);
        const hidden = this.redactCredentialPaths && value !== undefined && !isEntryName && isCredentialPath(where);
        this.items.push({ path: where, value: hidden ? SECRET_PLACEHOLDER : describeValue(value), expected });
        return this;
    }

    /** Records a problem whose value is secret: the value is never rendered. */
    addSecret(path: string, expected: string): this {
        this.items.push({ path: path === "" ? this.root : path, value: SECRET_PLACEHOLDER, expected });
        return this;
    }

    /** Appends problems found by another validator, with their paths under `prefix`. */
    addAll(problems: readonly Problem[], prefix?: string): this {
        for (const p of problems) {
            const path = prefix ? joinPath(prefix, p.path) : p.path === "" ? this.root : p.path;
            this.items.push({ ...p, path });
        }
        return this;
    }

    /** How many problems were recorded so far (to tell whether a check added one). */
    get size(): number {
        return this.items.length;
    }

    get problems(): readonly Problem[] {
        return this.items;
    }
}

/** Joins a prefix and a child path: `volumes[0]` + `size` → `volumes[0].size`. */
export function joinPath(prefix: string, child: string): string {
    if (!prefix) {
        return child;
    }
    if (!child) {
        return prefix;
    }
    return child.startsWith("[") ? `${prefix}${child}` : `${prefix}.${child}`;
}

/** Longest rendering of a value in a message. */
const MAX_VALUE_TEXT = 120;
/** Deepest level of a value that is rendered; deeper parts read `{…}` or `[…]`. */
const MAX_VALUE_DEPTH = 4;
/** Most entries of one object or list that are rendered. */
const MAX_VALUE_ENTRIES = 20;

/**
 * Renders a value for an error message: strings quoted, Outputs and Promises never
 * unwrapped, values under credential-looking keys, URL userinfo and `password=`
 * parameters shown as `[secret]`, and long, deep or cyclic values shortened, so one bad
 * blob (or a 5,000-level nesting) can neither flood the terminal nor overflow the stack.
 */
export function describeValue(value: unknown): string {
    if (value === undefined) {
        return "undefined";
    }
    if (pulumi.Output.isInstance(value)) {
        return "an Output";
    }
    if (value instanceof Promise) {
        return "a Promise";
    }
    if (typeof value === "function") {
        return "a function";
    }
    let text: string;
    try {
        text = renderValue(value, 0, new Set());
    } catch {
        text = "an unprintable value";
    }
    return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT - 3)}...` : text;
}

function renderValue(value: unknown, depth: number, path: Set<object>): string {
    switch (typeof value) {
        case "string":
            return JSON.stringify(redactText(value.length > MAX_VALUE_TEXT * 2 ? value.slice(0, MAX_VALUE_TEXT * 2) : value));
        case "number":
            return Number.isFinite(value) ? JSON.stringify(value) : String(value);
        case "bigint":
            return `${value}n`;
        case "boolean":
            return String(value);
        case "undefined":
            return "undefined";
        case "symbol":
            return "a symbol";
        case "function":
            return "a function";
    }
    if (value === null) {
        return "null";
    }
    const object = value as object;
    if (pulumi.Output.isInstance(object)) {
        return "[Output]";
    }
    if (object instanceof Promise) {
        return "[Promise]";
    }
    if (path.has(object)) {
        return "[Circular]";
    }
    const isList = Array.isArray(object);
    if (depth >= MAX_VALUE_DEPTH) {
        return isList ? "[…]" : "{…}";
    }
    path.add(object);
    const parts: string[] = [];
    if (isList) {
        const list = object as unknown[];
        for (let i = 0; i < Math.min(list.length, MAX_VALUE_ENTRIES); i++) {
            parts.push(i in list ? renderValue(list[i], depth + 1, path) : "<empty>");
        }
        if (list.length > MAX_VALUE_ENTRIES) {
            parts.push("…");
        }
    } else {
        const keys = Object.keys(object);
        // A Kubernetes-shaped entry (`{ name: "PGPASSWORD", value: "…" }`, an env var or an
        // HTTP header) keeps its credential in `value`, under an innocent key.
        const entryName = (object as Record<string, unknown>).name;
        const namedCredential = typeof entryName === "string" && (looksLikeCredential(entryName) || isCredentialHeader(entryName));
        for (const key of keys.slice(0, MAX_VALUE_ENTRIES)) {
            const entry = (object as Record<string, unknown>)[key];
            if (entry === undefined) {
                continue;
            }
            const hidden = looksLikeCredential(key) || (namedCredential && key === "value");
            parts.push(`${JSON.stringify(key)}:${hidden ? JSON.stringify(SECRET_PLACEHOLDER) : renderValue(entry, depth + 1, path)}`);
        }
        if (keys.length > MAX_VALUE_ENTRIES) {
            parts.push("…");
        }
    }
    path.delete(object);
    return isList ? `[${parts.join(",")}]` : `{${parts.join(",")}}`;
}

/** A component's type token and name, as used in every error message. */
export interface ComponentRef {
    /** The class name, e.g. `EbsStorageClass`. */
    readonly kind: string;
    /** The Pulumi resource name the user gave. */
    readonly name: string;
}

/** Most problems a message lists; the rest are counted ("… and 12 more"). */
export const MAX_LISTED_PROBLEMS = 50;

/**
 * Formats the single message that lists the problems of a component: the first
 * {@link MAX_LISTED_PROBLEMS}, then how many more there are, so a list of a million holes
 * cannot make a million-line message.
 */
export function formatProblems(component: ComponentRef, problems: readonly Problem[]): string {
    const noun = problems.length === 1 ? "argument" : "arguments";
    const lines = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  - ${p.path}: ${p.expected} (got ${p.value})`);
    if (problems.length > MAX_LISTED_PROBLEMS) {
        lines.push(`  … and ${problems.length - MAX_LISTED_PROBLEMS} more`);
    }
    return [`${component.kind} "${component.name}" has ${problems.length} invalid ${noun}:`, ...lines].join("\n");
}

/**
 * Throws once with every problem, as a `pulumi.InputPropertiesError` so that the engine
 * prints a clean list instead of a stack trace. Does nothing when there are no problems.
 */
export function throwIfProblems(component: ComponentRef, problems: readonly Problem[]): void {
    if (problems.length === 0) {
        return;
    }
    throw new pulumi.InputPropertiesError({
        message: formatProblems(component, problems),
        errors: problems.map((p) => ({ propertyPath: p.path, reason: `${p.expected} (got ${p.value})` })),
    });
}

/**
 * True when a value can be checked now: not an Output or a Promise. Validators check
 * plain values at construction and leave computed values to the provider.
 */
export function isKnown<T>(value: pulumi.Input<T> | undefined): value is T {
    return value !== undefined && !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}
