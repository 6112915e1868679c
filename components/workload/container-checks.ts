import { EXPECT, parseQuantity } from "../common/kubernetes";
import { ProblemList } from "../common/validation";

/**
 * Checks shared by ReplicatedCache and NodeLocalStore. Internal to the package: not
 * exported from the barrel, so their generic names cannot clash with other modules.
 */

const IMAGE = /^[a-z0-9][a-z0-9._\-/:@]*$/i;

/** True for a container image reference without whitespace. */
export function isImage(value: unknown): value is string {
    return typeof value === "string" && value.length <= 512 && IMAGE.test(value);
}

/** True for an absolute POSIX path without "..", "." parts or empty segments. */
export function isAbsolutePath(value: unknown): value is string {
    if (typeof value !== "string" || !value.startsWith("/") || value.length > 4096) {
        return false;
    }
    if (value === "/") {
        return true;
    }
    return value
        .slice(1)
        .split("/")
        .every((part) => part !== "" && part !== "." && part !== ".." && !/[\s:]/.test(part));
}

/** Checks a positive quantity given as a string; returns its value when valid. */
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

