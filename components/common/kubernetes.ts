import * as pulumi from "@pulumi/pulumi";
import { parseQuantity } from "./quantity";
import { ProblemList } from "./validation";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IANA_SERVICE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Expectation texts shared by every component, so the same rule reads the same everywhere. */
export const EXPECT = {
    dns1123Label: "must be a DNS-1123 label: at most 63 characters of lower-case letters, digits and '-', starting and ending with a letter or digit",
    dns1123Subdomain: "must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit",
    portName: "must be an IANA service name: at most 15 lower-case letters, digits and '-', with at least one letter, no leading, trailing or double '-'",
    port: "must be an integer from 1 to 65535",
    envVarName: "must be an environment variable name: letters, digits and '_', not starting with a digit",
    quantity: "must be a Kubernetes quantity such as \"20Gi\", \"500Mi\" or \"1Ti\"",
    deferred: "must be a plain value known at construction, not an Output or a Promise",
} as const;

/** True for a DNS-1123 label (namespace names, Service names, container names). */
export function isDns1123Label(value: string): boolean {
    return typeof value === "string" && value.length <= 63 && DNS1123_LABEL.test(value);
}

/** True for a DNS-1123 subdomain (most object names, StorageClass names). */
export function isDns1123Subdomain(value: string): boolean {
    return typeof value === "string" && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** True for an IANA service name, the rule Kubernetes applies to port names. */
export function isIanaServiceName(value: string): boolean {
    return typeof value === "string" && value.length <= 15 && IANA_SERVICE_NAME.test(value) && /[a-z]/.test(value) && !value.includes("--");
}

/** True for a conventional environment variable name. */
export function isEnvVarName(value: string): boolean {
    return typeof value === "string" && ENV_VAR_NAME.test(value);
}

/** True for an integer TCP/UDP port. */
export function isPort(value: unknown): value is number {
    return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
}

export { parseQuantity } from "./quantity";

/** Bytes in one GiB, the unit EBS sizes are counted in. */
export const GIB = 2 ** 30;

/**
 * A hint for the usual mistakes in storage sizes: "20GB" or "20gi" → "20Gi".
 * Returns undefined when there is nothing sensible to suggest.
 */
export function suggestQuantity(text: string): string | undefined {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgtpe])(?:i?b|i)?\s*$/i.exec(text);
    if (!match) {
        return undefined;
    }
    const letter = match[2].toLowerCase() === "k" ? "K" : match[2].toUpperCase();
    const suggestion = `${match[1]}${letter}i`;
    return suggestion === text ? undefined : suggestion;
}

/**
 * Checks a storage size: a positive Kubernetes quantity. Returns its size in bytes when
 * valid, so callers can apply range checks of their own.
 */
export function checkStorageSize(problems: ProblemList, path: string, size: unknown): number | undefined {
    if (typeof size !== "string") {
        problems.add(path, size, `${EXPECT.quantity}, given as a string`);
        return undefined;
    }
    const bytes = parseQuantity(size);
    if (bytes === undefined) {
        const hint = suggestQuantity(size);
        problems.add(path, size, hint ? `${EXPECT.quantity}; did you mean "${hint}"?` : EXPECT.quantity);
        return undefined;
    }
    if (!(bytes > 0)) {
        problems.add(path, size, "must be greater than zero");
        return undefined;
    }
    return bytes;
}

/**
 * Checks an optional positive quantity given as a string (memory, CPU, a size limit);
 * returns its value in base units when valid.
 */
export function checkPositiveQuantity(problems: ProblemList, path: string, value: unknown, expected: string = EXPECT.quantity): number | undefined {
    if (value === undefined) {
        return undefined;
    }
    const parsed = typeof value === "string" ? parseQuantity(value) : undefined;
    if (parsed === undefined || !(parsed > 0)) {
        problems.add(path, value, parsed === undefined ? expected : "must be greater than zero");
        return undefined;
    }
    return parsed;
}

/**
 * Checks a positive quantity and its upper bound (a quantity such as "1e400" parses to
 * Infinity); returns its value when valid.
 */
export function checkBoundedQuantity(problems: ProblemList, path: string, value: unknown, expected: string, max: number, maxText: string): number | undefined {
    const parsed = checkPositiveQuantity(problems, path, value, expected);
    if (parsed !== undefined && parsed > max) {
        problems.add(path, value, `must be at most ${maxText}`);
        return undefined;
    }
    return parsed;
}

/**
 * Checks a DNS-1123 subdomain name (object names). The value is required: undefined is
 * refused too; an Output or a Promise is refused as not known at construction.
 */
export function checkSubdomain(problems: ProblemList, path: string, value: unknown): value is string {
    return checkDnsName(problems, path, value, isDns1123Subdomain, EXPECT.dns1123Subdomain);
}

/**
 * Checks a DNS-1123 label (namespaces, Service and container names). The value is
 * required: undefined is refused too; an Output or a Promise is refused as not known at
 * construction.
 */
export function checkLabel(problems: ProblemList, path: string, value: unknown): value is string {
    return checkDnsName(problems, path, value, isDns1123Label, EXPECT.dns1123Label);
}

/** Checks a required name of one DNS form: refused when deferred, not a string or not of the form. */
function checkDnsName(problems: ProblemList, path: string, value: unknown, isValid: (name: string) => boolean, expected: string): value is string {
    if (isDeferredValue(value)) {
        problems.add(path, value, EXPECT.deferred);
        return false;
    }
    if (typeof value !== "string" || !isValid(value)) {
        problems.add(path, value, expected);
        return false;
    }
    return true;
}

function isDeferredValue(value: unknown): boolean {
    return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/** The recommended `app.kubernetes.io/*` labels for every object a component renders. */
export function standardLabels(name: string, component: string): Record<string, string> {
    return {
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/instance": name,
        "app.kubernetes.io/managed-by": "stateful-stacks",
        "app.kubernetes.io/name": name,
    };
}

/** Returns a copy of an object with its keys sorted, recursively, for deterministic output. */
export function sortKeys<T>(value: T): T {
    if (Array.isArray(value)) {
        return value.map((v) => sortKeys(v)) as unknown as T;
    }
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value as Record<string, unknown>).sort()) {
            out[key] = sortKeys((value as Record<string, unknown>)[key]);
        }
        return out as T;
    }
    return value;
}
