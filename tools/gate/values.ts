import { containsCredential, looksLikeCredential, redactText } from "../../components/common/credentials";
import { PreviewStep, ResourceState } from "./preview";

/**
 * Old and new values of the properties a step changes, for the PR comment and the gate's
 * printout. Values are read from the states the engine wrote: a secret arrives as the
 * string "[secret]" (or sits under a property that is "[secret]") and is printed as
 * `[secret]`; the data of a Kubernetes Secret is `[secret]` whatever the document holds.
 * A value not known until the update runs arrives as the engine's unknown sentinel, at
 * any depth, and is printed `[unknown]`, as the CLI prints it.
 *
 * Credentials in plaintext are hidden too, since the printout lands in a PR comment:
 * - `data`/`stringData` of every type whose kind contains "Secret" (Secret, SecretPatch,
 *   SecretList, …) is `[secret]`;
 * - a value under a credential-looking key anywhere on its path (`stringData.password`,
 *   `config.apiToken`) is `[secret]`;
 * - an `env[i].value` whose sibling `name` looks like a credential (`PGPASSWORD`) is `[secret]`;
 * - a string that is itself a credential (`postgres://app:pw@db/x`) is `[secret]`;
 * - an object or list printed whole has the same rules applied inside it, and every
 *   printed text (paths included) goes through `redactText`.
 */

/**
 * The engine's placeholder for a value not known until the update runs: the preview
 * document writes every computed value, at any depth, as this string
 * (`computedValuePlaceholder` in pkg/resource/stack/deployment.go).
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const SECRET_VALUE = "[secret]";
/**
 * How a value not known until the update runs is printed: `[unknown]`, the text the
 * Pulumi CLI 3.248 prints for it in its own diff (`printPrimitivePropertyValue` in
 * pkg/backend/display/object_diff.go). Inside an object or a list it stands unquoted, as
 * the CLI prints it, so it never reads as the string "[unknown]".
 */
export const UNKNOWN_TEXT = "[unknown]";

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

/**
 * What a path holds in an object: absent, a secret, a value not known until the update
 * runs, or a value. A secret or an unknown anywhere on the path (a whole object not known
 * yet) is what the path holds.
 */
export type Lookup = { readonly kind: "absent" } | { readonly kind: "secret" } | { readonly kind: "unknown" } | { readonly kind: "value"; readonly value: unknown };

export function lookup(root: unknown, segments: readonly PathSegment[]): Lookup {
    let current: unknown = root;
    for (const segment of segments) {
        if (current === SECRET_VALUE) {
            return { kind: "secret" };
        }
        if (current === UNKNOWN_VALUE) {
            return { kind: "unknown" };
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
    if (current === UNKNOWN_VALUE) {
        return { kind: "unknown" };
    }
    return current === undefined ? { kind: "absent" } : { kind: "value", value: current };
}

const MAX_VALUE = 60;

/** Cut to MAX_VALUE characters with "…", never inside an `[unknown]`. */
function shorten(text: string): string {
    if (text.length <= MAX_VALUE) {
        return text;
    }
    let cut = MAX_VALUE - 1;
    const unknownAt = text.lastIndexOf(UNKNOWN_TEXT, cut - 1);
    if (unknownAt >= 0 && unknownAt + UNKNOWN_TEXT.length > cut) {
        cut = unknownAt;
    }
    return `${text.slice(0, cut)}…`;
}

/** JSON, except that a value not known yet is `[unknown]`, unquoted, at any depth. */
function renderJson(value: unknown): string {
    if (value === UNKNOWN_VALUE) {
        return UNKNOWN_TEXT;
    }
    if (Array.isArray(value)) {
        return `[${value.map(renderJson).join(",")}]`;
    }
    if (typeof value === "object" && value !== null) {
        return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}:${renderJson(v)}`).join(",")}}`;
    }
    return JSON.stringify(value) ?? String(value);
}

/**
 * A value as one short line: strings bare, the rest as JSON with `[unknown]` for what is
 * not known yet; long or multi-line values cut with "…".
 */
export function formatValue(found: Lookup): string {
    if (found.kind === "absent") {
        return "(none)";
    }
    if (found.kind === "secret") {
        return SECRET_VALUE;
    }
    if (found.kind === "unknown") {
        return UNKNOWN_TEXT;
    }
    const value = found.value;
    if (typeof value === "string") {
        if (value === UNKNOWN_VALUE) {
            return UNKNOWN_TEXT;
        }
        const lines = value.split("\n");
        return shorten(lines.length > 1 ? `${lines[0]}…` : value);
    }
    return shorten(renderJson(value));
}

/** One changed property with its values as printed. */
export interface ValueChange {
    readonly path: string;
    readonly old: string;
    readonly new: string;
    /** The change forces a replacement. */
    readonly replaces: boolean;
}

/** A type whose `data`/`stringData` are secret: any kind named with "Secret" (Secret, SecretPatch, SecretList). */
function isSecretType(type: string | undefined): boolean {
    return type !== undefined && type.slice(type.lastIndexOf(":") + 1).includes("Secret");
}

function isSecretData(state: ResourceState | undefined, segments: readonly PathSegment[]): boolean {
    return isSecretType(state?.type) && (segments[0] === "data" || segments[0] === "stringData");
}

/**
 * Kubernetes fields whose contents name a Secret or one of its keys (a reference, not a
 * credential): a `secret` volume source, `secretRef`, `secretKeyRef`, `imagePullSecrets`.
 */
const REFERENCE_FIELDS = ["secret", "secretRef", "secretKeyRef", "imagePullSecrets"];

/** A key whose value is a credential: it looks like one and is not a reference field. */
function isCredentialKey(key: PathSegment): boolean {
    return typeof key === "string" && !REFERENCE_FIELDS.includes(key) && looksLikeCredential(key);
}

/** True for a `{ name: <credential-looking>, value }` entry (a container env variable). */
function isCredentialEnvEntry(entry: unknown): boolean {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
        return false;
    }
    const name = (entry as Record<string, unknown>).name;
    return typeof name === "string" && looksLikeCredential(name);
}

/**
 * A value with every credential inside it replaced by `[secret]`: strings that are
 * credentials, values under credential-looking keys, the `value` of an env entry whose
 * `name` looks like a credential.
 */
export function redactValue(value: unknown): unknown {
    if (typeof value === "string") {
        return containsCredential(value) ? SECRET_VALUE : value;
    }
    if (Array.isArray(value)) {
        return value.map(redactValue);
    }
    if (typeof value === "object" && value !== null) {
        const credentialEntry = isCredentialEnvEntry(value);
        return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [
            k,
            isCredentialKey(k) || (credentialEntry && k === "value") ? SECRET_VALUE : redactValue(v),
        ]));
    }
    return value;
}

function rawValueIn(state: ResourceState, segments: readonly PathSegment[]): Lookup {
    const fromInputs = lookup(state.inputs, segments);
    return fromInputs.kind === "absent" ? lookup(state.outputs, segments) : fromInputs;
}

/** True when the path itself says its value is a credential: a credential-looking key, or an env entry's value named like one. */
function isCredentialPath(state: ResourceState, segments: readonly PathSegment[]): boolean {
    const reference = segments.findIndex((s) => typeof s === "string" && REFERENCE_FIELDS.includes(s));
    if ((reference < 0 ? segments : segments.slice(0, reference)).some(isCredentialKey)) {
        return true;
    }
    const last = segments.length - 1;
    if (segments[last] === "value" && typeof segments[last - 1] === "number") {
        const entry = rawValueIn(state, segments.slice(0, last));
        return entry.kind === "value" && isCredentialEnvEntry(entry.value);
    }
    return false;
}

function valueIn(state: ResourceState | undefined, segments: readonly PathSegment[] | undefined): Lookup {
    if (state === undefined || segments === undefined) {
        return { kind: "absent" };
    }
    if (isSecretData(state, segments)) {
        return { kind: "secret" };
    }
    const found = rawValueIn(state, segments);
    if (found.kind === "absent" || found.kind === "secret") {
        return found;
    }
    if (isCredentialPath(state, segments)) {
        return { kind: "secret" };
    }
    if (found.kind === "unknown") {
        return found;
    }
    const redacted = redactValue(found.value);
    return redacted === SECRET_VALUE ? { kind: "secret" } : { kind: "value", value: redacted };
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
            path: redactText(path),
            old: redactText(formatValue(valueIn(oldState, segments))),
            new: redactText(formatValue(valueIn(newState, segments))),
            replaces: replacing.has(path),
        };
    });
    return changes.sort((a, b) => Number(b.replaces) - Number(a.replaces) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `path: old → new`, with " (replaces)" when the change forces a replacement. */
export function formatChange(change: ValueChange): string {
    return `${change.path}: ${change.old} → ${change.new}${change.replaces ? " (replaces)" : ""}`;
}
