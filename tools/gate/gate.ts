import { PreviewDocument, PreviewStep, ResourceState, splitUrn, StepOp } from "./preview";
import { formatChange, UNKNOWN_VALUE, ValueChange, valueChanges } from "./values";
import { parseQuantity } from "../../components/common/quantity";
import { volumeAttributesFindings } from "./volume-attributes";

/**
 * The data-loss gate over a `pulumi preview --json` document.
 *
 * A step destroys data when
 *   1. its op removes the existing cloud object: `delete`, or a replacement — `replace`,
 *      `create-replacement`, `delete-replaced`, `import-replacement` (the engine pairs every
 *      replacement with a delete of the old object, before or after the create); and
 *   2. the object holds data (see `dataRisk`: claims, volumes, namespaces, StatefulSets with
 *      claim templates, EFS/EBS/RDS/S3/DynamoDB/KMS, VolumeSnapshots, VolumeSnapshotContents
 *      not known to be Retain, EBS snapshots, AWS Backup vaults, plus types named with
 *      `dataTypes`; an AWS Backup plan removed is a weakened protection); and
 *   3. the old state is not `retainOnDelete` (the engine then drops it from state without
 *      calling the provider: the object and its data survive) and not `external` (a read
 *      resource: Pulumi never deletes it).
 * Not destructive: `same`, `create`, `update` (in place, e.g. a claim resize), `read`,
 * `read-replacement`, `refresh`, `import`, `diff`, `discard`/`discard-replaced` (dropping a
 * read resource from state; no provider call) and `remove-pending-replace` (drops the
 * state of an object an earlier delete-before-replace already deleted).
 * `protect` is not a way through: the engine itself fails a preview that deletes a
 * protected resource, and the gate refuses failed previews.
 *
 * Besides destruction the gate blocks what makes a later change destroy data or leaves
 * the data behind (rules, see `Rule`): protection weakened (a Retain policy of a
 * StorageClass, VolumeSnapshotClass, PersistentVolume or StatefulSet turned to Delete — a
 * StorageClass or VolumeSnapshotClass deleted and created under another URN with the same
 * `metadata.name` counts as one object (the pairing does not tell clusters apart) —, EFS
 * backups off, an AWS Backup plan removed, `retainOnDelete`/`protect` dropped from a data-holding
 * resource), a StatefulSet scaled down while `whenScaled` is Delete, a retained Kubernetes
 * object replaced under its own name, a component renamed without `aliases`. It warns on a
 * StatefulSet replacement that takes every pod down at once and on a replaced Secret.
 *
 * Verdicts: `block` fails the gate; `allow` is a block that an `--allow` pattern accepted;
 * `warn` is printed but passes; `retained` is a data-holding object that is deleted or
 * replaced but survives. Every block says what to do instead and what accepts it.
 */

export type Verdict = "block" | "allow" | "warn" | "retained";

/**
 * Why a finding was made:
 * - `data-loss`: a data-holding object is deleted or replaced;
 * - `retained-claims`: a StatefulSet with claim templates is replaced or deleted, its claims kept;
 * - `name-reuse`: a retained Kubernetes object is replaced under its own name;
 * - `component-rename`: a data-holding child is deleted because its component was renamed;
 * - `weakened-protection`: a change that loses no data now, but lets a later one lose it;
 * - `scale-down`: a StatefulSet scaled down while its claims are deleted on scale-down;
 * - `pods-down`: a StatefulSet replaced without orphaning its pods (a warning);
 * - `shrink`: a claim (or a claim patch) asked to get smaller, which Kubernetes refuses;
 * - `secret`: a Secret replaced or deleted (a warning);
 * - `volume-attributes`: a VolumeAttributesClass deleted while claims, claim patches or claim templates still name it (a warning, tools/gate/volume-attributes.ts).
 */
export type Rule = "data-loss" | "retained-claims" | "name-reuse" | "component-rename" | "weakened-protection" | "scale-down" | "pods-down" | "shrink" | "secret" | "volume-attributes";

/** One thing the gate has to say about a resource (a resource may have several). */
export interface Finding {
    readonly urn: string;
    /** `delete` or `replace` (every replacement op is reported as `replace`), or `update` (in place, or only the resource options). */
    readonly op: "delete" | "replace" | "update";
    readonly type: string;
    readonly name: string;
    readonly verdict: Verdict;
    readonly rule: Rule;
    /** What the change does to the data, or why it is only a warning, or why the object survives. */
    readonly reason: string;
    /** What to do instead (blocks and warnings). */
    readonly remedy?: string;
    /** The option that accepts a block as it is. */
    readonly accept?: string;
    /** Replace reasons, else the changed keys; sorted. Names only. */
    readonly keys: readonly string[];
    /** The `--allow` pattern that accepted a block. */
    readonly allowedBy?: string;
}

export interface GateOptions {
    /** URN globs (`*` any run of characters, `?` one) whose blocks are accepted. */
    readonly allow?: readonly string[];
    /** Further type tokens that hold data (e.g. `gcp:sql/databaseInstance:DatabaseInstance`). */
    readonly dataTypes?: readonly string[];
    /**
     * Deleting or replacing a StatefulSet whose claims are retained (`whenDeleted: Retain`,
     * the Kubernetes default) is a warning instead of a block.
     * @default false — it blocks: a changed claim template applies only to claims created
     * afterwards, and the set's pods restart.
     */
    readonly allowRetainedClaims?: boolean;
}

export interface GateResult {
    /** Sorted by URN, then by severity. */
    readonly findings: readonly Finding[];
    /** True when any finding is a `block`. */
    readonly blocked: boolean;
    /** What the document cannot show the gate (printed, never a block). */
    readonly notes: readonly string[];
}

type Effect = "delete" | "replace";

/** What an op does to the existing object. */
export function opEffect(op: StepOp): Effect | undefined {
    switch (op) {
        case "delete":
            return "delete";
        case "replace":
        case "create-replacement":
        case "delete-replaced":
        case "import-replacement":
            return "replace";
        default:
            return undefined;
    }
}

/**
 * A data risk: `loss` blocks, `stateful` blocks unless retained claims are allowed, `warn`
 * never blocks, `kept` is an object whose data survives its removal (a VolumeSnapshotContent
 * with deletionPolicy Retain).
 */
export interface DataRisk {
    readonly level: "loss" | "stateful" | "warn" | "kept";
    readonly reason: string;
}

const LOSS_BY_TYPE: Readonly<Record<string, string>> = {
    "kubernetes:core/v1:PersistentVolumeClaim": "a PersistentVolumeClaim: removing it releases its volume, which the usual Delete reclaim policy deletes with its data",
    "kubernetes:core/v1:PersistentVolume": "a PersistentVolume: removing it drops the record of a disk that holds data, and its claim loses the volume",
    "kubernetes:core/v1:Namespace": "a Namespace: removing it deletes every object in it, PersistentVolumeClaims included",
    "aws:efs/fileSystem:FileSystem": "an EFS file system: removing it deletes every file on it",
    "aws:ebs/volume:Volume": "an EBS volume: removing it deletes its blocks",
    "aws:kms/key:Key": "a KMS key: once it is deleted, everything encrypted with it is unreadable",
    "aws:rds/instance:Instance": "an RDS instance: removing it deletes the database (at best a final snapshot is kept)",
    "aws:rds/cluster:Cluster": "an RDS cluster: removing it deletes the cluster volume (at best a final snapshot is kept)",
    "aws:s3/bucket:Bucket": "an S3 bucket: removing it deletes its objects",
    "aws:s3/bucketV2:BucketV2": "an S3 bucket: removing it deletes its objects",
    "aws:dynamodb/table:Table": "a DynamoDB table: removing it deletes its items",
    "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshot": "a VolumeSnapshot: removing it deletes the snapshot in the storage backend unless its VolumeSnapshotContent's deletionPolicy is Retain (which the object does not show)",
    "kubernetes:snapshot.storage.k8s.io/v1beta1:VolumeSnapshot": "a VolumeSnapshot: removing it deletes the snapshot in the storage backend unless its VolumeSnapshotContent's deletionPolicy is Retain (which the object does not show)",
    "aws:ebs/snapshot:Snapshot": "an EBS snapshot: removing it deletes the point-in-time copy of the volume",
    "aws:backup/vault:Vault": "an AWS Backup vault: removing it (with forceDestroy, or once emptied) deletes its recovery points",
};

/**
 * VolumeSnapshotContents hold data unless their deletionPolicy is known to be Retain (then
 * the backend snapshot survives the object). `aws:backup/plan:Plan` is not listed: deleting
 * a plan takes no more backups but keeps the recovery points in their vault, so it is a
 * weakened protection (see `weakenings`), not data loss.
 */
const SNAPSHOT_CONTENTS = ["kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotContent", "kubernetes:snapshot.storage.k8s.io/v1beta1:VolumeSnapshotContent"];
const BACKUP_PLAN = "aws:backup/plan:Plan";

/** The type tokens whose objects hold data, whatever their state (a StatefulSet holds data when it has claim templates). */
export const DATA_HOLDING_TYPES: readonly string[] = [...Object.keys(LOSS_BY_TYPE).filter((t) => t !== "kubernetes:core/v1:Namespace"), ...SNAPSHOT_CONTENTS];

const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const SECRET = "kubernetes:core/v1:Secret";
const CLAIM = "kubernetes:core/v1:PersistentVolumeClaim";
/** A server-side apply of some fields of a claim: how a StatefulWorkload grows its claims in place. */
const CLAIM_PATCH = "kubernetes:core/v1:PersistentVolumeClaimPatch";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const PERSISTENT_VOLUME = "kubernetes:core/v1:PersistentVolume";
const SNAPSHOT_CLASSES = ["kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass", "kubernetes:snapshot.storage.k8s.io/v1beta1:VolumeSnapshotClass"];
const EFS_BACKUP_POLICY = "aws:efs/backupPolicy:BackupPolicy";
/** The annotation that makes the Kubernetes provider (≥ 4.12) delete an object without its dependents. */
export const DELETION_PROPAGATION_ANNOTATION = "pulumi.com/deletionPropagationPolicy";

function field(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) {
        if (typeof current !== "object" || current === null || Array.isArray(current)) {
            return undefined;
        }
        current = (current as Record<string, unknown>)[key];
    }
    return current;
}

/** A state's object as the program gave it (inputs), else as the provider returned it. */
function objectOf(state: ResourceState | undefined): Record<string, unknown> | undefined {
    return state?.inputs ?? state?.outputs;
}

function claimTemplates(state: ResourceState | undefined): string[] | undefined {
    const templates = field(objectOf(state), "spec", "volumeClaimTemplates");
    if (!Array.isArray(templates)) {
        return undefined;
    }
    return templates.map((t, i) => {
        const name = field(t, "metadata", "name");
        return typeof name === "string" ? name : `template ${i}`;
    });
}

function statefulSetRisk(state: ResourceState): DataRisk | undefined {
    const object = objectOf(state);
    if (object !== undefined) {
        const templates = claimTemplates(state);
        if (templates === undefined || templates.length === 0) {
            return undefined;
        }
    }
    const whenDeleted = field(object, "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted");
    if (whenDeleted === "Delete") {
        return { level: "loss", reason: "a StatefulSet with volume claim templates: its claims are deleted with it (persistentVolumeClaimRetentionPolicy.whenDeleted: Delete)" };
    }
    // Anything else — "[secret]", the engine's unknown-value sentinel, a typo — is not proof of retention.
    if (whenDeleted !== undefined && whenDeleted !== "Retain") {
        return { level: "loss", reason: "a StatefulSet with volume claim templates whose claim retention policy is not known: its claims may be deleted with it" };
    }
    return {
        level: "stateful",
        reason: "a StatefulSet with volume claim templates: no data is lost, its claims are kept (whenDeleted: Retain), but a changed claim template applies only to claims created afterwards",
    };
}

/** Whether an object of this state holds data, and why. Undefined: no data at stake. */
export function dataRisk(state: ResourceState, dataTypes: readonly string[] = []): DataRisk | undefined {
    const known = LOSS_BY_TYPE[state.type];
    if (known !== undefined) {
        return { level: "loss", reason: known };
    }
    if (dataTypes.includes(state.type)) {
        return { level: "loss", reason: `a ${state.type}: declared data-holding with --data-type` };
    }
    if (state.type === STATEFUL_SET) {
        return statefulSetRisk(state);
    }
    if (SNAPSHOT_CONTENTS.includes(state.type)) {
        const policy = field(objectOf(state), "spec", "deletionPolicy");
        return policy === "Retain"
            ? { level: "kept", reason: "a VolumeSnapshotContent with deletionPolicy: Retain: removing it keeps the snapshot in the storage backend" }
            : { level: "loss", reason: `a VolumeSnapshotContent with deletionPolicy ${policyText(policy, "not known")}: removing it deletes the snapshot in the storage backend` };
    }
    if (state.type === SECRET) {
        return { level: "warn", reason: "a Secret: not data loss, but pods that read it at start keep the old value until restarted, and new pods fail while it is missing" };
    }
    return undefined;
}

/** Turns a URN glob into a matcher over whole URNs. */
export function globMatcher(pattern: string): (urn: string) => boolean {
    const source = pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
        .join("");
    const re = new RegExp(`^${source}$`);
    return (urn) => re.test(urn);
}

/** Splits an allow list from the environment: patterns separated by newlines or commas. */
export function parseAllowList(text: string | undefined): string[] {
    return (text ?? "").split(/[\n,]/).map((p) => p.trim()).filter((p) => p !== "");
}

/** The most precise keys: detailed-diff paths that force the replacement, else replace reasons, else changed keys. */
function changedKeys(steps: readonly PreviewStep[]): string[] {
    const replacingPaths = new Set<string>();
    const replace = new Set<string>();
    const changed = new Set<string>();
    for (const step of steps) {
        Object.entries(step.detailedDiff ?? {}).forEach(([k, d]) => d?.kind?.endsWith("-replace") && replacingPaths.add(k));
        step.replaceReasons?.forEach((k) => replace.add(k));
        Object.keys(step.detailedDiff ?? {}).forEach((k) => changed.add(k));
        step.diffReasons?.forEach((k) => changed.add(k));
    }
    return [...(replacingPaths.size ? replacingPaths : replace.size ? replace : changed)].sort();
}

/** The kind in a type token: `kubernetes:core/v1:PersistentVolumeClaim` → `PersistentVolumeClaim`. */
function kindOf(type: string): string {
    return type.slice(type.lastIndexOf(":") + 1);
}

/** `--allow '<urn>'`, quoted for a POSIX shell. */
export function allowFlag(urn: string): string {
    return `--allow '${urn.replace(/'/g, "'\\''")}'`;
}

function oldStateOf(steps: readonly PreviewStep[]): ResourceState | undefined {
    return steps.map((s) => s.oldState).find((s) => s !== undefined);
}

function newStateOf(steps: readonly PreviewStep[]): ResourceState | undefined {
    return steps.map((s) => s.newState).find((s) => s !== undefined && s.inputs !== undefined) ?? steps.map((s) => s.newState).find((s) => s !== undefined);
}

/** Context from the rest of the document that one resource's judgement needs. */
export interface DocumentContext {
    /** URNs of components (non-custom resources) deleted by this preview. */
    readonly deletedComponents: ReadonlySet<string>;
    /** Components created by this preview, by type token: their URNs. */
    readonly createdComponents: ReadonlyMap<string, readonly string[]>;
    /** Created resources by `<component type>$<type>`: their new states. */
    readonly createdChildren: ReadonlyMap<string, readonly ResourceState[]>;
    /**
     * Created StorageClasses and VolumeSnapshotClasses by `<type>$<metadata.name>`: their new
     * states. A class deleted under one URN and created under another with the same name
     * (a renamed component that keeps storageClassName) is the same cluster object.
     */
    readonly createdClasses: ReadonlyMap<string, readonly ResourceState[]>;
}

const EMPTY_CONTEXT: DocumentContext = { deletedComponents: new Set(), createdComponents: new Map(), createdChildren: new Map(), createdClasses: new Map() };

/** The class types whose policies are paired by `metadata.name` across URNs. */
const NAMED_CLASSES = [STORAGE_CLASS, ...SNAPSHOT_CLASSES];

/** `<type>$<metadata.name>` of a StorageClass or VolumeSnapshotClass (cluster-scoped: the name is the object). */
function classKey(state: ResourceState | undefined): string | undefined {
    const name = state && NAMED_CLASSES.includes(state.type) ? kubernetesName(state) : undefined;
    return name === undefined ? undefined : `${state?.type}$${name}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) {
        list.push(value);
    } else {
        map.set(key, [value]);
    }
}

/** Which components this preview deletes and creates (a rename without aliases shows as both). */
export function documentContext(doc: PreviewDocument): DocumentContext {
    const deletedComponents = new Set<string>();
    const createdComponents = new Map<string, string[]>();
    const createdChildren = new Map<string, ResourceState[]>();
    const createdClasses = new Map<string, ResourceState[]>();
    const componentTypes = new Map<string, string>();
    for (const step of doc.steps) {
        const state = step.newState ?? step.oldState;
        if (state && state.custom !== true) {
            componentTypes.set(step.urn, state.type);
        }
        if (step.op === "delete" && step.oldState && step.oldState.custom !== true) {
            deletedComponents.add(step.urn);
        }
        if (step.op === "create" && step.newState && step.newState.custom !== true) {
            push(createdComponents, step.newState.type, step.urn);
        }
        const key = step.op === "create" ? classKey(step.newState) : undefined;
        if (key !== undefined && step.newState) {
            push(createdClasses, key, step.newState);
        }
    }
    for (const step of doc.steps) {
        const parent = step.newState?.parent;
        const parentType = parent ? componentTypes.get(parent) : undefined;
        if (step.op === "create" && step.newState && parentType) {
            push(createdChildren, `${parentType}$${step.newState.type}`, step.newState);
        }
    }
    return { deletedComponents, createdComponents, createdChildren, createdClasses };
}

function kubernetesName(state: ResourceState | undefined): string | undefined {
    const name = field(objectOf(state), "metadata", "name");
    return typeof name === "string" ? name : undefined;
}

function kubernetesNamespace(state: ResourceState | undefined): string | undefined {
    const namespace = field(objectOf(state), "metadata", "namespace");
    return typeof namespace === "string" ? namespace : undefined;
}

function replicasOf(state: ResourceState | undefined): number | undefined {
    const replicas = field(objectOf(state), "spec", "replicas");
    if (replicas === undefined && objectOf(state) !== undefined) {
        return 1;
    }
    return typeof replicas === "number" ? replicas : undefined;
}

/** The names of the claims a StatefulSet's templates make for ordinals [from, to). */
export function statefulSetClaimNames(state: ResourceState | undefined, from: number, to: number): string[] {
    const sts = kubernetesName(state);
    const templates = claimTemplates(state) ?? [];
    if (sts === undefined) {
        return [];
    }
    return templates.flatMap((t) => Array.from({ length: Math.max(0, to - from) }, (_, i) => `${t}-${sts}-${from + i}`));
}

function claimList(names: readonly string[]): string {
    const shown = names.slice(0, 6).join(", ");
    return names.length > 6 ? `${shown} and ${names.length - 6} more` : shown;
}

const RESIZE_PATH = /^spec\.volumeClaimTemplates\[\d+\]\.spec\.resources\.requests\.storage$/;

/** The reason, remedy and accept text for a StatefulSet with claim templates that is replaced or deleted while its claims are kept. */
function retainedClaimsAdvice(op: Effect, old: ResourceState, keys: readonly string[], changes: readonly ValueChange[], urn: string) {
    const replicas = replicasOf(old) ?? 1;
    const claims = statefulSetClaimNames(old, 0, replicas);
    const claimText = claims.length ? ` (${claimList(claims)})` : "";
    const accept = `--allow-retained-claims (every StatefulSet whose claims are kept), or ${allowFlag(urn)}`;
    if (op === "replace" && keys.length > 0 && keys.every((k) => RESIZE_PATH.test(k))) {
        const sizes = changes.filter((c) => RESIZE_PATH.test(c.path)).map((c) => `${c.old} → ${c.new}`);
        const size = changes.find((c) => RESIZE_PATH.test(c.path))?.new ?? "<new size>";
        const namespace = kubernetesNamespace(old);
        const example = claims.length
            ? `, e.g. kubectl patch pvc ${claims[0]}${namespace ? ` -n ${namespace}` : ""} -p '{"spec":{"resources":{"requests":{"storage":"${size}"}}}}'`
            : "";
        return {
            reason: `a volume claim template's size changed${sizes.length ? ` (${sizes.join(", ")})` : ""}: Kubernetes refuses that in place, so the StatefulSet is replaced. No data is lost — its claims${claimText} are kept and mounted again — but they keep their old size: a template applies only to claims created afterwards`,
            remedy: `grow the claims in place: a StatefulWorkload does it itself (a claim patch per ordinal, the template's size ignored), so upgrade the package and preview again; for a StatefulSet of your own, set spec.resources.requests.storage on each existing claim (its StorageClass must allow volume expansion)${example}; the template change can follow once the set is annotated ${DELETION_PROPAGATION_ANNOTATION}: orphan`,
            accept,
        };
    }
    return {
        reason: op === "replace"
            ? `a StatefulSet with volume claim templates is replaced: no data is lost — its claims${claimText} are kept (whenDeleted: Retain) and the new set mounts them again — but a changed claim template applies only to claims created afterwards`
            : `a StatefulSet with volume claim templates is deleted: its claims${claimText} are kept (whenDeleted: Retain) with their data, no longer mounted by any pod`,
        remedy: op === "replace"
            ? "change only what Kubernetes updates in place (image, env, resources, replicas); for storage, change the claims themselves"
            : "keep the StatefulSet in the program, or delete it knowing the claims stay behind (delete them by hand once the data is not needed)",
        accept,
    };
}

/** The component rename that deleted this resource's parent, when the preview shows one. */
function componentRename(old: ResourceState, context: DocumentContext, dataTypes: readonly string[], urn: string) {
    const parent = old.parent;
    if (parent === undefined || !context.deletedComponents.has(parent)) {
        return undefined;
    }
    const qualified = splitUrn(parent);
    const parentType = qualified.type;
    const created = context.createdComponents.get(parentType) ?? [];
    if (created.length === 0) {
        return undefined;
    }
    const newNames = created.map((u) => splitUrn(u).name);
    const oldName = qualified.name;
    const newName = newNames.length === 1 ? newNames[0] : undefined;
    const siblings = context.createdChildren.get(`${parentType}$${old.type}`) ?? [];
    let reason = `the component "${oldName}" (${parentType}) is deleted and ${newNames.map((n) => `"${n}"`).join(", ")} created in its place: a rename without aliases, so Pulumi deletes every child of the old component`;
    if (old.type === STATEFUL_SET) {
        const replacement = siblings.find((s) => kubernetesName(s) !== undefined);
        const oldClaims = statefulSetClaimNames(old, 0, replicasOf(old) ?? 1);
        const newClaims = replacement ? statefulSetClaimNames(replacement, 0, replicasOf(replacement) ?? 1) : [];
        reason += `. The new StatefulSet${replacement ? ` ${kubernetesName(replacement)}` : ""} starts on new, empty claims${newClaims.length ? ` (${claimList(newClaims)})` : ""} while the data sits in the old ones${oldClaims.length ? ` (${claimList(oldClaims)})` : ""}`;
        const whenDeleted = field(objectOf(old), "spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted");
        reason += whenDeleted === "Delete" ? ", which are deleted with the old set (whenDeleted: Delete)" : ", which are kept but no longer mounted";
    } else {
        reason += `; ${(dataRisk(old, dataTypes)?.reason ?? "it holds data")}`;
    }
    const stsName = old.type === STATEFUL_SET ? kubernetesName(old) : undefined;
    const keepNames = parentType === "stateful-stacks:workload:StatefulWorkload" && stsName
        ? `, and keep the Kubernetes names: statefulSetName: "${stsName}" (a new object name would still replace the set and leave the data in the old claims)`
        : ", and keep the names of the objects it creates (a new object name still replaces them)";
    return {
        reason,
        remedy: `add aliases: [{ name: "${oldName}" }] to the options of the component${newName ? ` "${newName}"` : ""}, so Pulumi moves the state to the new name instead of deleting and creating${keepNames}`,
        accept: `${allowFlag(urn)} (--allow-retained-claims does not accept a rename)`,
    };
}

function dataRemedy(type: string, op: Effect): string {
    if (type === CLAIM) {
        return op === "replace"
            ? "change only the claim's size (spec.resources.requests.storage grows in place); a new class or access mode needs a new claim under a new name, and a copy of the data"
            : "keep the claim in the program, or set retainOnDelete: true on it in an update before removing it";
    }
    if (type.startsWith("kubernetes:snapshot.storage.k8s.io/") || type === "aws:ebs/snapshot:Snapshot") {
        return "keep the snapshot in the program (or set retainOnDelete: true on it in an update before removing it); for a Kubernetes snapshot, set deletionPolicy: Retain on its VolumeSnapshotContent (and VolumeSnapshotClass) first, so the backend snapshot survives the object";
    }
    if (type === "aws:backup/vault:Vault") {
        return "keep the vault (and forceDestroy off, so AWS refuses to delete it while it holds recovery points); move the plans to a new vault beside it and let the old recovery points expire";
    }
    if (type === NAMESPACE) {
        return "keep the namespace; to move objects, create them in the new namespace beside the old ones and move the data before removing anything";
    }
    return op === "replace"
        ? "avoid the change that forces the replacement, or create the new object under a new name beside the old one and move the data"
        : "keep it in the program, or set retainOnDelete: true on it in an update before removing it";
}

/**
 * `<namespace>/<name>` when a replaced Kubernetes object keeps its explicit name: with the
 * old object retained, the API server refuses to create the new one under that name.
 */
export function reusedKubernetesName(old: ResourceState, replacement: ResourceState | undefined): string | undefined {
    if (!old.type.startsWith("kubernetes:") || replacement === undefined) {
        return undefined;
    }
    const metadata = (state: ResourceState): { name?: unknown; namespace?: unknown } =>
        ((state.inputs?.metadata ?? {}) as { name?: unknown; namespace?: unknown });
    const before = metadata(old);
    const after = metadata(replacement);
    if (typeof before.name !== "string" || before.name !== after.name || before.namespace !== after.namespace) {
        return undefined;
    }
    return typeof before.namespace === "string" ? `${before.namespace}/${before.name}` : before.name;
}

function allowedOrBlocked(base: Omit<Finding, "verdict">, options: GateOptions): Finding {
    const allowedBy = (options.allow ?? []).find((p) => globMatcher(p)(base.urn));
    return allowedBy !== undefined ? { ...base, verdict: "allow", allowedBy } : { ...base, verdict: "block" };
}

/** Judges the delete or replacement of one URN (its steps); undefined when nothing is at stake. */
export function judgeResource(steps: readonly PreviewStep[], options: GateOptions = {}, context: DocumentContext = EMPTY_CONTEXT): Finding | undefined {
    const effects = steps.map((s) => opEffect(s.op)).filter((e): e is Effect => e !== undefined);
    if (effects.length === 0) {
        return undefined;
    }
    const op: Effect = effects.includes("replace") ? "replace" : "delete";
    const urn = steps[0].urn;
    const parts = splitUrn(urn);
    const old = oldStateOf(steps);
    const state: ResourceState = old ?? newStateOf(steps) ?? { urn, type: parts.type };
    const dataTypes = options.dataTypes ?? [];
    const risk = dataRisk(state, dataTypes);
    if (risk === undefined) {
        return undefined;
    }
    const keys = changedKeys(steps);
    const base = { urn, op, type: state.type, name: parts.name, keys };
    if (old?.retainOnDelete) {
        const reused = op === "replace" ? reusedKubernetesName(old, newStateOf(steps)) : undefined;
        if (reused) {
            return allowedOrBlocked({
                ...base,
                rule: "name-reuse",
                reason: `a ${kindOf(old.type)} kept by retainOnDelete is replaced under its own name ${reused}: the old object and its data survive, but while it holds the name \`pulumi up\` fails with AlreadyExists, or, with a Kubernetes provider 4.25–4.28 (creates upsert, pulumi-kubernetes #2926), silently applies the new spec to the kept object (fields the API server holds immutable, like a claim's storageClassName, then fail the update)`,
                remedy: old.type === CLAIM && keys.some((k) => k === "spec.storageClassName")
                    ? "keep the StorageClass name the claim uses (renaming a class replaces every claim that names it); to move the data to a new class, create a claim under a new name beside the kept one and copy the data"
                    : "give the replacement a new name (it is then created beside the kept object), or avoid the change that forces the replacement",
                accept: `${allowFlag(urn)}, once the kept object has been renamed or removed by hand`,
            }, options);
        }
        return { ...base, rule: "data-loss", verdict: "retained", reason: `${risk.reason}; retainOnDelete is set, so Pulumi only forgets the old object and it survives` };
    }
    if (old?.external) {
        return { ...base, rule: "data-loss", verdict: "retained", reason: `${risk.reason}; it is external (read, not managed), so Pulumi never deletes it` };
    }
    if (risk.level === "warn") {
        return { ...base, rule: "secret", verdict: "warn", reason: risk.reason };
    }
    if (risk.level === "kept") {
        return { ...base, rule: "data-loss", verdict: "retained", reason: risk.reason };
    }
    const rename = op === "delete" && old ? componentRename(old, context, dataTypes, urn) : undefined;
    if (rename) {
        return allowedOrBlocked({ ...base, rule: "component-rename", ...rename }, options);
    }
    if (risk.level === "stateful" && old) {
        const advice = retainedClaimsAdvice(op, old, keys, valueChanges(steps), urn);
        if (options.allowRetainedClaims) {
            return { ...base, rule: "retained-claims", verdict: "warn", reason: advice.reason };
        }
        return allowedOrBlocked({ ...base, rule: "retained-claims", ...advice }, options);
    }
    if (risk.level === "stateful") {
        const reason = "a StatefulSet with volume claim templates (its state is not in the document): its claims are kept unless its retention policy says otherwise";
        if (options.allowRetainedClaims) {
            return { ...base, rule: "retained-claims", verdict: "warn", reason };
        }
        return allowedOrBlocked({
            ...base,
            rule: "retained-claims",
            reason,
            remedy: "preview with a document that carries the StatefulSet's state (`pulumi preview --json`), or change only what Kubernetes updates in place",
            accept: `--allow-retained-claims (every StatefulSet whose claims are kept), or ${allowFlag(urn)}`,
        }, options);
    }
    return allowedOrBlocked({ ...base, rule: "data-loss", reason: risk.reason, remedy: dataRemedy(state.type, op), accept: allowFlag(urn) }, options);
}

/** A weakened protection found by comparing the old and new state of one resource. */
interface Weakening {
    readonly reason: string;
    readonly remedy: string;
}

function policyText(value: unknown, unset: string): string {
    if (value === "[secret]") {
        return "(secret)";
    }
    if (value === undefined) {
        return `(unset: ${unset})`;
    }
    return value === UNKNOWN_VALUE ? "(known after update)" : String(value);
}

function weakenings(old: ResourceState, next: ResourceState | undefined, deleted: boolean, dataTypes: readonly string[]): Weakening[] {
    const found: Weakening[] = [];
    const before = objectOf(old);
    const after = objectOf(next);
    if (old.type === STORAGE_CLASS && next && field(before, "reclaimPolicy") === "Retain" && field(after, "reclaimPolicy") !== "Retain") {
        found.push({
            reason: `reclaimPolicy Retain → ${policyText(field(after, "reclaimPolicy"), "Delete")}: no data is lost by this change, but every volume provisioned from this class from now on is deleted with its claim (volumes provisioned earlier keep the policy they were made with)`,
            remedy: "keep reclaimPolicy: Retain (the EbsStorageClass and EfsStorageClass default)",
        });
    }
    // A PersistentVolume created by hand defaults to Retain (only a provisioner copies its class's policy).
    const reclaim = (state: Record<string, unknown> | undefined) => field(state, "spec", "persistentVolumeReclaimPolicy") ?? "Retain";
    if (old.type === PERSISTENT_VOLUME && next && reclaim(before) === "Retain" && reclaim(after) !== "Retain") {
        found.push({
            reason: `persistentVolumeReclaimPolicy Retain → ${policyText(reclaim(after), "Retain")}: no data is lost by this change, but once its claim is deleted the volume is deleted (Delete) or wiped (Recycle) with its data`,
            remedy: "keep persistentVolumeReclaimPolicy: Retain on the PersistentVolume",
        });
    }
    if (SNAPSHOT_CLASSES.includes(old.type) && next && field(before, "deletionPolicy") === "Retain" && field(after, "deletionPolicy") !== "Retain") {
        found.push({
            reason: `deletionPolicy Retain → ${policyText(field(after, "deletionPolicy"), "none")}: snapshots taken from now on are deleted in the storage backend with their VolumeSnapshot object`,
            remedy: "keep deletionPolicy: Retain on the VolumeSnapshotClass",
        });
    }
    if (old.type === STATEFUL_SET && next && (claimTemplates(next)?.length ?? 0) > 0) {
        for (const key of ["whenDeleted", "whenScaled"] as const) {
            const was = field(before, "spec", "persistentVolumeClaimRetentionPolicy", key) ?? "Retain";
            const is = field(after, "spec", "persistentVolumeClaimRetentionPolicy", key) ?? "Retain";
            if (was === "Retain" && is !== "Retain") {
                found.push({
                    reason: `persistentVolumeClaimRetentionPolicy.${key} Retain → ${policyText(is, "Retain")}: no data is lost by this change, but from now on ${key === "whenDeleted" ? "deleting or replacing the StatefulSet deletes its claims and their data" : "scaling the StatefulSet down deletes the claims of the removed ordinals"}`,
                    remedy: `keep ${key}: Retain (StatefulWorkload pvcRetention.${key}, the default)`,
                });
            }
        }
    }
    if (old.type === EFS_BACKUP_POLICY && field(before, "backupPolicy", "status") === "ENABLED" && (deleted || field(after, "backupPolicy", "status") !== "ENABLED")) {
        found.push({
            reason: deleted
                ? "the EFS backup policy is removed, which turns automatic backups off: AWS Backup takes no more daily backups of the file system"
                : `EFS backups ENABLED → ${policyText(field(after, "backupPolicy", "status"), "DISABLED")}: AWS Backup takes no more daily backups of the file system`,
            remedy: "keep backups on (EfsStorageClass fileSystem.backups, the default)",
        });
    }
    if (old.type === BACKUP_PLAN && deleted) {
        found.push({
            reason: "the AWS Backup plan is removed: no data is lost by this change (its recovery points stay in their vault until their lifecycle expires them), but no more backups are taken of the resources it selected",
            remedy: "keep the plan (or replace it with a new plan, created first, that selects the same resources)",
        });
    }
    const risk = dataRisk(old, dataTypes);
    if (next && !deleted && risk !== undefined && risk.level !== "warn" && risk.level !== "kept") {
        if (old.retainOnDelete && !next.retainOnDelete) {
            found.push({
                reason: "retainOnDelete is removed from a data-holding resource: no data is lost by this change, but a later removal or replacement deletes the object and its data instead of only forgetting it",
                remedy: "keep retainOnDelete: true (pass it to the component; it reaches the data-holding children)",
            });
        }
        if (old.protect && !next.protect) {
            found.push({
                reason: "protect is removed from a data-holding resource: no data is lost by this change, but the engine no longer refuses a later removal, replacement or `pulumi destroy`",
                remedy: "keep protect: true; remove it in a change of its own, right before a removal that was agreed on",
            });
        }
    }
    return found;
}

/**
 * The old and new replicas of a StatefulSet scaled down while its claims are deleted on
 * scale-down. `to` is undefined when the new replicas are not known at preview time (the
 * engine's unknown value, or anything but a number): the update may scale down.
 */
function scaleDown(old: ResourceState, next: ResourceState | undefined): { from: number; to: number | undefined } | undefined {
    if (old.type !== STATEFUL_SET || next === undefined) {
        return undefined;
    }
    const from = replicasOf(old);
    const to = replicasOf(next);
    const whenScaled = field(objectOf(next), "spec", "persistentVolumeClaimRetentionPolicy", "whenScaled");
    if (from === undefined || from === 0 || objectOf(next) === undefined || whenScaled !== "Delete" || (claimTemplates(next)?.length ?? 0) === 0) {
        return undefined;
    }
    if (to !== undefined && to >= from) {
        return undefined;
    }
    return { from, to };
}

/** A claim's (or claim patch's) requested size, from the program's inputs: the text and its bytes. */
function requestedSize(state: ResourceState | undefined): { text: string; bytes: number } | undefined {
    const text = field(objectOf(state), "spec", "resources", "requests", "storage");
    const bytes = typeof text === "string" ? parseQuantity(text) : undefined;
    return typeof text === "string" && bytes !== undefined ? { text, bytes } : undefined;
}

/** The old and new size of a claim or claim patch updated to a smaller size. */
function shrink(old: ResourceState, next: ResourceState | undefined): { from: string; to: string } | undefined {
    if ((old.type !== CLAIM && old.type !== CLAIM_PATCH) || next === undefined) {
        return undefined;
    }
    const from = requestedSize(old);
    const to = requestedSize(next);
    return from !== undefined && to !== undefined && to.bytes < from.bytes ? { from: from.text, to: to.text } : undefined;
}

function hasOrphanPropagation(old: ResourceState): boolean {
    const annotation = (state: Record<string, unknown> | undefined) => field(state, "metadata", "annotations", DELETION_PROPAGATION_ANNOTATION);
    return annotation(old.outputs) === "orphan" || annotation(old.inputs) === "orphan";
}

/** Findings about what a change does besides deleting: weakened protection, scale-down deletions, pods going down. */
export function judgeChanges(steps: readonly PreviewStep[], options: GateOptions = {}, context: DocumentContext = EMPTY_CONTEXT): Finding[] {
    const old = oldStateOf(steps);
    if (old === undefined) {
        return [];
    }
    const urn = steps[0].urn;
    const name = splitUrn(urn).name;
    const next = newStateOf(steps);
    const effects = steps.map((s) => opEffect(s.op)).filter((e): e is Effect => e !== undefined);
    const deleted = effects.length > 0 && !effects.includes("replace");
    const op: Finding["op"] = effects.includes("replace") ? "replace" : deleted ? "delete" : "update";
    const keys = changedKeys(steps);
    const findings: Finding[] = [];
    for (const w of weakenings(old, deleted ? undefined : next, deleted, options.dataTypes ?? [])) {
        findings.push(allowedOrBlocked({ urn, op, type: old.type, name, keys, rule: "weakened-protection", reason: w.reason, remedy: w.remedy, accept: allowFlag(urn) }, options));
    }
    // A class deleted here and created under another URN with the same name: the cluster
    // sees one object whose policy changes.
    const key = deleted ? classKey(old) : undefined;
    for (const created of (key !== undefined ? context.createdClasses.get(key) : undefined) ?? []) {
        for (const w of weakenings(old, created, false, [])) {
            findings.push(allowedOrBlocked({
                urn, op, type: old.type, name, keys,
                rule: "weakened-protection",
                reason: `deleted and created again under the same name "${kubernetesName(old)}" as ${created.urn}: ${w.reason}`,
                remedy: w.remedy,
                accept: allowFlag(urn),
            }, options));
        }
    }
    const scaled = deleted ? undefined : scaleDown(old, next);
    if (scaled && scaled.to === undefined) {
        const claims = statefulSetClaimNames(next, 0, scaled.from);
        const raw = field(objectOf(next), "spec", "replicas");
        const unknown = raw === UNKNOWN_VALUE ? "not known at preview time" : "not a number the gate can compare";
        findings.push(allowedOrBlocked({
            urn, op, type: old.type, name, keys,
            rule: "scale-down",
            reason: `replicas ${scaled.from} → ${raw === UNKNOWN_VALUE ? "(known after update)" : JSON.stringify(raw) ?? String(raw)} with persistentVolumeClaimRetentionPolicy.whenScaled: Delete: the new replicas are ${unknown}, so the update may scale down and delete the claims of removed ordinals${claims.length ? ` (any of ${claimList(claims)})` : ""} with their data`,
            remedy: "make replicas known at preview time (a literal or a stack config value, not another resource's output), or set whenScaled: Retain (StatefulWorkload pvcRetention.whenScaled) in an update of its own first",
            accept: allowFlag(urn),
        }, options));
    } else if (scaled && scaled.to !== undefined) {
        const to = scaled.to;
        const claims = statefulSetClaimNames(next, to, scaled.from);
        findings.push(allowedOrBlocked({
            urn, op, type: old.type, name, keys,
            rule: "scale-down",
            reason: `replicas ${scaled.from} → ${to} with persistentVolumeClaimRetentionPolicy.whenScaled: Delete: the claims of ordinals ${to}–${scaled.from - 1}${claims.length ? ` (${claimList(claims)})` : ""} are deleted with their data`,
            remedy: "set whenScaled: Retain (StatefulWorkload pvcRetention.whenScaled) in an update of its own before scaling down; the claims then wait for a later scale-up",
            accept: allowFlag(urn),
        }, options));
    }
    const shrunk = op === "update" ? shrink(old, next) : undefined;
    if (shrunk) {
        const claim = kubernetesName(old) ?? name;
        findings.push(allowedOrBlocked({
            urn, op, type: old.type, name, keys,
            rule: "shrink",
            reason: `the claim ${claim} would shrink, spec.resources.requests.storage ${shrunk.from} → ${shrunk.to}: a volume cannot get smaller, and the API server refuses a request below the claim's capacity, so \`pulumi up\` fails on it`,
            remedy: `keep the size at ${shrunk.from} or more (StatefulWorkload volumes[i].size, or the stack's size config); to use less space, copy the data to a new, smaller claim under another name`,
            accept: allowFlag(urn),
        }, options));
    }
    if (old.type === STATEFUL_SET && op === "replace" && !old.retainOnDelete && !hasOrphanPropagation(old)) {
        findings.push({
            urn, op, type: old.type, name, keys,
            rule: "pods-down",
            verdict: "warn",
            reason: `the replacement deletes the old StatefulSet with its pods: every pod goes down at once (the live object has no ${DELETION_PROPAGATION_ANNOTATION}: orphan)`,
            remedy: `for a StatefulWorkload, run \`pulumi up\` once with this package version before the replacing change: it puts ${DELETION_PROPAGATION_ANNOTATION}: "orphan" and an owner ConfigMap (<statefulSetName>-owner) on the StatefulSet in an update of its own, the replacement then orphans the pods and claims and the new set adopts them, and the pods still go when the stack is torn down (the owner takes them with it). For a StatefulSet of your own, apply the annotation in an update of its own first (Kubernetes provider ≥ 4.12)`,
        });
    }
    return findings;
}

/** Groups steps by URN, keeping the document's first-seen order. */
export function stepsByUrn(doc: PreviewDocument): Map<string, PreviewStep[]> {
    const groups = new Map<string, PreviewStep[]>();
    for (const step of doc.steps) {
        const group = groups.get(step.urn);
        if (group) {
            group.push(step);
        } else {
            groups.set(step.urn, [step]);
        }
    }
    return groups;
}

const SEVERITY: Readonly<Record<Verdict, number>> = { block: 0, allow: 1, warn: 2, retained: 3 };

/** Runs the gate over a document. */
export function evaluateGate(doc: PreviewDocument, options: GateOptions = {}): GateResult {
    const context = documentContext(doc);
    const findings: Finding[] = [];
    for (const steps of stepsByUrn(doc).values()) {
        const finding = judgeResource(steps, options, context);
        if (finding) {
            findings.push(finding);
        }
        findings.push(...judgeChanges(steps, options, context));
    }
    findings.push(...volumeAttributesFindings(doc));
    findings.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : SEVERITY[a.verdict] - SEVERITY[b.verdict]));
    return { findings, blocked: findings.some((f) => f.verdict === "block"), notes: documentNotes(doc) };
}

/**
 * Notes on what the document leaves out. Without `--show-sames` the engine lists only the
 * unchanged resources whose `protect` changed: one whose only change is a dropped
 * `retainOnDelete` is missing, so the gate cannot see that weakening.
 */
export function documentNotes(doc: PreviewDocument): string[] {
    const unchanged = doc.changeSummary?.same;
    const listed = doc.steps.filter((s) => s.op === "same").length;
    if (typeof unchanged === "number" && listed < unchanged) {
        return [`the preview ran without --show-sames (it lists ${listed} of ${unchanged} unchanged resources): a resource whose only change is a dropped retainOnDelete is not in it, so the gate cannot see that; preview with --show-sames`];
    }
    return [];
}

const LABEL: Readonly<Record<Verdict, string>> = { block: "BLOCK", allow: "ALLOW", warn: "WARN", retained: "KEEP" };

/** How a block is counted in the verdict line, by rule: one, several. */
export const BLOCK_SUMMARY: Readonly<Record<Rule, readonly [string, string]>> = {
    "data-loss": ["destroys data", "destroy data"],
    "scale-down": ["deletes claims on a scale-down", "delete claims on a scale-down"],
    "component-rename": ["renames a component without aliases (the data stays behind)", "rename a component without aliases (the data stays behind)"],
    "name-reuse": ["replaces a retained object under its own name", "replace a retained object under its own name"],
    "retained-claims": ["replaces or deletes a StatefulSet (its claims are kept)", "replace or delete a StatefulSet (their claims are kept)"],
    "weakened-protection": ["weakens the protection of data", "weaken the protection of data"],
    "pods-down": ["takes every pod of a StatefulSet down", "take every pod of a StatefulSet down"],
    shrink: ["shrinks a claim", "shrink claims"],
    secret: ["replaces a Secret", "replace a Secret"],
    "volume-attributes": ["deletes a VolumeAttributesClass that claims name", "delete VolumeAttributesClasses that claims name"],
};

/** "1 destroys data, 1 weakens the protection of data": the blocks counted per rule, in a fixed order. */
export function blockCounts(findings: readonly Finding[]): string | undefined {
    const blocks = findings.filter((f) => f.verdict === "block");
    if (blocks.length === 0) {
        return undefined;
    }
    return (Object.keys(BLOCK_SUMMARY) as Rule[])
        .map((rule) => [rule, blocks.filter((f) => f.rule === rule).length] as const)
        .filter(([, n]) => n > 0)
        .map(([rule, n]) => `${n} ${BLOCK_SUMMARY[rule][n === 1 ? 0 : 1]}`)
        .join(", ");
}

/** "2 changes block: 1 destroys data, 1 weakens the protection of data". */
export function blockSummary(findings: readonly Finding[]): string | undefined {
    const counts = blockCounts(findings);
    if (counts === undefined) {
        return undefined;
    }
    const blocks = findings.filter((f) => f.verdict === "block").length;
    return `${blocks} change${blocks === 1 ? "" : "s"} block${blocks === 1 ? "s" : ""}: ${counts}`;
}

/** The gate's printout: one paragraph per finding, then the verdict and how to override. */
export function formatGate(result: GateResult, changes: ReadonlyMap<string, readonly ValueChange[]> = new Map()): string {
    const lines: string[] = [];
    for (const f of result.findings) {
        lines.push(`${LABEL[f.verdict]} ${f.op} ${f.type} "${f.name}"`);
        lines.push(`  urn:  ${f.urn}`);
        const values = changes.get(f.urn) ?? [];
        if (values.length) {
            values.forEach((c, i) => lines.push(`  ${i === 0 ? "changes:" : "        "} ${formatChange(c)}`));
        } else if (f.keys.length) {
            lines.push(`  ${f.op === "replace" ? "replace reasons" : "changed keys"}: ${f.keys.join(", ")}`);
        }
        lines.push(`  why:  ${f.reason}`);
        if (f.verdict === "block" || f.verdict === "warn") {
            if (f.remedy !== undefined) {
                lines.push(`  instead: ${f.remedy}`);
            }
            if (f.verdict === "block" && f.accept !== undefined) {
                lines.push(`  accept: ${f.accept}`);
            }
        }
        if (f.allowedBy !== undefined) {
            lines.push(`  allowed by: ${f.allowedBy}`);
        }
    }
    result.notes.forEach((n) => lines.push(`note: ${n}`));
    const summary = blockSummary(result.findings);
    if (summary) {
        lines.push(`gate: blocked: ${summary}.`);
        lines.push("Each block says what to do instead; to accept one as it is, pass the --allow '<urn or glob>' it names (repeatable; also STATEFUL_STACKS_GATE_ALLOW, comma- or newline-separated) or --allow-retained-claims where it says so.");
    } else {
        const allowed = result.findings.filter((f) => f.verdict === "allow").length;
        lines.push(allowed
            ? `gate: passed: ${allowed} blocking change${allowed === 1 ? "" : "s"} allowed explicitly.`
            : "gate: passed: no change destroys data or weakens its protection.");
    }
    return lines.join("\n") + "\n";
}
