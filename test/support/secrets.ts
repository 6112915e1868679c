import * as assert from "assert";
import { Recorder, RecordedResource } from "../../tools/engine/mocks";
import { SECRET_LOOKING_KEY } from "../../components/external/external-store";

/**
 * Checks that no credential leaves a Secret: no ConfigMap key that looks like a credential,
 * no ConfigMap value or env literal that contains a value held secret anywhere in the same
 * render, no env literal with a credential-looking name, no URL with a password outside a
 * Secret, and every Kubernetes Secret's data marked secret in Pulumi state.
 */

/** Env var names that carry a path or a reference to a credential, not the credential. */
const REFERENCE_NAME = /_(FILE|PATH|DIR|REF|NAME)$/i;
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i;
/** Secret values shorter than this are too common ("app", "1") to search for elsewhere. */
const MIN_SECRET_LENGTH = 6;

function isSecretResource(r: RecordedResource): boolean {
    return r.type === "kubernetes:core/v1:Secret";
}

function isUnder(path: string, secretPaths: readonly string[]): boolean {
    return secretPaths.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`) || p === "");
}

/** Every string leaf of `value`, with its dotted path. */
function leaves(value: unknown, path: string, out: { path: string; value: string }[]): typeof out {
    if (typeof value === "string") {
        out.push({ path, value });
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => leaves(v, `${path}[${i}]`, out));
    } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            leaves(v, path ? `${path}.${k}` : k, out);
        }
    }
    return out;
}

/** The values held secret in this render whose key looks like a credential (passwords, tokens). */
export function secretValues(rec: Recorder): string[] {
    const values = new Set<string>();
    for (const r of rec.resources) {
        for (const leaf of leaves(r.inputs, "", [])) {
            const key = leaf.path.split(".").pop() ?? "";
            if (isUnder(leaf.path, r.secretPaths) && SECRET_LOOKING_KEY.test(key) && leaf.value.length >= MIN_SECRET_LENGTH) {
                values.add(leaf.value);
            }
        }
    }
    return [...values].sort();
}

/** Every env entry (`{ name, value }`) found anywhere in a resource's inputs, with its path. */
function envLiterals(value: unknown, path: string, out: { path: string; name: string; value: string }[]): typeof out {
    if (Array.isArray(value)) {
        value.forEach((v, i) => envLiterals(v, `${path}[${i}]`, out));
    } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            const child = path ? `${path}.${k}` : k;
            if (k === "env" && Array.isArray(v)) {
                v.forEach((e, i) => {
                    if (e && typeof e === "object" && typeof e.name === "string" && typeof e.value === "string") {
                        out.push({ path: `${child}[${i}]`, name: e.name, value: e.value });
                    }
                });
            }
            envLiterals(v, child, out);
        }
    }
    return out;
}

/** Every way the render leaks a credential, as `type::name path: reason` texts (empty when clean). */
export function secretLeaks(rec: Recorder, knownSecrets: readonly string[] = []): string[] {
    const secrets = [...secretValues(rec), ...knownSecrets.filter((s) => s.length > 0)];
    const leaks: string[] = [];
    const where = (r: RecordedResource, path: string) => `${r.type}::${r.name} ${path}`;
    for (const r of rec.resources) {
        if (isSecretResource(r)) {
            for (const field of ["data", "stringData"]) {
                if (r.inputs[field] !== undefined && !isUnder(field, r.secretPaths)) {
                    leaks.push(`${where(r, field)}: a Secret's ${field} is not marked secret in Pulumi state`);
                }
            }
            continue;
        }
        if (r.type === "kubernetes:core/v1:ConfigMap") {
            for (const key of Object.keys({ ...(r.inputs.data ?? {}), ...(r.inputs.binaryData ?? {}) })) {
                if (SECRET_LOOKING_KEY.test(key)) {
                    leaks.push(`${where(r, `data.${key}`)}: a ConfigMap key that looks like a credential`);
                }
            }
            for (const leaf of leaves(r.inputs.data ?? {}, "data", [])) {
                if (URL_WITH_PASSWORD.test(leaf.value)) {
                    leaks.push(`${where(r, leaf.path)}: a URL with a password in a ConfigMap`);
                }
            }
        }
        for (const env of envLiterals(r.inputs, "", [])) {
            if (SECRET_LOOKING_KEY.test(env.name) && !REFERENCE_NAME.test(env.name) && env.value !== "") {
                leaks.push(`${where(r, env.path)}: env var ${env.name} has a literal value; credentials must come from a secretKeyRef`);
            }
            if (URL_WITH_PASSWORD.test(env.value)) {
                leaks.push(`${where(r, env.path)}: env var ${env.name} is a URL with a password`);
            }
        }
        for (const leaf of leaves(r.inputs, "", [])) {
            if (isUnder(leaf.path, r.secretPaths)) {
                continue;
            }
            if (secrets.some((s) => leaf.value.includes(s))) {
                leaks.push(`${where(r, leaf.path)}: holds a value that is secret elsewhere, in plain text`);
            }
        }
    }
    return leaks;
}

/** Asserts that a render leaks no credential (see {@link secretLeaks}). */
export function assertNoSecretLeaks(rec: Recorder, knownSecrets: readonly string[] = []): void {
    assert.deepStrictEqual(secretLeaks(rec, knownSecrets), [], "credentials must stay in Secrets");
}

interface GuardState {
    scanned: number;
    failures: string[];
}

let guard: GuardState | undefined;

/**
 * Scans every render of the whole test run: each time the recorder is reset (every
 * `render()` resets it) the previous render is checked, and a root `afterEach` checks the
 * last one and fails the test that produced a leak. Idempotent; returns the live counters.
 */
export function guardEveryRender(): Readonly<GuardState> {
    if (guard) {
        return guard;
    }
    const state: GuardState = { failures: [], scanned: 0 };
    guard = state;
    const reset = Recorder.prototype.reset;
    let last: Recorder | undefined;
    Recorder.prototype.reset = function (this: Recorder): void {
        last = this;
        if (this.resources.length > 0) {
            state.scanned++;
            state.failures.push(...secretLeaks(this));
        }
        reset.call(this);
    };
    afterEach(function () {
        const leaks = [...state.failures];
        state.failures.length = 0;
        if (last !== undefined) {
            leaks.push(...secretLeaks(last));
        }
        assert.deepStrictEqual(leaks, [], `credentials leaked in a render of "${this.currentTest?.fullTitle()}"`);
    });
    return state;
}
