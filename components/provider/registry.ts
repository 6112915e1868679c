import type { EbsStorageClass as LibraryEbsStorageClass } from "../storage/ebs-storage-class";
import type { EfsStorageClass as LibraryEfsStorageClass } from "../storage/efs-storage-class";
import type { ExternalStore as LibraryExternalStore } from "../external/external-store";

/**
 * The library components the provider-facing components built in this provider process,
 * so that a StatefulWorkload given a storage class name or an ExternalStore name gets the
 * component itself, with the same checks as a TypeScript program passing the instance.
 * One component provider process serves one deployment; a name is found only when the
 * component was constructed first (YAML: `options.dependsOn`).
 */
export const storageClasses = new Map<string, LibraryEbsStorageClass | LibraryEfsStorageClass>();
/** ExternalStores by component name. */
export const externalStores = new Map<string, LibraryExternalStore>();

/** The type token of a provider-facing component (the component provider serves `index` only). */
export function providerType(name: string): string {
    return `stateful-stacks:index:${name}`;
}
