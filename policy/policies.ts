import type { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { UnknownValueError } from "@pulumi/policy";
import { containsCredential } from "../components/common/credentials";
import { EXPECT, isDns1123Label, isDns1123Subdomain } from "../components/common/kubernetes";
import { looksLikeCredential } from "../components/workload/container-env";
import { MAX_STATEFUL_SET_NAME } from "../components/workload/stateful-workload-validate";
import { DATA_HOLDING_TYPES } from "../tools/gate/gate";

/**
 * The package's stateful-safety rules as CrossGuard policies, for any Pulumi program (not
 * only one built from these components). Policies see each resource as the program
 * declares it (its inputs and options), never the operation the engine plans: deleting or
 * replacing data is the preview gate's job (`stateful-stacks gate`), these keep the
 * declared resources safe. Values not known at preview time are skipped, not reported.
 *
 * How a value is known to be unknown: the engine sends a computed value as one of its
 * unknown sentinels (`04da6b54-…` for a string, one per kind), and the SDK's props proxy
 * throws `UnknownValueError` when one is read. `read` turns both into `UNKNOWN`, so a
 * policy skips that one value (not the whole resource). An absent key is not unknown: it
 * is unset, and reported where its default is unsafe (a StorageClass without
 * reclaimPolicy reclaims with Delete; an EFS file system or EBS volume without encrypted
 * is unencrypted). `pulumi.runtime.isDryRun()` is not used: a policy pack runs in its own
 * process, whose runtime settings do not say whether the engine previews or updates.
 */

const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const SNAPSHOT_CLASSES = ["kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass", "kubernetes:snapshot.storage.k8s.io/v1beta1:VolumeSnapshotClass"];
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const EBS_PROVISIONERS = ["ebs.csi.aws.com", "kubernetes.io/aws-ebs"];

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
    "kubernetes:core/v1:Pod": ["spec"],
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

function field(value: unknown, ...path: (string | number)[]): unknown {
    let current = value;
    for (const key of path) {
        if (typeof current !== "object" || current === null) {
            return undefined;
        }
        current = (current as Record<string | number, unknown>)[key];
    }
    return current;
}

/** The engine's unknown-value sentinels (`@pulumi/policy` proxy.js, one per kind of value). */
const UNKNOWN_SENTINELS: readonly string[] = [
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

/** A value not known at preview time. */
export const UNKNOWN: unique symbol = Symbol("unknown");

/**
 * `field`, but `UNKNOWN` when the value (or an object on its path) is not known at preview
 * time: an unknown sentinel, or the SDK proxy's `UnknownValueError`.
 */
function read(value: unknown, ...path: (string | number)[]): unknown {
    try {
        let current = value;
        for (const key of path) {
            if (typeof current === "string" && UNKNOWN_SENTINELS.includes(current)) {
                return UNKNOWN;
            }
            if (typeof current !== "object" || current === null) {
                return undefined;
            }
            current = (current as Record<string | number, unknown>)[key];
        }
        return typeof current === "string" && UNKNOWN_SENTINELS.includes(current) ? UNKNOWN : current;
    } catch (err) {
        if (err instanceof UnknownValueError) {
            return UNKNOWN;
        }
        throw err;
    }
}

function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

function kindOf(type: string): string {
    return type.slice(type.lastIndexOf(":") + 1);
}

/** `Kind "name"` for messages. */
function subject(type: string, name: string): string {
    return `${kindOf(type)} "${name}"`;
}

function objectName(props: Record<string, unknown>, fallback: string): string {
    const name = field(props, "metadata", "name");
    return typeof name === "string" ? name : fallback;
}

export const storageClassRetain: ResourceValidationPolicy = {
    name: "storage-class-retain",
    description: "StorageClasses reclaim with Retain and VolumeSnapshotClasses delete with Retain: a deleted claim or snapshot object never takes its data with it.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type === STORAGE_CLASS) {
            const policy = read(args.props, "reclaimPolicy");
            if (policy !== "Retain" && policy !== UNKNOWN) {
                report(`${subject(args.type, objectName(args.props, args.name))} has reclaimPolicy ${policy === undefined ? "unset (Kubernetes' default: Delete)" : JSON.stringify(policy)}: every volume it provisions is deleted with its claim. Set reclaimPolicy: "Retain".`);
            }
        } else if (SNAPSHOT_CLASSES.includes(args.type)) {
            const policy = read(args.props, "deletionPolicy");
            if (policy !== "Retain" && policy !== UNKNOWN) {
                report(`${subject(args.type, objectName(args.props, args.name))} has deletionPolicy ${JSON.stringify(policy)}: a snapshot is deleted in the storage backend with its VolumeSnapshot object. Set deletionPolicy: "Retain".`);
            }
        }
    },
};

export const encryptionAtRest: ResourceValidationPolicy = {
    name: "encryption-at-rest",
    description: "EBS StorageClasses, EBS volumes and EFS file systems are encrypted at rest.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type === STORAGE_CLASS && EBS_PROVISIONERS.includes(String(read(args.props, "provisioner")))) {
            const encrypted = read(args.props, "parameters", "encrypted");
            if (encrypted !== "true" && encrypted !== UNKNOWN) {
                report(`${subject(args.type, objectName(args.props, args.name))} provisions EBS volumes without encryption (parameters.encrypted is ${encrypted === undefined ? "unset" : JSON.stringify(encrypted)}). Set parameters.encrypted: "true".`);
            }
        } else if (args.type === "aws:efs/fileSystem:FileSystem" || args.type === "aws:ebs/volume:Volume") {
            const encrypted = read(args.props, "encrypted");
            if (encrypted !== true && encrypted !== UNKNOWN) {
                report(`${subject(args.type, args.name)} is not encrypted at rest (encrypted is ${encrypted === undefined ? "unset" : JSON.stringify(encrypted)}). Set encrypted: true; encryption cannot be turned on later without replacing it.`);
            }
        }
    },
};

export const noLiteralCredentials: ResourceValidationPolicy = {
    name: "no-literal-credentials",
    description: "Container environment variables named like credentials (PASSWORD, TOKEN, SECRET, API_KEY, …), or whose value is itself a credential (a connection string with a password), take their value from a Secret, never a literal.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        const specPath = POD_SPEC_PATHS[args.type];
        if (specPath === undefined) {
            return;
        }
        const spec = field(args.props, ...specPath);
        for (const kind of ["initContainers", "containers"] as const) {
            list(field(spec, kind)).forEach((container, c) => {
                list(field(container, "env")).forEach((env, e) => {
                    const name = read(env, "name");
                    const value = read(env, "value");
                    if (typeof name !== "string" || typeof value !== "string" || value === "") {
                        return;
                    }
                    const containerName = read(container, "name");
                    const where = `${subject(args.type, objectName(args.props, args.name))}: ${kind}[${c}]${typeof containerName === "string" ? ` (${containerName})` : ""}.env[${e}] ${name}`;
                    if (looksLikeCredential(name)) {
                        report(`${where} holds a literal value: anyone who can read the ${kindOf(args.type)} reads it. Put it in a Secret and use valueFrom.secretKeyRef.`);
                    } else if (containsCredential(value)) {
                        report(`${where} holds a credential in its value (a password in a connection string or parameter): anyone who can read the ${kindOf(args.type)} reads it. Put the value in a Secret and use valueFrom.secretKeyRef.`);
                    }
                });
            });
        }
    },
};

export const statefulSetClaimsRetained: ResourceValidationPolicy = {
    name: "statefulset-claims-retained",
    description: "StatefulSets with volume claim templates keep their claims when deleted and when scaled down (persistentVolumeClaimRetentionPolicy Retain).",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        if (args.type !== STATEFUL_SET || list(field(args.props, "spec", "volumeClaimTemplates")).length === 0) {
            return;
        }
        for (const key of ["whenDeleted", "whenScaled"] as const) {
            const policy = read(args.props, "spec", "persistentVolumeClaimRetentionPolicy", key);
            if (policy !== undefined && policy !== "Retain" && policy !== UNKNOWN) {
                report(`${subject(args.type, objectName(args.props, args.name))} has persistentVolumeClaimRetentionPolicy.${key} ${JSON.stringify(policy)}: its claims and their data are deleted ${key === "whenDeleted" ? "with the StatefulSet" : "when it scales down"}. Set ${key}: "Retain" (the Kubernetes default).`);
            }
        }
    },
};

/** A workload's namespace, pod labels and replicas, as far as the program gives them. */
interface Workload {
    readonly resource: PolicyResource;
    readonly namespace: unknown;
    readonly labels: Record<string, unknown>;
    readonly replicas: number | undefined;
}

const REPLICATED = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:ReplicaSet"];

function workloads(resources: readonly PolicyResource[]): Workload[] {
    return resources.filter((r) => REPLICATED.includes(r.type)).map((r) => {
        const replicas = field(r.props, "spec", "replicas");
        return {
            resource: r,
            namespace: field(r.props, "metadata", "namespace"),
            labels: (field(r.props, "spec", "template", "metadata", "labels") ?? {}) as Record<string, unknown>,
            replicas: replicas === undefined ? 1 : typeof replicas === "number" ? replicas : undefined,
        };
    });
}

export const disruptionBudgetAllowsEviction: StackValidationPolicy = {
    name: "pdb-allows-eviction",
    description: "A PodDisruptionBudget lets at least one pod be evicted, so node drains and cluster upgrades can proceed.",
    enforcementLevel: "mandatory",
    validateStack: (args, report: ReportViolation) => {
        const all = workloads(args.resources);
        for (const pdb of args.resources.filter((r) => r.type === PDB)) {
            const spec = field(pdb.props, "spec");
            const name = subject(pdb.type, objectName(pdb.props, pdb.name));
            const maxUnavailable = field(spec, "maxUnavailable");
            const minAvailable = field(spec, "minAvailable");
            if (maxUnavailable === 0 || maxUnavailable === "0%") {
                report(`${name} has maxUnavailable ${JSON.stringify(maxUnavailable)}: no pod may ever be evicted, so every node drain blocks. Allow at least 1.`, pdb.urn);
                continue;
            }
            if (minAvailable === "100%") {
                report(`${name} has minAvailable "100%": no pod may ever be evicted, so every node drain blocks. Use maxUnavailable: 1.`, pdb.urn);
                continue;
            }
            if (typeof minAvailable !== "number") {
                continue;
            }
            const selector = (field(spec, "selector", "matchLabels") ?? {}) as Record<string, unknown>;
            const namespace = field(pdb.props, "metadata", "namespace");
            for (const w of all) {
                const selects = Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => w.labels[k] === v);
                if (selects && w.namespace === namespace && w.replicas !== undefined && minAvailable >= w.replicas) {
                    report(`${name} has minAvailable ${minAvailable} for ${subject(w.resource.type, objectName(w.resource.props, w.resource.name))} with ${w.replicas} replica${w.replicas === 1 ? "" : "s"}: no pod may be evicted, so every node drain blocks. Use maxUnavailable: 1, or minAvailable below the replicas.`, pdb.urn);
                }
            }
        }
    },
};

/** The name rule per kind: what the API server (or the controllers' derived names) allow. */
const NAME_RULES: Readonly<Record<string, { test: (name: string) => boolean; expect: string }>> = {
    "kubernetes:core/v1:Namespace": { test: isDns1123Label, expect: EXPECT.dns1123Label },
    "kubernetes:core/v1:Service": { test: (n) => isDns1123Label(n) && /^[a-z]/.test(n), expect: `${EXPECT.dns1123Label}, starting with a letter` },
    "kubernetes:apps/v1:StatefulSet": {
        test: (n) => isDns1123Label(n) && n.length <= MAX_STATEFUL_SET_NAME,
        expect: `must be a DNS-1123 label of at most ${MAX_STATEFUL_SET_NAME} characters (the controller-revision-hash label <name>-<10 characters> must fit in 63)`,
    },
    "kubernetes:batch/v1:CronJob": {
        test: (n) => isDns1123Subdomain(n) && n.length <= 52,
        expect: "must be a DNS-1123 subdomain of at most 52 characters (the Jobs it creates append 11)",
    },
};
const SUBDOMAIN_KINDS = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:core/v1:Pod",
    "kubernetes:core/v1:ConfigMap",
    "kubernetes:core/v1:Secret",
    "kubernetes:core/v1:PersistentVolumeClaim",
    "kubernetes:core/v1:PersistentVolume",
    "kubernetes:storage.k8s.io/v1:StorageClass",
    "kubernetes:policy/v1:PodDisruptionBudget",
    ...SNAPSHOT_CLASSES,
];

export const kubernetesNameLimits: ResourceValidationPolicy = {
    name: "kubernetes-name-limits",
    description: "Kubernetes object names fit the API server's rules and the names controllers derive from them (StatefulSets at most 52 characters, Services and Namespaces DNS-1123 labels).",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        const name = field(args.props, "metadata", "name");
        if (typeof name !== "string") {
            return;
        }
        const rule = NAME_RULES[args.type] ?? (SUBDOMAIN_KINDS.includes(args.type) ? { test: isDns1123Subdomain, expect: EXPECT.dns1123Subdomain } : undefined);
        if (rule !== undefined && !rule.test(name)) {
            report(`${subject(args.type, name)}: the name (${name.length} characters) ${rule.expect}.`);
        }
    },
};

export const dataHoldingProtected: ResourceValidationPolicy = {
    name: "data-holding-protected",
    description: "Resources that hold data (claims, volumes, file systems, keys, databases, buckets, StatefulSets with claim templates) are protected, so no change or destroy removes them unasked.",
    // Advisory: CrossGuard 1.21 passes `protect` to policies but not `retainOnDelete`, the
    // other guard a program may have chosen; the preview gate sees both.
    enforcementLevel: "advisory",
    validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        const holdsData = DATA_HOLDING_TYPES.includes(args.type) || (args.type === STATEFUL_SET && list(field(args.props, "spec", "volumeClaimTemplates")).length > 0);
        if (holdsData && !args.opts.protect) {
            report(`${subject(args.type, args.type.startsWith("kubernetes:") ? objectName(args.props, args.name) : args.name)} holds data and is not protected. Pass protect: true (or retainOnDelete: true, which policies cannot see) in its resource options.`);
        }
    },
};

/** Every policy of the pack, in the order the pack lists them. */
export const POLICIES: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [
    storageClassRetain,
    encryptionAtRest,
    noLiteralCredentials,
    statefulSetClaimsRetained,
    disruptionBudgetAllowsEviction,
    kubernetesNameLimits,
    dataHoldingProtected,
];
