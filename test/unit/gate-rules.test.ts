import { strict as assert } from "assert";
import * as path from "path";
import {
    diffMarkdown,
    evaluateGate,
    Finding,
    formatGate,
    judgeChanges,
    parsePreview,
    PreviewDocument,
    PreviewStep,
    readDocument,
    ResourceState,
    statefulSetClaimNames,
} from "../../tools/gate";

/** Gate v2 rules: exact findings over the fixtures, and each rule's edges over small states. */
const PREVIEW = path.join(__dirname, "..", "fixtures", "preview");
const GATE = path.join(__dirname, "..", "fixtures", "gate");
const load = (dir: string, name: string) => parsePreview(readDocument(path.join(dir, `${name}.json`)));
const only = (doc: PreviewDocument, options = {}): Finding => {
    const findings = evaluateGate(doc, options).findings;
    assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => `${f.verdict} ${f.rule} ${f.name}`)));
    return findings[0];
};

const P = "urn:pulumi:prod::shop::";
const STS = "kubernetes:apps/v1:StatefulSet";

function state(type: string, inputs: Record<string, unknown>, extra: Partial<ResourceState> = {}): ResourceState {
    return { urn: `${P}${type}::x`, type, custom: true, inputs, ...extra };
}

function update(type: string, before: Record<string, unknown>, after: Record<string, unknown>, extra: { old?: Partial<ResourceState>; new?: Partial<ResourceState>; op?: PreviewStep["op"] } = {}): PreviewStep[] {
    const urn = `${P}${type}::x`;
    return [{ op: extra.op ?? "update", urn, oldState: { ...state(type, before, extra.old), urn }, newState: { ...state(type, after, extra.new), urn } }];
}

const sts = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
    metadata: { name: "pg", namespace: "db", ...metadata },
    spec: { volumeClaimTemplates: [{ metadata: { name: "data" } }], ...spec },
});

describe("gate v2: weakened protection", () => {
    it("a StorageClass replaced with reclaimPolicy Retain → Delete blocks, naming the values, what to do and the --allow", () => {
        const f = only(load(GATE, "postgres-ebs-reclaim-delete"));
        const urn = "urn:pulumi:postgres-ebs::stateful-stacks::stateful-stacks:storage:EbsStorageClass$kubernetes:storage.k8s.io/v1:StorageClass::postgres-fast";
        assert.deepEqual(f, {
            urn,
            op: "replace",
            type: "kubernetes:storage.k8s.io/v1:StorageClass",
            name: "postgres-fast",
            keys: ["parameters.iops", "reclaimPolicy"],
            verdict: "block",
            rule: "weakened-protection",
            reason: "reclaimPolicy Retain → Delete: no data is lost by this change, but every volume provisioned from this class from now on is deleted with its claim (volumes provisioned earlier keep the policy they were made with)",
            remedy: "keep reclaimPolicy: Retain (the EbsStorageClass and EfsStorageClass default)",
            accept: `--allow '${urn}'`,
        });
    });

    it("the real class replacement that keeps Retain passes", () => {
        assert.deepEqual(evaluateGate(load(PREVIEW, "provider-4.32-postgres-ebs-fast-iops")).findings, []);
    });

    it("an unset reclaimPolicy is Kubernetes' Delete", () => {
        const findings = judgeChanges(update("kubernetes:storage.k8s.io/v1:StorageClass", { reclaimPolicy: "Retain" }, {}, { op: "replace" }));
        assert.match(findings[0].reason, /^reclaimPolicy Retain → \(unset: Delete\): /);
        assert.deepEqual(judgeChanges(update("kubernetes:storage.k8s.io/v1:StorageClass", { reclaimPolicy: "Delete" }, {}, { op: "replace" })), []);
    });

    it("a PersistentVolume's reclaim policy Retain → Delete (or Recycle) blocks; Delete → Retain passes", () => {
        const PV = "kubernetes:core/v1:PersistentVolume";
        const pv = (policy?: string) => ({ metadata: { name: "pv-data" }, spec: { capacity: { storage: "50Gi" }, ...(policy ? { persistentVolumeReclaimPolicy: policy } : {}) } });
        assert.deepEqual(judgeChanges(update(PV, pv("Retain"), pv("Delete"))).map((f) => [f.verdict, f.reason]), [
            ["block", "persistentVolumeReclaimPolicy Retain → Delete: no data is lost by this change, but once its claim is deleted the volume is deleted (Delete) or wiped (Recycle) with its data"],
        ]);
        assert.deepEqual(judgeChanges(update(PV, pv("Retain"), pv())), [], "a PersistentVolume made by hand defaults to Retain");
        assert.equal(judgeChanges(update(PV, pv(), pv("Recycle")))[0].reason.split(":")[0], "persistentVolumeReclaimPolicy Retain → Recycle");
        assert.deepEqual(judgeChanges(update(PV, pv("Delete"), pv("Retain"))), []);
    });

    it("a VolumeSnapshotClass deletionPolicy Retain → Delete blocks; a label change passes", () => {
        const f = only(load(GATE, "postgres-ebs-snapshot-class-delete"));
        assert.equal(f.op, "update");
        assert.equal(f.reason, "deletionPolicy Retain → Delete: snapshots taken from now on are deleted in the storage backend with their VolumeSnapshot object");
        assert.deepEqual(evaluateGate(load(GATE, "postgres-ebs-snapshot-class-labels")).findings, []);
        const beta = judgeChanges(update("kubernetes:snapshot.storage.k8s.io/v1beta1:VolumeSnapshotClass", { deletionPolicy: "Retain" }, { deletionPolicy: "Delete" }));
        assert.equal(beta[0]?.rule, "weakened-protection");
    });

    it("a StatefulSet's claim retention Retain → Delete blocks, whenDeleted and whenScaled each", () => {
        const f = only(load(GATE, "zookeeper-ensemble-pvc-retention-delete"));
        assert.equal(f.reason, "persistentVolumeClaimRetentionPolicy.whenDeleted Retain → Delete: no data is lost by this change, but from now on deleting or replacing the StatefulSet deletes its claims and their data");
        assert.equal(f.remedy, "keep whenDeleted: Retain (StatefulWorkload pvcRetention.whenDeleted, the default)");
        const scaled = judgeChanges(update(STS, sts({}), sts({ persistentVolumeClaimRetentionPolicy: { whenScaled: "Delete" } })));
        assert.deepEqual(scaled.map((x) => x.reason), [
            "persistentVolumeClaimRetentionPolicy.whenScaled Retain → Delete: no data is lost by this change, but from now on scaling the StatefulSet down deletes the claims of the removed ordinals",
        ]);
        assert.deepEqual(judgeChanges(update(STS, { spec: {} }, { spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete" } } })), [], "no claim templates: nothing at stake");
    });

    it("EFS backups turned off or the backup policy removed blocks", () => {
        assert.equal(only(load(GATE, "shared-content-efs-backups-off")).reason, "EFS backups ENABLED → DISABLED: AWS Backup takes no more daily backups of the file system");
        const removed = only(load(GATE, "shared-content-efs-backup-policy-removed"));
        assert.deepEqual([removed.op, removed.reason], ["delete", "the EFS backup policy is removed, which turns automatic backups off: AWS Backup takes no more daily backups of the file system"]);
        assert.deepEqual(judgeChanges(update("aws:efs/backupPolicy:BackupPolicy", { backupPolicy: { status: "DISABLED" } }, { backupPolicy: { status: "ENABLED" } })), []);
    });

    it("retainOnDelete or protect dropped from a data-holding resource blocks (real engine documents)", () => {
        const options = { dataTypes: ["pulumi-nodejs:dynamic/stateful:Volume"] };
        const result = evaluateGate(load(GATE, "engine-protection-removed"), options);
        assert.deepEqual(result.findings.map((f) => [f.name, f.op, f.reason]), [
            ["archive", "update", "retainOnDelete is removed from a data-holding resource: no data is lost by this change, but a later removal or replacement deletes the object and its data instead of only forgetting it"],
            ["ledger", "update", "protect is removed from a data-holding resource: no data is lost by this change, but the engine no longer refuses a later removal, replacement or `pulumi destroy`"],
        ]);
        assert.deepEqual(evaluateGate(load(GATE, "engine-protection-removed")).findings, [], "not data-holding without --data-type");
    });

    it("without --show-sames the engine leaves a retainOnDelete-only change out of the document (so the workflow previews with it)", () => {
        const doc = load(GATE, "engine-protection-removed-no-sames");
        assert.equal(doc.steps.some((s) => s.urn.endsWith("::archive")), false);
        assert.equal(doc.steps.some((s) => s.urn.endsWith("::ledger") && s.op === "same"), true);
    });

    it("notes a preview without --show-sames, in the printout and the comment, and never blocks on it", () => {
        const plain = evaluateGate(load(GATE, "engine-protection-removed-no-sames"));
        assert.deepEqual(plain.notes, ["the preview ran without --show-sames (it lists 2 of 3 unchanged resources): a resource whose only change is a dropped retainOnDelete is not in it, so the gate cannot see that; preview with --show-sames"]);
        assert.equal(plain.blocked, false);
        assert.deepEqual(evaluateGate(load(GATE, "engine-protection-removed")).notes, []);
        assert.match(diffMarkdown(load(GATE, "engine-protection-removed-no-sames")), /\n_Note: the preview ran without --show-sames \(it lists 2 of 3 unchanged resources\): .*; preview with --show-sames\._\n/);
    });

    it("a Secret or a plain object losing its protection is not at stake", () => {
        assert.deepEqual(judgeChanges(update("kubernetes:core/v1:Secret", {}, {}, { old: { retainOnDelete: true } })), []);
        assert.deepEqual(judgeChanges(update("kubernetes:core/v1:ConfigMap", {}, {}, { old: { protect: true } })), []);
        assert.equal(judgeChanges(update("kubernetes:core/v1:PersistentVolumeClaim", {}, {}, { old: { protect: true } }))[0]?.rule, "weakened-protection");
    });

    it("an --allow pattern accepts a weakening like any block", () => {
        const doc = load(GATE, "postgres-ebs-reclaim-delete");
        const result = evaluateGate(doc, { allow: ["*::postgres-fast"] });
        assert.deepEqual([result.blocked, result.findings[0].verdict, result.findings[0].allowedBy], [false, "allow", "*::postgres-fast"]);
    });
});

describe("gate v2: scale-down with whenScaled Delete", () => {
    it("blocks, naming the claims of the removed ordinals", () => {
        const f = only(load(GATE, "zookeeper-ensemble-scale-down-delete"));
        assert.equal(f.rule, "scale-down");
        assert.equal(f.reason, "replicas 5 → 3 with persistentVolumeClaimRetentionPolicy.whenScaled: Delete: the claims of ordinals 3–4 (data-zookeeper-3, data-zookeeper-4, datalog-zookeeper-3, datalog-zookeeper-4) are deleted with their data");
        assert.equal(f.remedy, "set whenScaled: Retain (StatefulWorkload pvcRetention.whenScaled) in an update of its own before scaling down; the claims then wait for a later scale-up");
    });

    it("passes with whenScaled Retain and on a scale-up; blocks when the new replicas are not known", () => {
        assert.deepEqual(evaluateGate(load(GATE, "zookeeper-ensemble-scale-down-retain")).findings, []);
        assert.deepEqual(evaluateGate(load(PREVIEW, "zookeeper-ensemble-replicas")).findings, []);
        const policy = { persistentVolumeClaimRetentionPolicy: { whenScaled: "Delete" } };
        assert.deepEqual(judgeChanges(update(STS, sts({ ...policy, replicas: 2 }), sts({ ...policy, replicas: 3 }))), []);
        assert.deepEqual(judgeChanges(update(STS, sts({ ...policy, replicas: 2 }), sts({ ...policy, replicas: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }))).map((f) => `${f.verdict} ${f.rule}`), ["block scale-down"]);
        assert.deepEqual(judgeChanges(update(STS, sts({ replicas: 2 }), sts({ replicas: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }))), [], "whenScaled Retain (the default)");
    });

    it("an unset replicas is 1", () => {
        const policy = { persistentVolumeClaimRetentionPolicy: { whenScaled: "Delete" } };
        assert.match(judgeChanges(update(STS, sts({ ...policy, replicas: 3 }), sts(policy)))[0].reason, /^replicas 3 → 1 .* \(data-pg-1, data-pg-2\) are deleted/);
    });

    it("claim names follow <template>-<set>-<ordinal>", () => {
        assert.deepEqual(statefulSetClaimNames(state(STS, sts({})), 1, 3), ["data-pg-1", "data-pg-2"]);
    });
});

describe("gate v2: StatefulSet replacements", () => {
    it("a volume resize blocks without saying it destroys data, and says to grow the claims in place", () => {
        const text = formatGate(evaluateGate(load(PREVIEW, "provider-4.32-postgres-ebs-volume-resize")));
        const urn = "urn:pulumi:postgres-ebs::stateful-stacks::stateful-stacks:workload:StatefulWorkload$kubernetes:apps/v1:StatefulSet::postgres";
        assert.equal(text, [
            'BLOCK replace kubernetes:apps/v1:StatefulSet "postgres"',
            `  urn:  ${urn}`,
            "  replace reasons: spec.volumeClaimTemplates[0].spec.resources.requests.storage",
            "  why:  a volume claim template's size changed (50Gi → 80Gi): Kubernetes refuses that in place, so the StatefulSet is replaced. No data is lost — its claims (data-postgres-0) are kept and mounted again — but they keep their old size: a template applies only to claims created afterwards",
            "  instead: grow the claims in place: a StatefulWorkload does it itself (a claim patch per ordinal, the template's size ignored), so upgrade the package and preview again; for a StatefulSet of your own, set spec.resources.requests.storage on each existing claim (its StorageClass must allow volume expansion), e.g. kubectl patch pvc data-postgres-0 -n postgres-ebs -p '{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"80Gi\"}}}}'; the template change can follow once the set is annotated pulumi.com/deletionPropagationPolicy: orphan",
            `  accept: --allow-retained-claims (every StatefulSet whose claims are kept), or --allow '${urn}'`,
            'WARN replace kubernetes:apps/v1:StatefulSet "postgres"',
            `  urn:  ${urn}`,
            "  replace reasons: spec.volumeClaimTemplates[0].spec.resources.requests.storage",
            "  why:  the replacement deletes the old StatefulSet with its pods: every pod goes down at once (the live object has no pulumi.com/deletionPropagationPolicy: orphan)",
            "  instead: for a StatefulWorkload, run `pulumi up` once with this package version before the replacing change: it puts pulumi.com/deletionPropagationPolicy: \"orphan\" and an owner ConfigMap (<statefulSetName>-owner) on the StatefulSet in an update of its own, the replacement then orphans the pods and claims and the new set adopts them, and the pods still go when the stack is torn down (the owner takes them with it). For a StatefulSet of your own, apply the annotation in an update of its own first (Kubernetes provider ≥ 4.12)",
            "note: the preview ran without --show-sames (it lists 1 of 13 unchanged resources): a resource whose only change is a dropped retainOnDelete is not in it, so the gate cannot see that; preview with --show-sames",
            "gate: blocked: 1 change blocks: 1 replaces or deletes a StatefulSet (its claims are kept).",
            "Each block says what to do instead; to accept one as it is, pass the --allow '<urn or glob>' it names (repeatable; also STATEFUL_STACKS_GATE_ALLOW, comma- or newline-separated) or --allow-retained-claims where it says so.",
            "",
        ].join("\n"));
        assert.ok(!/destroy/.test(text.split("\n").slice(0, -3).join("\n")), "no finding says the resize destroys data");
    });

    it("with orphan propagation on the live object there is no pods-down warning; --allow-retained-claims passes it", () => {
        const doc = load(GATE, "postgres-ebs-volume-resize-orphan");
        assert.deepEqual(evaluateGate(doc).findings.map((f) => `${f.verdict} ${f.rule}`), ["block retained-claims"]);
        assert.deepEqual(evaluateGate(doc, { allowRetainedClaims: true }).findings.map((f) => `${f.verdict} ${f.rule}`), ["warn retained-claims"]);
    });

    it("a StatefulSet without claim templates replaced: only the pods-down warning", () => {
        const findings = judgeChanges(update(STS, { metadata: { name: "web" }, spec: { replicas: 2 } }, { metadata: { name: "web" }, spec: { replicas: 2 } }, { op: "replace" }));
        assert.deepEqual(findings.map((f) => `${f.verdict} ${f.rule}`), ["warn pods-down"]);
        assert.deepEqual(evaluateGate({ steps: update(STS, { spec: {} }, { spec: {} }, { op: "replace" }) }).blocked, false);
    });

    it("a StatefulSet step without any state blocks as retained claims, with what to do and what accepts it", () => {
        const urn = `${P}${STS}::pg`;
        const f = only({ steps: [{ op: "delete", urn }] });
        assert.deepEqual([f.rule, f.verdict], ["retained-claims", "block"]);
        assert.equal(f.reason, "a StatefulSet with volume claim templates (its state is not in the document): its claims are kept unless its retention policy says otherwise");
        assert.equal(f.accept, `--allow-retained-claims (every StatefulSet whose claims are kept), or --allow '${urn}'`);
        assert.equal(only({ steps: [{ op: "delete", urn }] }, { allowRetainedClaims: true }).verdict, "warn");
    });

    it("an orphan annotation in the program alone (not yet on the live object) still warns", () => {
        const before = sts({});
        const after = sts({}, { annotations: { "pulumi.com/deletionPropagationPolicy": "orphan" } });
        assert.deepEqual(judgeChanges(update(STS, before, after, { op: "replace" })).map((f) => f.rule), ["pods-down"]);
        assert.deepEqual(judgeChanges(update(STS, after, after, { op: "replace" })), []);
    });
});

describe("gate v2: component renames", () => {
    it("the real rename of a StatefulWorkload blocks: new, empty claims; aliases and statefulSetName fix it; --allow-retained-claims does not", () => {
        const doc = load(PREVIEW, "postgres-ebs-component-rename");
        const f = only(doc);
        const urn = "urn:pulumi:postgres-ebs::stateful-stacks::stateful-stacks:workload:StatefulWorkload$kubernetes:apps/v1:StatefulSet::postgres";
        assert.deepEqual([f.rule, f.op, f.name], ["component-rename", "delete", "postgres"]);
        assert.equal(f.reason, 'the component "postgres" (stateful-stacks:workload:StatefulWorkload) is deleted and "postgres-main" created in its place: a rename without aliases, so Pulumi deletes every child of the old component. The new StatefulSet postgres-main starts on new, empty claims (data-postgres-main-0) while the data sits in the old ones (data-postgres-0), which are kept but no longer mounted');
        assert.equal(f.remedy, 'add aliases: [{ name: "postgres" }] to the options of the component "postgres-main", so Pulumi moves the state to the new name instead of deleting and creating, and keep the Kubernetes names: statefulSetName: "postgres" (a new object name would still replace the set and leave the data in the old claims)');
        assert.equal(f.accept, `--allow '${urn}' (--allow-retained-claims does not accept a rename)`);
        assert.equal(evaluateGate(doc, { allowRetainedClaims: true }).blocked, true);
        assert.equal(evaluateGate(doc, { allow: [urn] }).blocked, false);
    });

    it("the real rename of a generic component names the new component for each deleted data-holding child", () => {
        const result = evaluateGate(load(PREVIEW, "engine-component-rename"), { dataTypes: ["pulumi-nodejs:dynamic/stateful:Volume"] });
        const child = result.findings.find((f) => f.name === "orders-data");
        assert.equal(child?.rule, "component-rename");
        assert.match(child!.reason, /^the component "orders" \(stateful-stacks:workload:StatefulWorkload\) is deleted and "orders-db" created in its place: a rename without aliases, so Pulumi deletes every child of the old component; a pulumi-nodejs:dynamic\/stateful:Volume: declared data-holding with --data-type$/);
        assert.deepEqual(result.findings.filter((f) => f.name !== "orders-data").map((f) => `${f.verdict} ${f.rule} ${f.name}`), ["retained data-loss archive", "block data-loss cache", "block data-loss scratch"]);
    });

    it("a deleted component with nothing of its type created is a plain delete", () => {
        const parent = `${P}stateful-stacks:workload:StatefulWorkload::pg`;
        const child = `${P}stateful-stacks:workload:StatefulWorkload$${STS}::pg`;
        const doc: PreviewDocument = {
            steps: [
                { op: "delete", urn: child, oldState: { ...state(STS, sts({})), urn: child, parent } },
                { op: "delete", urn: parent, oldState: { urn: parent, type: "stateful-stacks:workload:StatefulWorkload", custom: false } },
            ],
        };
        assert.deepEqual(evaluateGate(doc).findings.map((f) => `${f.verdict} ${f.rule}`), ["block retained-claims"]);
        assert.match(evaluateGate(doc).findings[0].reason, /is deleted: its claims \(data-pg-0\) are kept \(whenDeleted: Retain\) with their data, no longer mounted by any pod$/);
    });
});

describe("gate: claims grown and shrunk in place", () => {
    const PATCH = "kubernetes:core/v1:PersistentVolumeClaimPatch";
    const claim = (storage: string) => ({ metadata: { name: "data-pg-0", namespace: "db" }, spec: { resources: { requests: { storage } } } });

    it("a claim patch grown (50Gi → 80Gi) is an update that passes, with no finding", () => {
        assert.deepEqual(judgeChanges(update(PATCH, claim("50Gi"), claim("80Gi"))), []);
        assert.deepEqual(judgeChanges(update(PATCH, claim("50Gi"), claim("50Gi"))), []);
        assert.deepEqual(judgeChanges(update(PATCH, claim("1Ti"), claim("1100Gi"))), []);
    });

    it("a claim patch or a claim shrunk (80Gi → 50Gi, 1Ti → 1000Gi) blocks, naming the claim, the sizes, what to do and the --allow", () => {
        const urn = `${P}${PATCH}::x`;
        assert.deepEqual(judgeChanges(update(PATCH, claim("80Gi"), claim("50Gi"))), [
            {
                urn,
                op: "update",
                type: PATCH,
                name: "x",
                keys: [],
                verdict: "block",
                rule: "shrink",
                reason: "the claim data-pg-0 would shrink, spec.resources.requests.storage 80Gi → 50Gi: a volume cannot get smaller, and the API server refuses a request below the claim's capacity, so `pulumi up` fails on it",
                remedy: "keep the size at 80Gi or more (StatefulWorkload volumes[i].size, or the stack's size config); to use less space, copy the data to a new, smaller claim under another name",
                accept: `--allow '${urn}'`,
            },
        ]);
        const claimFindings = judgeChanges(update("kubernetes:core/v1:PersistentVolumeClaim", claim("1Ti"), claim("1000Gi")));
        assert.deepEqual(claimFindings.map((f) => [f.verdict, f.rule, f.reason.split(":")[0]]), [["block", "shrink", "the claim data-pg-0 would shrink, spec.resources.requests.storage 1Ti → 1000Gi"]]);
    });

    it("a shrink accepted by --allow is an allow; a size that is not a quantity, or unknown, is not judged", () => {
        const urn = `${P}${PATCH}::x`;
        assert.deepEqual(judgeChanges(update(PATCH, claim("80Gi"), claim("50Gi")), { allow: [urn] }).map((f) => [f.verdict, f.allowedBy]), [["allow", urn]]);
        assert.deepEqual(judgeChanges(update(PATCH, claim("80Gi"), claim("04da6b54-80e4-46f7-96ec-b56ff0331ba9"))), []);
        assert.deepEqual(judgeChanges(update(PATCH, claim("80Gi"), { metadata: { name: "data-pg-0" } })), []);
    });

    it("the pods-down warning points at the StatefulWorkload's owner and orphan annotation", () => {
        const findings = judgeChanges(update(STS, sts({ podManagementPolicy: "OrderedReady" }), sts({ podManagementPolicy: "Parallel" }), { op: "replace" }));
        assert.deepEqual(findings.map((f) => [f.verdict, f.rule]), [["warn", "pods-down"]]);
        assert.equal(
            findings[0].remedy,
            'for a StatefulWorkload, run `pulumi up` once with this package version before the replacing change: it puts pulumi.com/deletionPropagationPolicy: "orphan" and an owner ConfigMap (<statefulSetName>-owner) on the StatefulSet in an update of its own, the replacement then orphans the pods and claims and the new set adopts them, and the pods still go when the stack is torn down (the owner takes them with it). For a StatefulSet of your own, apply the annotation in an update of its own first (Kubernetes provider ≥ 4.12)',
        );
    });
});
