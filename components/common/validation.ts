import * as pulumi from "@pulumi/pulumi";

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

/**
 * Collects problems for one component. Validators are pure functions that return
 * `Problem[]`; this small builder keeps the path/value formatting in one place.
 */
export class ProblemList {
    private readonly items: Problem[] = [];

    /** Records a problem with the given path, raw value and expectation. */
    add(path: string, value: unknown, expected: string): this {
        this.items.push({ path, value: describeValue(value), expected });
        return this;
    }

    /** Records a problem whose value is secret: the value is never rendered. */
    addSecret(path: string, expected: string): this {
        this.items.push({ path, value: SECRET_PLACEHOLDER, expected });
        return this;
    }

    /** Appends problems found by another validator, with their paths under `prefix`. */
    addAll(problems: readonly Problem[], prefix?: string): this {
        for (const p of problems) {
            this.items.push(prefix ? { ...p, path: joinPath(prefix, p.path) } : p);
        }
        return this;
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
    return child.startsWith("[") ? `${prefix}${child}` : `${prefix}.${child}`;
}

/**
 * Renders a value for an error message: strings quoted, Outputs and secrets never
 * unwrapped, long values shortened so one bad blob cannot flood the terminal.
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
        text = JSON.stringify(value) ?? String(value);
    } catch {
        text = String(value);
    }
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** A component's type token and name, as used in every error message. */
export interface ComponentRef {
    /** The class name, e.g. `EbsStorageClass`. */
    readonly kind: string;
    /** The Pulumi resource name the user gave. */
    readonly name: string;
}

/** Formats the single message that lists every problem of a component. */
export function formatProblems(component: ComponentRef, problems: readonly Problem[]): string {
    const noun = problems.length === 1 ? "argument" : "arguments";
    const lines = problems.map((p) => `  - ${p.path}: ${p.expected} (got ${p.value})`);
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
