import { strict as assert } from "assert";
import * as path from "path";
import { evaluateGate, Finding, parsePreview, PreviewDocument, readDocument } from "../../tools/gate";

/** The reviewer's findings (issue 12): snapshots and backups, unknown scale-down, StorageClass swaps. Exact findings. */
const GATE = path.join(__dirname, "..", "fixtures", "gate");
const load = (name: string) => parsePreview(readDocument(path.join(GATE, `${name}.json`)));
const findings = (name: string): Finding[] => [...evaluateGate(load(name)).findings];

describe("gate: snapshot and backup deletions", () => {
    it("a deleted VolumeSnapshot blocks", () => {
        const urn = "urn:pulumi:s::p::kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshot::snap";
        assert.deepEqual(findings("snapshot-volume-snapshot-delete"), [{
            urn, op: "delete", type: "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshot", name: "snap", keys: [],
            verdict: "block", rule: "data-loss",
            reason: "a VolumeSnapshot: removing it deletes the snapshot in the storage backend unless its VolumeSnapshotContent's deletionPolicy is Retain (which the object does not show)",
            remedy: "keep the snapshot in the program (or set retainOnDelete: true on it in an update before removing it); for a Kubernetes snapshot, set deletionPolicy: Retain on its VolumeSnapshotContent (and VolumeSnapshotClass) first, so the backend snapshot survives the object",
            accept: `--allow '${urn}'`,
        }]);
    });

    it("a deleted VolumeSnapshotContent blocks unless its deletionPolicy is Retain", () => {
        const urn = (n: string) => `urn:pulumi:s::p::kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotContent::${n}`;
        const type = "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotContent";
        assert.deepEqual(findings("snapshot-content-delete"), [{
            urn: urn("content-delete"), op: "delete", type, name: "content-delete", keys: [],
            verdict: "block", rule: "data-loss",
            reason: "a VolumeSnapshotContent with deletionPolicy Delete: removing it deletes the snapshot in the storage backend",
            remedy: "keep the snapshot in the program (or set retainOnDelete: true on it in an update before removing it); for a Kubernetes snapshot, set deletionPolicy: Retain on its VolumeSnapshotContent (and VolumeSnapshotClass) first, so the backend snapshot survives the object",
            accept: `--allow '${urn("content-delete")}'`,
        }, {
            urn: urn("content-retain"), op: "delete", type, name: "content-retain", keys: [],
            verdict: "retained", rule: "data-loss",
            reason: "a VolumeSnapshotContent with deletionPolicy: Retain: removing it keeps the snapshot in the storage backend",
        }]);
    });

    it("a deleted EBS snapshot blocks", () => {
        const urn = "urn:pulumi:s::p::aws:ebs/snapshot:Snapshot::snap";
        assert.deepEqual(findings("aws-ebs-snapshot-delete"), [{
            urn, op: "delete", type: "aws:ebs/snapshot:Snapshot", name: "snap", keys: [],
            verdict: "block", rule: "data-loss",
            reason: "an EBS snapshot: removing it deletes the point-in-time copy of the volume",
            remedy: "keep the snapshot in the program (or set retainOnDelete: true on it in an update before removing it); for a Kubernetes snapshot, set deletionPolicy: Retain on its VolumeSnapshotContent (and VolumeSnapshotClass) first, so the backend snapshot survives the object",
            accept: `--allow '${urn}'`,
        }]);
    });

    it("a deleted backup vault destroys data; a deleted backup plan weakens protection", () => {
        const vault = "urn:pulumi:s::p::aws:backup/vault:Vault::v";
        const plan = "urn:pulumi:s::p::aws:backup/plan:Plan::daily";
        assert.deepEqual(findings("aws-backup-vault-plan-delete"), [{
            urn: plan, op: "delete", type: "aws:backup/plan:Plan", name: "daily", keys: [],
            verdict: "block", rule: "weakened-protection",
            reason: "the AWS Backup plan is removed: no data is lost by this change (its recovery points stay in their vault until their lifecycle expires them), but no more backups are taken of the resources it selected",
            remedy: "keep the plan (or replace it with a new plan, created first, that selects the same resources)",
            accept: `--allow '${plan}'`,
        }, {
            urn: vault, op: "delete", type: "aws:backup/vault:Vault", name: "v", keys: [],
            verdict: "block", rule: "data-loss",
            reason: "an AWS Backup vault: removing it (with forceDestroy, or once emptied) deletes its recovery points",
            remedy: "keep the vault (and forceDestroy off, so AWS refuses to delete it while it holds recovery points); move the plans to a new vault beside it and let the old recovery points expire",
            accept: `--allow '${vault}'`,
        }]);
    });
});

describe("gate: scale-down with the new replicas not known", () => {
    it("blocks while whenScaled is Delete: the update may delete the claims of removed ordinals", () => {
        const urn = "urn:pulumi:zookeeper-ensemble::stateful-stacks::stateful-stacks:workload:StatefulWorkload$kubernetes:apps/v1:StatefulSet::zookeeper";
        assert.deepEqual(findings("zookeeper-ensemble-scale-down-unknown"), [{
            urn, op: "update", type: "kubernetes:apps/v1:StatefulSet", name: "zookeeper",
            keys: ["spec.replicas", "spec.template.spec.containers[0].env[7].value"],
            verdict: "block", rule: "scale-down",
            reason: "replicas 5 → (known after update) with persistentVolumeClaimRetentionPolicy.whenScaled: Delete: the new replicas are not known at preview time, so the update may scale down and delete the claims of removed ordinals (any of data-zookeeper-0, data-zookeeper-1, data-zookeeper-2, data-zookeeper-3, data-zookeeper-4, datalog-zookeeper-0 and 4 more) with their data",
            remedy: "make replicas known at preview time (a literal or a stack config value, not another resource's output), or set whenScaled: Retain (StatefulWorkload pvcRetention.whenScaled) in an update of its own first",
            accept: `--allow '${urn}'`,
        }]);
    });
});

describe("gate: scale-down with replicas that are not a number", () => {
    it("blocks as not comparable while whenScaled is Delete", () => {
        const sts = (replicas: unknown) => ({ metadata: { name: "pg" }, spec: { replicas, persistentVolumeClaimRetentionPolicy: { whenScaled: "Delete" }, volumeClaimTemplates: [{ metadata: { name: "data" } }] } });
        const type = "kubernetes:apps/v1:StatefulSet";
        const urn = `urn:pulumi:s::p::${type}::pg`;
        const doc: PreviewDocument = { steps: [{ op: "update", urn, oldState: { urn, type, custom: true, inputs: sts(2) }, newState: { urn, type, custom: true, inputs: sts("1") } }] };
        assert.deepEqual(evaluateGate(doc).findings.map((f) => [f.verdict, f.rule, f.reason]), [[
            "block", "scale-down",
            'replicas 2 → "1" with persistentVolumeClaimRetentionPolicy.whenScaled: Delete: the new replicas are not a number the gate can compare, so the update may scale down and delete the claims of removed ordinals (any of data-pg-0, data-pg-1) with their data',
        ]]);
    });
});

describe("gate: a class deleted and created under another URN with the same name", () => {
    const SC = "kubernetes:storage.k8s.io/v1:StorageClass";
    const VSC = "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass";
    const urn = (type: string, n: string) => `urn:pulumi:s::p::${type}::${n}`;
    const swap = (type: string, before: Record<string, unknown>, after: Record<string, unknown>, name = "fast"): PreviewDocument => ({
        steps: [
            { op: "delete", urn: urn(type, "a"), oldState: { urn: urn(type, "a"), type, custom: true, inputs: { metadata: { name }, ...before } } },
            { op: "create", urn: urn(type, "b"), newState: { urn: urn(type, "b"), type, custom: true, inputs: { metadata: { name: "fast" }, ...after } } },
        ],
    });

    it("StorageClass Retain → Delete blocks", () => {
        const old = "urn:pulumi:postgres-ebs::stateful-stacks::stateful-stacks:storage:EbsStorageClass$kubernetes:storage.k8s.io/v1:StorageClass::postgres-fast";
        assert.deepEqual(findings("postgres-ebs-storage-class-swap"), [{
            urn: old, op: "delete", type: SC, name: "postgres-fast", keys: [],
            verdict: "block", rule: "weakened-protection",
            reason: `deleted and created again under the same name "postgres-fast" as ${old}-v2: reclaimPolicy Retain → Delete: no data is lost by this change, but every volume provisioned from this class from now on is deleted with its claim (volumes provisioned earlier keep the policy they were made with)`,
            remedy: "keep reclaimPolicy: Retain (the EbsStorageClass and EfsStorageClass default)",
            accept: `--allow '${old}'`,
        }]);
    });

    it("StorageClass Retain → unset (Delete) blocks; Retain kept, or another name, passes", () => {
        assert.deepEqual(evaluateGate(swap(SC, { reclaimPolicy: "Retain" }, {})).findings.map((f) => f.reason.replace(/: no data.*/, "")), [
            `deleted and created again under the same name "fast" as ${urn(SC, "b")}: reclaimPolicy Retain → (unset: Delete)`,
        ]);
        assert.deepEqual(evaluateGate(swap(SC, { reclaimPolicy: "Retain" }, { reclaimPolicy: "Retain" })).findings, []);
        assert.deepEqual(evaluateGate(swap(SC, { reclaimPolicy: "Retain" }, { reclaimPolicy: "Delete" }, "slow")).findings, []);
    });

    it("VolumeSnapshotClass Retain → Delete blocks", () => {
        const result = evaluateGate(swap(VSC, { driver: "ebs.csi.aws.com", deletionPolicy: "Retain" }, { driver: "ebs.csi.aws.com", deletionPolicy: "Delete" }));
        assert.deepEqual(result.findings.map((f) => [f.verdict, f.rule, f.urn, f.reason, f.remedy]), [[
            "block", "weakened-protection", urn(VSC, "a"),
            `deleted and created again under the same name "fast" as ${urn(VSC, "b")}: deletionPolicy Retain → Delete: snapshots taken from now on are deleted in the storage backend with their VolumeSnapshot object`,
            "keep deletionPolicy: Retain on the VolumeSnapshotClass",
        ]]);
    });
});
