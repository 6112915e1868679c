import * as pulumi from "@pulumi/pulumi";
import { checkBoolean, checkOneOf, checkPlain, integerText, isInteger } from "../common/checks";
import { checkSubdomain, EXPECT, isDns1123Subdomain } from "../common/kubernetes";
import { dataChildOptions, disposableChildOptions } from "../common/options";
import { StorageClassFacts } from "../common/storage-class-ref";
import { describeValue, ProblemList } from "../common/validation";

/**
 * What the EBS and EFS storage classes share: the StorageClass object shape, the rules
 * for the arguments both take, and the small checks their validators are built from.
 */

/** What happens to a dynamically provisioned volume when its claim is deleted. */
export type ReclaimPolicy = "Retain" | "Delete";

/** When a claim of the class is bound and its volume provisioned. */
export type VolumeBindingMode = "WaitForFirstConsumer" | "Immediate";

export const RECLAIM_POLICIES: readonly ReclaimPolicy[] = ["Retain", "Delete"];
export const VOLUME_BINDING_MODES: readonly VolumeBindingMode[] = ["WaitForFirstConsumer", "Immediate"];

/** The annotation that makes a StorageClass the cluster's default. */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/** Labels on every object the storage components render. */
export const STORAGE_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/managed-by": "stateful-stacks" };

/** A `storage.k8s.io/v1` StorageClass as rendered (parameter values may be Outputs). */
export interface StorageClassObject<P = unknown> {
    readonly apiVersion: "storage.k8s.io/v1";
    readonly kind: "StorageClass";
    readonly metadata: {
        readonly name: string;
        readonly labels: Record<string, string>;
        readonly annotations?: Record<string, string>;
    };
    readonly provisioner: string;
    readonly parameters: Record<string, P>;
    readonly reclaimPolicy: ReclaimPolicy;
    readonly volumeBindingMode: VolumeBindingMode;
    readonly allowVolumeExpansion?: boolean;
    readonly allowedTopologies?: { matchLabelExpressions: { key: string; values: string[] }[] }[];
}

/** The access modes of a block volume (EBS): it attaches to one node at a time. */
export const BLOCK_ACCESS_MODES: StorageClassFacts["accessModes"] = ["ReadWriteOnce", "ReadWriteOncePod"];
/** The access modes of a shared file system (EFS): it mounts on any number of nodes. */
export const FILE_ACCESS_MODES: StorageClassFacts["accessModes"] = ["ReadWriteOnce", "ReadWriteOncePod", "ReadOnlyMany", "ReadWriteMany"];

/**
 * Options of a child that holds data or the means to read it (a KMS key, a file system,
 * its backup policy). `protect` given to the component is passed on; the child is
 * retained on delete (`pulumi destroy` and removal from the program leave it in the
 * cloud account) unless the component's `retainOnDelete` option says otherwise or
 * `deleteWithStack` is set.
 */
export function dataHoldingOptions(
    parent: pulumi.Resource,
    opts: pulumi.ComponentResourceOptions | undefined,
    deleteWithStack: boolean,
    extra?: pulumi.CustomResourceOptions,
): pulumi.CustomResourceOptions {
    return { ...dataChildOptions(parent, opts, extra), retainOnDelete: opts?.retainOnDelete ?? !deleteWithStack };
}

/** Re-exported from `../common/options`, where every component takes it from. */
export { disposableChildOptions };

/**
 * Checks `deleteWithStack` against the component's resource options: asking to delete
 * the data with the stack while asking to retain every child on delete is a contradiction.
 */
export function checkDeleteWithStack(problems: ProblemList, deleteWithStack: unknown, opts: pulumi.ComponentResourceOptions | undefined): void {
    checkBoolean(problems, "deleteWithStack", deleteWithStack);
    if (deleteWithStack === true && opts?.retainOnDelete === true) {
        problems.add("deleteWithStack", deleteWithStack, "cannot be combined with the resource option retainOnDelete: true; leave out one of them");
    }
}

/**
 * Checks an integer in a closed range, with `context` completing the common wording
 * ("must be an integer from 3000 to 80000 for gp3 volumes"). True only for a valid integer.
 */
export function checkIntegerIn(problems: ProblemList, path: string, value: unknown, min: number, max: number, context: string): value is number {
    if (!checkPlain(problems, path, value)) {
        return false;
    }
    if (!isInteger(value, min, max)) {
        problems.add(path, value, `${integerText(min, max)} ${context}`);
        return false;
    }
    return true;
}

/** Checks the component's own name: the Pulumi resource name its children's names derive from. */
export function checkComponentName(problems: ProblemList, name: unknown): void {
    if (typeof name !== "string" || name.trim() === "") {
        problems.add("name", name, "must be a non-empty string: the Pulumi resource name that the children's names derive from");
    }
}

/**
 * Checks the StorageClass name: explicit and stable, a DNS-1123 subdomain. When it is
 * left out the component name is used, and a component name that is not a valid object
 * name is reported against `storageClassName` with that explanation.
 */
export function checkStorageClassName(problems: ProblemList, componentName: string, storageClassName: unknown): void {
    if (storageClassName !== undefined) {
        checkSubdomain(problems, "storageClassName", storageClassName);
        return;
    }
    if (!isDns1123Subdomain(componentName)) {
        problems.add(
            "storageClassName",
            storageClassName,
            `${EXPECT.dns1123Subdomain}; it defaults to the component name ${describeValue(componentName)}, which is not one, so set storageClassName explicitly`,
        );
    }
}

/** Checks the arguments both storage classes take with the same meaning. */
export function checkCommonClassArgs(
    problems: ProblemList,
    componentName: string,
    args: { reclaimPolicy?: unknown; volumeBindingMode?: unknown; isDefault?: unknown; storageClassName?: unknown },
): void {
    checkOneOf(problems, "reclaimPolicy", args.reclaimPolicy, RECLAIM_POLICIES);
    checkOneOf(problems, "volumeBindingMode", args.volumeBindingMode, VOLUME_BINDING_MODES);
    checkBoolean(problems, "isDefault", args.isDefault);
    checkStorageClassName(problems, componentName, args.storageClassName);
}

/** The metadata of a rendered StorageClass: its explicit name, labels, default-class annotation. */
export function storageClassMetadata(storageClassName: string, isDefault: boolean | undefined): StorageClassObject["metadata"] {
    return {
        name: storageClassName,
        labels: { ...STORAGE_LABELS },
        ...(isDefault ? { annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } } : {}),
    };
}

/** A full KMS key ARN (not an alias, not a bare key id), in any AWS partition. */
const KMS_KEY_ARN = /^arn:aws(-[a-z]+)*:kms:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

export const EXPECT_KMS_KEY_ARN =
    'must be a full KMS key ARN such as "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"';

/** True for a full KMS key ARN. */
export function isKmsKeyArn(value: string): boolean {
    return KMS_KEY_ARN.test(value);
}

/** Checks a plain KMS key ARN; aliases and bare key ids get a hint of their own. */
export function checkKmsKeyArn(problems: ProblemList, path: string, value: unknown, consumer: string): void {
    if (typeof value === "string" && isKmsKeyArn(value)) {
        return;
    }
    const text = typeof value === "string" ? value : "";
    let refused = "";
    if (text.startsWith("alias/") || text.includes(":alias/")) {
        refused = "an alias is not accepted: ";
    } else if (/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/.test(text)) {
        refused = "a bare key id is not accepted: ";
    }
    problems.add(path, value, `${EXPECT_KMS_KEY_ARN}; ${refused}${consumer} needs the key's full ARN`);
}
