import { PreviewDocument, PreviewStep, ResourceState, splitUrn, StepOp } from "./preview";

/**
 * The data-loss gate over a `pulumi preview --json` document.
 *
 * A step destroys data when
 *   1. its op removes the existing cloud object: `delete`, or a replacement — `replace`,
 *      `create-replacement`, `delete-replaced`, `import-replacement` (the engine pairs every
 *      replacement with a delete of the old object, before or after the create); and
 *   2. the object holds data (see `dataRisk`: claims, volumes, namespaces, StatefulSets with
 *      claim templates, EFS/EBS/RDS/S3/DynamoDB/KMS, plus types named with `dataTypes`); and
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
 * Verdicts per resource (steps of one URN are merged): `block` fails the gate; `allow` is a
 * block that an `--allow` pattern accepted; `warn` is printed but passes (a Secret replaced
 * or deleted; a StatefulSet whose claims are retained when `allowRetainedClaims` is set);
 * `retained` is a data-holding object that is deleted or replaced but survives.
 */

export type Verdict = "block" | "allow" | "warn" | "retained";

/** One resource the gate has something to say about. */
export interface Finding {
    readonly urn: string;
    /** `delete` or `replace` (every replacement op is reported as `replace`). */
    readonly op: "delete" | "replace";
    readonly type: string;
    readonly name: string;
    readonly verdict: Verdict;
    /** Why the change loses data, or why it is only a warning, or why the object survives. */
    readonly reason: string;
    /** Replace reasons, else the changed keys; sorted. Names only, never values. */
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
     * @default false — it blocks: every pod goes down, and a changed claim template applies
     * only to claims created afterwards.
     */
    readonly allowRetainedClaims?: boolean;
}

export interface GateResult {
    /** Sorted by URN. */
    readonly findings: readonly Finding[];
    /** True when any finding is a `block`. */
    readonly blocked: boolean;
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

/** A data risk: `loss` blocks, `stateful` blocks unless retained claims are allowed, `warn` never blocks. */
export interface DataRisk {
    readonly level: "loss" | "stateful" | "warn";
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
};

const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const SECRET = "kubernetes:core/v1:Secret";

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

function statefulSetRisk(state: ResourceState): DataRisk | undefined {
    const object = state.inputs ?? state.outputs;
    if (object !== undefined) {
        const templates = field(object, "spec", "volumeClaimTemplates");
        if (!Array.isArray(templates) || templates.length === 0) {
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
        reason: "a StatefulSet with volume claim templates: its claims are retained (whenDeleted: Retain), but every pod goes down and a changed claim template applies only to claims created afterwards",
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

/** Judges the steps of one URN; undefined when nothing is at stake. */
export function judgeResource(steps: readonly PreviewStep[], options: GateOptions = {}): Finding | undefined {
    const effects = steps.map((s) => opEffect(s.op)).filter((e): e is Effect => e !== undefined);
    if (effects.length === 0) {
        return undefined;
    }
    const op: Effect = effects.includes("replace") ? "replace" : "delete";
    const urn = steps[0].urn;
    const parts = splitUrn(urn);
    const old = steps.map((s) => s.oldState).find((s) => s !== undefined);
    const state: ResourceState = old ?? steps.map((s) => s.newState).find((s) => s !== undefined) ?? { urn, type: parts.type };
    const risk = dataRisk(state, options.dataTypes);
    if (risk === undefined) {
        return undefined;
    }
    const base = { urn, op, type: state.type, name: parts.name, keys: changedKeys(steps) };
    if (old?.retainOnDelete) {
        const reused = op === "replace" ? reusedKubernetesName(old, steps.map((s) => s.newState).find((s) => s !== undefined)) : undefined;
        const clash = reused
            ? `; the replacement reuses the name ${reused}, so creating it fails (AlreadyExists) until the kept object is removed or renamed by hand`
            : "";
        return { ...base, verdict: "retained", reason: `${risk.reason}; retainOnDelete is set, so Pulumi only forgets the old object and it survives${clash}` };
    }
    if (old?.external) {
        return { ...base, verdict: "retained", reason: `${risk.reason}; it is external (read, not managed), so Pulumi never deletes it` };
    }
    if (risk.level === "warn" || (risk.level === "stateful" && options.allowRetainedClaims)) {
        return { ...base, verdict: "warn", reason: risk.reason };
    }
    const allowedBy = (options.allow ?? []).find((p) => globMatcher(p)(urn));
    if (allowedBy !== undefined) {
        return { ...base, verdict: "allow", reason: risk.reason, allowedBy };
    }
    return { ...base, verdict: "block", reason: risk.reason };
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

/** Runs the gate over a document. */
export function evaluateGate(doc: PreviewDocument, options: GateOptions = {}): GateResult {
    const findings: Finding[] = [];
    for (const steps of stepsByUrn(doc).values()) {
        const finding = judgeResource(steps, options);
        if (finding) {
            findings.push(finding);
        }
    }
    findings.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    return { findings, blocked: findings.some((f) => f.verdict === "block") };
}

const LABEL: Readonly<Record<Verdict, string>> = { block: "BLOCK", allow: "ALLOW", warn: "WARN", retained: "KEEP" };

/** The gate's printout: one paragraph per finding, then the verdict and how to override. */
export function formatGate(result: GateResult): string {
    const lines: string[] = [];
    for (const f of result.findings) {
        lines.push(`${LABEL[f.verdict]} ${f.op} ${f.type} "${f.name}"`);
        lines.push(`  urn:  ${f.urn}`);
        if (f.keys.length) {
            lines.push(`  ${f.op === "replace" ? "replace reasons" : "changed keys"}: ${f.keys.join(", ")}`);
        }
        lines.push(`  why:  ${f.reason}`);
        if (f.allowedBy !== undefined) {
            lines.push(`  allowed by: ${f.allowedBy}`);
        }
    }
    const blocks = result.findings.filter((f) => f.verdict === "block").length;
    if (blocks) {
        lines.push(`gate: blocked: ${blocks} change${blocks === 1 ? "" : "s"} would destroy data.`);
        lines.push("To accept a loss on purpose, pass --allow '<urn or glob>' (repeatable) or set STATEFUL_STACKS_GATE_ALLOW (comma- or newline-separated).");
    } else {
        const allowed = result.findings.filter((f) => f.verdict === "allow").length;
        lines.push(allowed
            ? `gate: passed: ${allowed} data-destroying change${allowed === 1 ? "" : "s"} allowed explicitly.`
            : "gate: passed: no change destroys data.");
    }
    return lines.join("\n") + "\n";
}
