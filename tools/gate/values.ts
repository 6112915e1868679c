import { PreviewStep, ResourceState } from "./preview";

/**
 * Old and new values of the properties a step changes, for the PR comment and the gate's
 * printout. Values are read from the states the engine wrote: a secret arrives as the
 * string "[secret]" (or sits under a property that is "[secret]") and is printed as
 * `[secret]`; the data of a Kubernetes Secret is `[secret]` whatever the document holds.
 */

/** The engine's placeholder for a value not known until the update runs (`plugin.UnknownStringValue`). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const SECRET_VALUE = "[secret]";

/** One segment of a property path: a key or a list index. */
export type PathSegment = string | number;

/**
 * Splits a detailed-diff path (`spec.template.spec.containers[0].image`,
 * `metadata.annotations["example.com/key"]`, `data.HOSTS`) into segments. Undefined when
 * the path is not in that grammar.
 */
export function parsePropertyPath(path: string): PathSegment[] | undefined {
    const segments: PathSegment[] = [];
    let i = 0;
    const identifier = /^[^.[\]"]+/;
    while (i < path.length) {
        if (path[i] === "[") {
            const index = /^\[(\d+)\]/.exec(path.slice(i));
            if (index) {
                segments.push(Number(index[1]));
                i += index[0].length;
            } else {
                const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(path.slice(i));
                if (!quoted) {
                    return undefined;
                }
                segments.push(quoted[1].replace(/\\(.)/g, "$1"));
                i += quoted[0].length;
            }
        } else {
            if (path[i] === ".") {
                if (segments.length === 0 || i === path.length - 1) {
                    return undefined;
                }
                i++;
            } else if (segments.length > 0) {
                return undefined;
            }
            const key = identifier.exec(path.slice(i));
            if (!key) {
                return undefined;
            }
            segments.push(key[0]);
            i += key[0].length;
        }
    }
    return segments.length ? segments : undefined;
}

/** What a path holds in an object: absent, a secret, or a value. */
export type Lookup = { readonly kind: "absent" } | { readonly kind: "secret" } | { readonly kind: "value"; readonly value: unknown };

export function lookup(root: unknown, segments: readonly PathSegment[]): Lookup {
    let current: unknown = root;
    for (const segment of segments) {
        if (current === SECRET_VALUE) {
            return { kind: "secret" };
        }
        if (typeof segment === "number") {
            if (!Array.isArray(current) || segment >= current.length) {
                return { kind: "absent" };
            }
            current = current[segment];
        } else {
            if (typeof current !== "object" || current === null || Array.isArray(current) || !Object.prototype.hasOwnProperty.call(current, segment)) {
                return { kind: "absent" };
            }
            current = (current as Record<string, unknown>)[segment];
        }
    }
    if (current === SECRET_VALUE) {
        return { kind: "secret" };
    }
    return current === undefined ? { kind: "absent" } : { kind: "value", value: current };
}

const MAX_VALUE = 60;

function shorten(text: string): string {
    return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** A value as one short line: strings bare, the rest as JSON; long or multi-line values cut with "…". */
export function formatValue(found: Lookup): string {
    if (found.kind === "absent") {
        return "(none)";
    }
    if (found.kind === "secret") {
        return SECRET_VALUE;
    }
    const value = found.value;
    if (value === UNKNOWN_VALUE) {
        return "(known after update)";
    }
    if (typeof value === "string") {
        const lines = value.split("\n");
        return shorten(lines.length > 1 ? `${lines[0]}…` : value);
    }
    return shorten(JSON.stringify(value) ?? String(value));
}

/** One changed property with its values as printed. */
export interface ValueChange {
    readonly path: string;
    readonly old: string;
    readonly new: string;
    /** The change forces a replacement. */
    readonly replaces: boolean;
}

const SECRET_TYPE = "kubernetes:core/v1:Secret";

function isSecretData(state: ResourceState | undefined, segments: readonly PathSegment[]): boolean {
    return state?.type === SECRET_TYPE && (segments[0] === "data" || segments[0] === "stringData");
}

function valueIn(state: ResourceState | undefined, segments: readonly PathSegment[] | undefined): Lookup {
    if (state === undefined || segments === undefined) {
        return { kind: "absent" };
    }
    if (isSecretData(state, segments)) {
        return { kind: "secret" };
    }
    const fromInputs = lookup(state.inputs, segments);
    return fromInputs.kind === "absent" ? lookup(state.outputs, segments) : fromInputs;
}

/**
 * Every changed property of a resource's steps with old → new values: the detailed-diff
 * paths (replace reasons first), else the replace and diff reasons, else the top-level
 * inputs whose values differ (keys starting with "__" are engine bookkeeping). Sorted by
 * path, replacing changes first.
 */
export function valueChanges(steps: readonly PreviewStep[]): ValueChange[] {
    const oldState = steps.map((s) => s.oldState).find((s) => s !== undefined);
    const newState = steps.map((s) => s.newState).find((s) => s !== undefined && s.inputs !== undefined) ?? steps.map((s) => s.newState).find((s) => s !== undefined);
    const replacing = new Set<string>();
    const paths = new Set<string>();
    for (const step of steps) {
        for (const [path, diff] of Object.entries(step.detailedDiff ?? {})) {
            paths.add(path);
            if (diff?.kind?.endsWith("-replace")) {
                replacing.add(path);
            }
        }
    }
    if (paths.size === 0) {
        for (const step of steps) {
            step.replaceReasons?.forEach((p) => {
                paths.add(p);
                replacing.add(p);
            });
            step.diffReasons?.forEach((p) => paths.add(p));
        }
    }
    if (paths.size === 0 && oldState?.inputs && newState?.inputs) {
        const olds = oldState.inputs;
        const news = newState.inputs;
        for (const key of new Set([...Object.keys(olds), ...Object.keys(news)])) {
            if (!key.startsWith("__") && JSON.stringify(olds[key]) !== JSON.stringify(news[key])) {
                paths.add(key);
            }
        }
    }
    const changes = [...paths].map((path): ValueChange => {
        const segments = parsePropertyPath(path);
        return {
            path,
            old: formatValue(valueIn(oldState, segments)),
            new: formatValue(valueIn(newState, segments)),
            replaces: replacing.has(path),
        };
    });
    return changes.sort((a, b) => Number(b.replaces) - Number(a.replaces) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `path: old → new`, with " (replaces)" when the change forces a replacement. */
export function formatChange(change: ValueChange): string {
    return `${change.path}: ${change.old} → ${change.new}${change.replaces ? " (replaces)" : ""}`;
}
