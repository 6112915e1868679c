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

/**
 * Options of a child that holds no data and is rebuilt from the arguments (a StorageClass,
 * a VolumeSnapshotClass, a security group, a mount target, a Service, a
 * PodDisruptionBudget, a ConfigMap, a Deployment or DaemonSet whose pods keep no claims):
 * never
 * protected and never retained, whatever the component was given. The Node SDK copies a
 * parent's `protect` to every child that does not set it, so `protect: false` is set
 * explicitly: a routine change can replace the child under `protect: true`, and a
 * replacement never collides with a retained old object of the same explicit name.
 */
export function disposableChildOptions(parent: pulumi.Resource, extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return childOptions(parent, { ...extra, protect: false, retainOnDelete: false });
}
