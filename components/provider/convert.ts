import * as pulumi from "@pulumi/pulumi";

/** The object with the fields of `fields` that are not undefined (the library args' shape). */
export function definedFields<T extends object>(fields: T): T {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) out[key] = value;
    }
    return out as T;
}

/** `flag` or, when options are given, the options (the library's `boolean | {...}` arguments). */
export function flagOrOptions<O>(flag: boolean | undefined, options: O | undefined): boolean | O | undefined {
    return options !== undefined ? options : flag;
}

/**
 * Runs `validate` (the library's validation) and, when it refuses, names the problems by
 * the provider-facing args' paths: a problem under `from` (a library argument the
 * provider splits, e.g. `createKmsKey`) is reported under `to` (`kmsKey`) when the caller
 * gave `to`. The problems and their texts are the library's.
 */
export function withProviderPaths<T>(renames: Readonly<Record<string, string>>, validate: () => T): T {
    try {
        return validate();
    } catch (err) {
        if (!pulumi.InputPropertiesError.isInstance(err) || Object.keys(renames).length === 0) {
            throw err;
        }
        const rename = (path: string): string => {
            for (const [from, to] of Object.entries(renames)) {
                if (path === from || path.startsWith(`${from}.`) || path.startsWith(`${from}[`)) return `${to}${path.slice(from.length)}`;
            }
            return path;
        };
        let message = err.message;
        for (const [from, to] of Object.entries(renames)) {
            message = message.split(`\n  - ${from}.`).join(`\n  - ${to}.`).split(`\n  - ${from}:`).join(`\n  - ${to}:`);
        }
        throw new pulumi.InputPropertiesError({ message, errors: err.errors.map((e) => ({ ...e, propertyPath: rename(e.propertyPath) })) });
    }
}
