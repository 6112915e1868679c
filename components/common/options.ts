import * as pulumi from "@pulumi/pulumi";

/** Options for an ordinary child: parented to the component, nothing else changed. */
export function childOptions(parent: pulumi.Resource, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return { ...extra, parent };
}

/**
 * Options for a child that holds data (a file system, a KMS key, a StatefulSet with
 * volume claims): `protect` and `retainOnDelete` given to the component are passed on
 * explicitly, so that they hold even where the engine would not inherit them.
 */
export function dataChildOptions(
    parent: pulumi.Resource,
    opts: pulumi.ComponentResourceOptions | undefined,
    extra?: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions {
    const result: pulumi.CustomResourceOptions = { ...extra, parent };
    if (opts?.protect !== undefined) {
        result.protect = opts.protect;
    }
    if (opts?.retainOnDelete !== undefined) {
        result.retainOnDelete = opts.retainOnDelete;
    }
    return result;
}
