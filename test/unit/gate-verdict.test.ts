import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    dataRisk,
    evaluateGate,
    globMatcher,
    judgeResource,
    opEffect,
    parseAllowList,
    parsePreview,
    PreviewDocument,
    PreviewStep,
    ResourceState,
    reusedKubernetesName,
    STEP_OPS,
    StepOp,
} from "../../tools/gate";

const PREFIX = "urn:pulumi:dev::shop::";

function state(type: string, extra: Partial<ResourceState> = {}): ResourceState {
    return { urn: `${PREFIX}${type}::x`, type, custom: true, ...extra };
}

function step(op: StepOp, type: string, old: Partial<ResourceState> = {}, extra: Partial<PreviewStep> = {}): PreviewStep {
    const urn = `${PREFIX}${type}::data-pg-0`;
    const creates = op === "create" || op === "import" || op === "read";
    return {
        op,
        urn,
        ...(creates ? {} : { oldState: { ...state(type, old), urn } }),
        ...(op === "delete" || op === "delete-replaced" ? {} : { newState: { ...state(type), urn } }),
        ...extra,
    };
}

const DESTRUCTIVE: readonly StepOp[] = ["delete", "replace", "create-replacement", "delete-replaced", "import-replacement"];

const DATA_TYPES = [
    "kubernetes:core/v1:PersistentVolumeClaim",
    "kubernetes:core/v1:PersistentVolume",
    "kubernetes:core/v1:Namespace",
    "aws:efs/fileSystem:FileSystem",
    "aws:ebs/volume:Volume",
    "aws:kms/key:Key",
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:dynamodb/table:Table",
];
const PLAIN_TYPES = [
    "kubernetes:core/v1:ConfigMap",
    "kubernetes:apps/v1:Deployment",
    "kubernetes:storage.k8s.io/v1:StorageClass",
    "kubernetes:core/v1:Service",
    "stateful-stacks:workload:StatefulWorkload",
    "aws:ec2/securityGroup:SecurityGroup",
];

describe("gate: op effects", () => {
    it("knows every op Pulumi 3.248 writes, and only the delete/replacement ops remove the old object", () => {
        assert.deepEqual(
            STEP_OPS.map((op) => [op, opEffect(op) ?? "-"]),
            [
                ["same", "-"], ["create", "-"], ["update", "-"], ["delete", "delete"], ["replace", "replace"],
                ["create-replacement", "replace"], ["delete-replaced", "replace"], ["read", "-"], ["read-replacement", "-"],
                ["refresh", "-"], ["discard", "-"], ["discard-replaced", "-"], ["remove-pending-replace", "-"],
                ["import", "-"], ["import-replacement", "replace"], ["diff", "-"],
            ],
        );
    });
});

describe("gate: every op × data-holding or not × retained or not", () => {
    const cases: { op: StepOp; type: string; retained: boolean; expected: string }[] = [];
    for (const op of STEP_OPS) {
        for (const type of [...DATA_TYPES, ...PLAIN_TYPES]) {
            for (const retained of [false, true]) {
                const destroys = DESTRUCTIVE.includes(op) && DATA_TYPES.includes(type);
                cases.push({ op, type, retained, expected: destroys ? (retained ? "retained" : "block") : "none" });
            }
        }
    }
    it(`judges ${cases.length} combinations`, () => {
        const wrong = cases.filter((c) => {
            const finding = judgeResource([step(c.op, c.type, c.retained ? { retainOnDelete: true } : {})]);
            return (finding?.verdict ?? "none") !== c.expected;
        });
        assert.deepEqual(wrong, []);
    });
});

describe("gate: judging one resource", () => {
    it("blocks deleting a claim with the URN, op, type and why", () => {
        assert.deepEqual(judgeResource([step("delete", "kubernetes:core/v1:PersistentVolumeClaim")]), {
            urn: `${PREFIX}kubernetes:core/v1:PersistentVolumeClaim::data-pg-0`,
            op: "delete",
            type: "kubernetes:core/v1:PersistentVolumeClaim",
            name: "data-pg-0",
            verdict: "block",
            rule: "data-loss",
            reason: "a PersistentVolumeClaim: removing it releases its volume, which the usual Delete reclaim policy deletes with its data",
            remedy: "keep the claim in the program, or set retainOnDelete: true on it in an update before removing it",
            accept: `--allow '${PREFIX}kubernetes:core/v1:PersistentVolumeClaim::data-pg-0'`,
            keys: [],
        });
    });

    it("merges the three steps of a replacement into one replace with the replace reasons", () => {
        const type = "aws:ebs/volume:Volume";
        const reasons = { replaceReasons: ["availabilityZone", "type"] };
        const finding = judgeResource([step("delete-replaced", type), step("replace", type, {}, reasons), step("create-replacement", type, {}, reasons)]);
        assert.equal(finding?.op, "replace");
        assert.deepEqual(finding?.keys, ["availabilityZone", "type"]);
        assert.equal(finding?.verdict, "block");
    });

    it("prefers the detailed-diff paths that force the replacement, then replace reasons, then changed keys", () => {
        const type = "kubernetes:core/v1:Namespace";
        const detailed = { "metadata.name": { kind: "update-replace", inputDiff: true }, "metadata.labels": { kind: "update", inputDiff: true } };
        assert.deepEqual(judgeResource([step("replace", type, {}, { detailedDiff: detailed, replaceReasons: ["metadata"] })])?.keys, ["metadata.name"]);
        assert.deepEqual(judgeResource([step("replace", type, {}, { replaceReasons: ["metadata"], diffReasons: ["spec"] })])?.keys, ["metadata"]);
        const updatesOnly = { detailedDiff: { "metadata.labels": detailed["metadata.labels"] }, diffReasons: ["metadata"] };
        assert.deepEqual(judgeResource([step("delete", type, {}, updatesOnly)])?.keys, ["metadata", "metadata.labels"]);
    });

    it("treats external (read) resources as kept", () => {
        const finding = judgeResource([step("delete", "aws:rds/instance:Instance", { external: true })]);
        assert.equal(finding?.verdict, "retained");
        assert.match(finding!.reason, /external \(read, not managed\)/);
    });

    it("does not take protect as retention", () => {
        assert.equal(judgeResource([step("delete", "aws:kms/key:Key", { protect: true })])?.verdict, "block");
    });

    it("judges by the URN's type when a step carries no state", () => {
        const urn = `${PREFIX}stateful-stacks:storage:EbsStorageClass$aws:kms/key:Key::fast-key`;
        const finding = judgeResource([{ op: "delete", urn }]);
        assert.deepEqual([finding?.type, finding?.name, finding?.verdict], ["aws:kms/key:Key", "fast-key", "block"]);
    });

    it("warns, never blocks, on a Secret replaced or deleted", () => {
        for (const op of ["replace", "delete"] as const) {
            const finding = judgeResource([step(op, "kubernetes:core/v1:Secret")]);
            assert.equal(finding?.verdict, "warn");
            assert.equal(finding?.reason, "a Secret: not data loss, but pods that read it at start keep the old value until restarted, and new pods fail while it is missing");
        }
    });

    it("takes --data-type tokens as data-holding", () => {
        const type = "gcp:sql/databaseInstance:DatabaseInstance";
        assert.equal(judgeResource([step("delete", type)]), undefined);
        assert.equal(judgeResource([step("delete", type)], { dataTypes: [type] })?.reason, `a ${type}: declared data-holding with --data-type`);
    });
});

describe("gate: StatefulSets", () => {
    const STS = "kubernetes:apps/v1:StatefulSet";
    const withTemplates = (policy?: Record<string, string>) => ({
        inputs: { spec: { volumeClaimTemplates: [{ metadata: { name: "data" } }], ...(policy ? { persistentVolumeClaimRetentionPolicy: policy } : {}) } },
    });
    const table: { name: string; old: Partial<ResourceState>; allowRetainedClaims?: boolean; verdict: string | undefined; reason?: RegExp }[] = [
        { name: "no claim templates: nothing at stake", old: { inputs: { spec: { replicas: 2 } } }, verdict: undefined },
        { name: "empty claim templates: nothing at stake", old: { inputs: { spec: { volumeClaimTemplates: [] } } }, verdict: undefined },
        { name: "whenDeleted Delete: the claims go", old: withTemplates({ whenDeleted: "Delete", whenScaled: "Retain" }), verdict: "block", reason: /whenDeleted: Delete\)$/ },
        { name: "whenDeleted Retain: disruptive, blocks by default", old: withTemplates({ whenDeleted: "Retain" }), verdict: "block", reason: /no data is lost — its claims are kept \(whenDeleted: Retain\) and the new set mounts them again/ },
        { name: "no policy (Kubernetes default Retain): blocks by default", old: withTemplates(), verdict: "block", reason: /its claims are kept/ },
        { name: "retained claims with the override: a warning", old: withTemplates({ whenDeleted: "Retain" }), allowRetainedClaims: true, verdict: "warn" },
        { name: "whenDeleted Delete is never softened by the override", old: withTemplates({ whenDeleted: "Delete" }), allowRetainedClaims: true, verdict: "block" },
        { name: "a secret or unknown policy is not proof of retention", old: withTemplates({ whenDeleted: "[secret]" }), allowRetainedClaims: true, verdict: "block", reason: /not known/ },
        { name: "no inputs at all: assumed stateful", old: {}, verdict: "block", reason: /its claims are kept/ },
        { name: "retainOnDelete keeps it", old: { ...withTemplates({ whenDeleted: "Delete" }), retainOnDelete: true }, verdict: "retained" },
    ];
    for (const c of table) {
        it(c.name, () => {
            const finding = judgeResource([step("replace", STS, c.old)], { allowRetainedClaims: c.allowRetainedClaims });
            assert.equal(finding?.verdict, c.verdict);
            if (c.reason) {
                assert.match(finding!.reason, c.reason);
            }
        });
    }

    it("reads the policy from outputs when inputs are absent", () => {
        const risk = dataRisk(state(STS, { outputs: { spec: { volumeClaimTemplates: [{}], persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete" } } } }));
        assert.equal(risk?.level, "loss");
    });
});

describe("gate: overrides", () => {
    it("matches URN globs: * any run, ? one character, everything else literal", () => {
        const urn = `${PREFIX}kubernetes:core/v1:PersistentVolumeClaim::data-pg-0`;
        const table: [string, boolean][] = [
            [urn, true],
            ["*::data-pg-0", true],
            ["*::data-pg-?", true],
            ["*PersistentVolumeClaim*", true],
            ["*::data-pg-1", false],
            ["data-pg-0", false],
            ["urn:pulumi:dev::shop::kubernetes:core/v1:PersistentVolumeClaim::data.pg.0", false],
        ];
        assert.deepEqual(table.map(([p]) => [p, globMatcher(p)(urn)]), table);
    });

    it("splits the environment list on commas and newlines", () => {
        assert.deepEqual(parseAllowList(" a , b\nc\n\n"), ["a", "b", "c"]);
        assert.deepEqual(parseAllowList(undefined), []);
    });

    it("an allowed loss is reported with its pattern and does not block", () => {
        const doc: PreviewDocument = { steps: [step("delete", "aws:s3/bucket:Bucket")] };
        const result = evaluateGate(doc, { allow: ["*::nothing", "*Bucket*"] });
        assert.equal(result.blocked, false);
        assert.deepEqual([result.findings[0].verdict, result.findings[0].allowedBy], ["allow", "*Bucket*"]);
    });

    it("an allow pattern does not turn a kept object or a warning into anything else", () => {
        const doc: PreviewDocument = {
            steps: [step("delete", "aws:s3/bucket:Bucket", { retainOnDelete: true }), { ...step("replace", "kubernetes:core/v1:Secret"), urn: `${PREFIX}kubernetes:core/v1:Secret::creds` }],
        };
        assert.deepEqual(evaluateGate(doc, { allow: ["*"] }).findings.map((f) => f.verdict), ["retained", "warn"]);
    });
});

describe("gate: retained objects replaced under the same name", () => {
    const claim = (name: string, namespace?: string): ResourceState =>
        state("kubernetes:core/v1:PersistentVolumeClaim", { inputs: { metadata: { name, ...(namespace ? { namespace } : {}) } }, retainOnDelete: true });

    it("names the clash when the replacement keeps the explicit name", () => {
        assert.equal(reusedKubernetesName(claim("content", "web"), claim("content", "web")), "web/content");
        assert.equal(reusedKubernetesName(claim("fast"), claim("fast")), "fast");
    });

    it("says nothing when the name or namespace changes, or for other providers", () => {
        assert.equal(reusedKubernetesName(claim("content", "web"), claim("content-v2", "web")), undefined);
        assert.equal(reusedKubernetesName(claim("content", "web"), claim("content", "web-v2")), undefined);
        assert.equal(reusedKubernetesName(claim("content", "web"), undefined), undefined);
        const bucket = state("aws:s3/bucketV2:BucketV2", { inputs: { metadata: { name: "b" } } });
        assert.equal(reusedKubernetesName(bucket, bucket), undefined);
    });

    it("blocks the real EFS claim replacement (a class rename, previewed by provider 4.32; 4.25 fails that preview), saying why and what to do instead", () => {
        const text = fs.readFileSync(path.join(__dirname, "../fixtures/preview/provider-4.32-shared-content-efs-storage-class.json"), "utf8");
        const result = evaluateGate(parsePreview(text));
        const urn = "urn:pulumi:shared-content-efs::stateful-stacks::kubernetes:core/v1:PersistentVolumeClaim::content";
        assert.equal(result.blocked, true);
        assert.deepEqual(result.findings, [{
            urn,
            op: "replace",
            type: "kubernetes:core/v1:PersistentVolumeClaim",
            name: "content",
            keys: ["spec.storageClassName"],
            verdict: "block",
            rule: "name-reuse",
            reason: "a PersistentVolumeClaim kept by retainOnDelete is replaced under its own name shared-content-efs/content: the old object and its data survive, but while it holds the name `pulumi up` fails with AlreadyExists, or, with a Kubernetes provider 4.25–4.28 (creates upsert, pulumi-kubernetes #2926), silently applies the new spec to the kept object (fields the API server holds immutable, like a claim's storageClassName, then fail the update)",
            remedy: "keep the StorageClass name the claim uses (renaming a class replaces every claim that names it); to move the data to a new class, create a claim under a new name beside the kept one and copy the data",
            accept: `--allow '${urn}', once the kept object has been renamed or removed by hand`,
        }]);
        assert.equal(evaluateGate(parsePreview(text), { allow: [urn] }).blocked, false);
        assert.equal(evaluateGate(parsePreview(text), { allowRetainedClaims: true }).blocked, true);
    });

    it("a retained object replaced under a new name (or namespace) is only kept", () => {
        const old = claim("content", "web");
        const steps: PreviewStep[] = [{ op: "replace", urn: `${PREFIX}kubernetes:core/v1:PersistentVolumeClaim::content`, oldState: old, newState: claim("content", "web-v2"), replaceReasons: ["metadata.namespace"] }];
        assert.equal(judgeResource(steps)?.verdict, "retained");
    });

});
