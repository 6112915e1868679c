import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as fc from "fast-check";
import { diffMarkdown, evaluateGate, formatGate, parseGateArgs, PreviewDocument, PreviewStep, parsePreview, readDocument, runGateCommand, STEP_OPS } from "../../tools/gate";

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(ROOT, "test", "fixtures", "preview");
const VOLUME = "pulumi-nodejs:dynamic/stateful:Volume";
const load = (name: string) => parsePreview(readDocument(path.join(FIXTURES, `${name}.json`)));

const P = "urn:pulumi:prod::shop::";
const STS_URN = `${P}stateful-stacks:workload:StatefulWorkload$kubernetes:apps/v1:StatefulSet::pg`;
const pgSet = (size: string) => ({
    metadata: { name: "pg", namespace: "shop" },
    spec: { replicas: 2, volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: size } } } }] },
});
const K8S: PreviewDocument = {
    steps: [
        { op: "same", urn: `${P}pulumi:pulumi:Stack::shop-prod` },
        {
            op: "replace",
            urn: STS_URN,
            oldState: { urn: STS_URN, type: "kubernetes:apps/v1:StatefulSet", inputs: pgSet("50Gi") },
            newState: { urn: STS_URN, type: "kubernetes:apps/v1:StatefulSet", inputs: pgSet("80Gi") },
            replaceReasons: ["spec"],
            detailedDiff: { "spec.volumeClaimTemplates[0].spec.resources.requests.storage": { kind: "update-replace", inputDiff: true } },
        },
        { op: "delete", urn: `${P}kubernetes:core/v1:PersistentVolumeClaim::data-pg-0`, oldState: { urn: "u", type: "kubernetes:core/v1:PersistentVolumeClaim" } },
        {
            op: "replace",
            urn: `${P}stateful-stacks:external:ExternalStore$kubernetes:core/v1:Secret::orders-db`,
            oldState: { urn: "u", type: "kubernetes:core/v1:Secret", inputs: { metadata: { namespace: "shop" }, stringData: "[secret]" } },
            newState: { urn: "u", type: "kubernetes:core/v1:Secret", inputs: { metadata: { namespace: "orders" }, stringData: "[secret]" } },
            replaceReasons: ["metadata.namespace"],
            detailedDiff: { "metadata.namespace": { kind: "update-replace", inputDiff: true }, "stringData.password": { kind: "update", inputDiff: true } },
        },
        {
            op: "update",
            urn: `${P}kubernetes:apps/v1:Deployment::cache`,
            oldState: { urn: "u", type: "kubernetes:apps/v1:Deployment", inputs: { spec: { replicas: 2, template: { spec: { containers: [{ image: "redis:7.2" }] } } } } },
            newState: { urn: "u", type: "kubernetes:apps/v1:Deployment", inputs: { spec: { replicas: 3, template: { spec: { containers: [{ image: "redis:7.4" }] } } } } },
            detailedDiff: { "spec.replicas": { kind: "update", inputDiff: true }, "spec.template.spec.containers[0].image": { kind: "update", inputDiff: true } },
        },
    ],
};

const RETAINED_ACCEPT = `--allow-retained-claims (every StatefulSet whose claims are kept), or --allow '${STS_URN}'`;
const CLOSING = "Each block says what to do instead; to accept one as it is, pass the --allow '<urn or glob>' it names (repeatable; also STATEFUL_STACKS_GATE_ALLOW, comma- or newline-separated) or --allow-retained-claims where it says so.";
const RESIZE_WHY = "a volume claim template's size changed (50Gi → 80Gi): Kubernetes refuses that in place, so the StatefulSet is replaced. No data is lost — its claims (data-pg-0, data-pg-1) are kept and mounted again — but they keep their old size: a template applies only to claims created afterwards";
const RESIZE_INSTEAD = "grow the claims in place: a StatefulWorkload does it itself (a claim patch per ordinal, the template's size ignored), so upgrade the package and preview again; for a StatefulSet of your own, set spec.resources.requests.storage on each existing claim (its StorageClass must allow volume expansion), e.g. kubectl patch pvc data-pg-0 -n shop -p '{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"80Gi\"}}}}'; the template change can follow once the set is annotated pulumi.com/deletionPropagationPolicy: orphan";
const PODS_WHY = "the replacement deletes the old StatefulSet with its pods: every pod goes down at once (the live object has no pulumi.com/deletionPropagationPolicy: orphan)";
const PODS_INSTEAD = "for a StatefulWorkload, run `pulumi up` once with this package version before the replacing change: it puts pulumi.com/deletionPropagationPolicy: \"orphan\" and an owner ConfigMap (<statefulSetName>-owner) on the StatefulSet in an update of its own, the replacement then orphans the pods and claims and the new set adopts them, and the pods still go when the stack is torn down (the owner takes them with it). For a StatefulSet of your own, apply the annotation in an update of its own first (Kubernetes provider ≥ 4.12)";
const SECRET_WHY = "a Secret: not data loss, but pods that read it at start keep the old value until restarted, and new pods fail while it is missing";
const CLAIM_WHY = "a PersistentVolumeClaim: removing it releases its volume, which the usual Delete reclaim policy deletes with its data";

describe("gate: exact printout", () => {
    it("names each finding's verdict, op, type, name, URN, values and why, what to do instead and what accepts it; then the verdict", () => {
        assert.equal(runGateCommand(parseGateArgs("gate", ["k8s.json", "--allow", "*::data-pg-0"]), () => JSON.stringify(K8S)).stdout, [
            'ALLOW delete kubernetes:core/v1:PersistentVolumeClaim "data-pg-0"',
            "  urn:  urn:pulumi:prod::shop::kubernetes:core/v1:PersistentVolumeClaim::data-pg-0",
            `  why:  ${CLAIM_WHY}`,
            "  allowed by: *::data-pg-0",
            'WARN replace kubernetes:core/v1:Secret "orders-db"',
            "  urn:  urn:pulumi:prod::shop::stateful-stacks:external:ExternalStore$kubernetes:core/v1:Secret::orders-db",
            "  changes: metadata.namespace: shop → orders (replaces)",
            "           stringData.password: [secret] → [secret]",
            `  why:  ${SECRET_WHY}`,
            'BLOCK replace kubernetes:apps/v1:StatefulSet "pg"',
            `  urn:  ${STS_URN}`,
            "  changes: spec.volumeClaimTemplates[0].spec.resources.requests.storage: 50Gi → 80Gi (replaces)",
            `  why:  ${RESIZE_WHY}`,
            `  instead: ${RESIZE_INSTEAD}`,
            `  accept: ${RETAINED_ACCEPT}`,
            'WARN replace kubernetes:apps/v1:StatefulSet "pg"',
            `  urn:  ${STS_URN}`,
            "  changes: spec.volumeClaimTemplates[0].spec.resources.requests.storage: 50Gi → 80Gi (replaces)",
            `  why:  ${PODS_WHY}`,
            `  instead: ${PODS_INSTEAD}`,
            "gate: blocked: 1 change blocks: 1 replaces or deletes a StatefulSet (its claims are kept).",
            CLOSING,
            "",
        ].join("\n"));
    });

    it("passes with a count of explicit allowances, or says nothing is at stake", () => {
        assert.equal(formatGate(evaluateGate(K8S, { allow: ["*::data-pg-0", "*::pg"] })).split("\n").slice(-2)[0], "gate: passed: 2 blocking changes allowed explicitly.");
        assert.equal(formatGate(evaluateGate(K8S, { allow: ["*::data-pg-0"], allowRetainedClaims: true })).split("\n").slice(-2)[0], "gate: passed: 1 blocking change allowed explicitly.");
        assert.equal(formatGate(evaluateGate(load("engine-no-changes"))), [
            "note: the preview ran without --show-sames (it lists 1 of 8 unchanged resources): a resource whose only change is a dropped retainOnDelete is not in it, so the gate cannot see that; preview with --show-sames",
            "gate: passed: no change destroys data or weakens its protection.",
            "",
        ].join("\n"));
        assert.equal(formatGate(evaluateGate(load("engine-replacement-steps"))), "gate: passed: no change destroys data or weakens its protection.\n", "previewed with --show-sames: no note");
    });

    it("the StatefulSet's URN is what an --allow for a template resize names (claims from templates are not Pulumi resources)", () => {
        const doc: PreviewDocument = { steps: K8S.steps.filter((s) => !s.urn.includes("PersistentVolumeClaim")) };
        assert.equal(evaluateGate(doc, { allow: ["*::data-pg-0"] }).blocked, true);
        assert.equal(evaluateGate(doc, { allow: ["*StatefulSet::pg"] }).blocked, false);
    });

    it("judges a real preview: a replacement and a delete block, a retainOnDelete delete is kept", () => {
        const accept = (name: string) => `  accept: --allow 'urn:pulumi:dev::gate-fixture::${VOLUME}::${name}'`;
        assert.equal(formatGate(evaluateGate(load("engine-replace-delete-retained"), { dataTypes: [VOLUME] })), [
            `KEEP delete ${VOLUME} "archive"`,
            `  urn:  urn:pulumi:dev::gate-fixture::${VOLUME}::archive`,
            `  why:  a ${VOLUME}: declared data-holding with --data-type; retainOnDelete is set, so Pulumi only forgets the old object and it survives`,
            `BLOCK replace ${VOLUME} "cache"`,
            `  urn:  urn:pulumi:dev::gate-fixture::${VOLUME}::cache`,
            "  replace reasons: storageClass",
            `  why:  a ${VOLUME}: declared data-holding with --data-type`,
            "  instead: avoid the change that forces the replacement, or create the new object under a new name beside the old one and move the data",
            accept("cache"),
            `BLOCK delete ${VOLUME} "scratch"`,
            `  urn:  urn:pulumi:dev::gate-fixture::${VOLUME}::scratch`,
            `  why:  a ${VOLUME}: declared data-holding with --data-type`,
            "  instead: keep it in the program, or set retainOnDelete: true on it in an update before removing it",
            accept("scratch"),
            "note: the preview ran without --show-sames (it lists 1 of 3 unchanged resources): a resource whose only change is a dropped retainOnDelete is not in it, so the gate cannot see that; preview with --show-sames",
            "gate: blocked: 2 changes block: 2 destroy data.",
            CLOSING,
            "",
        ].join("\n"));
    });

    it("gives the same findings with and without --show-replacement-steps", () => {
        const options = { dataTypes: [VOLUME] };
        const [steps, plain] = [evaluateGate(load("engine-replacement-steps"), options), evaluateGate(load("engine-replace-delete-retained"), options)];
        assert.deepEqual([steps.findings, steps.blocked], [plain.findings, plain.blocked]);
    });

    it("blocks the children a component rename deletes", () => {
        const result = evaluateGate(load("engine-component-rename"), { dataTypes: [VOLUME] });
        assert.deepEqual(result.findings.filter((f) => f.verdict === "block").map((f) => f.name), ["cache", "scratch", "orders-data"]);
    });
});

describe("diff: exact Markdown", () => {
    it("counts, a sorted table with old → new values and the data column, then the gate's notes with what to do instead", () => {
        assert.equal(diffMarkdown(K8S, { allow: ["*::data-pg-0"] }), [
            "### Pulumi preview of `shop` stack `prod`",
            "",
            "| op | count |",
            "| --- | ---: |",
            "| same | 1 |",
            "| update | 1 |",
            "| delete | 1 |",
            "| replace | 2 |",
            "",
            "| op | type | name | changes | data |",
            "| --- | --- | --- | --- | --- |",
            "| delete | `kubernetes:core/v1:PersistentVolumeClaim` | `data-pg-0` |  | allowed |",
            "| replace | `kubernetes:core/v1:Secret` | `orders-db` | `metadata.namespace`: `shop` → `orders` (replaces)<br>`stringData.password`: `[secret]` → `[secret]` | warning |",
            "| replace | `kubernetes:apps/v1:StatefulSet` | `pg` | `spec.volumeClaimTemplates[0].spec.resources.requests.storage`: `50Gi` → `80Gi` (replaces) | **blocks** |",
            "| update | `kubernetes:apps/v1:Deployment` | `cache` | `spec.replicas`: `2` → `3`<br>`spec.template.spec.containers[0].image`: `redis:7.2` → `redis:7.4` |  |",
            "",
            "**Data gate: blocked.** 1 change blocks: 1 replaces or deletes a StatefulSet (its claims are kept).",
            "",
            `- allowed: delete \`kubernetes:core/v1:PersistentVolumeClaim\` \`data-pg-0\` (allowed by \`*::data-pg-0\`) — ${CLAIM_WHY}`,
            `- warning: replace \`kubernetes:core/v1:Secret\` \`orders-db\` — ${SECRET_WHY}`,
            `- **blocks**: replace \`kubernetes:apps/v1:StatefulSet\` \`pg\` — ${RESIZE_WHY}`,
            `  - instead: ${RESIZE_INSTEAD}`,
            `  - accept: ${RETAINED_ACCEPT}`,
            `- warning: replace \`kubernetes:apps/v1:StatefulSet\` \`pg\` — ${PODS_WHY}`,
            `  - instead: ${PODS_INSTEAD}`,
            "",
        ].join("\n"));
    });

    it("renders a real preview with replacement steps as one replace row; values from inputs when the provider gives no detailed diff", () => {
        assert.equal(diffMarkdown(load("engine-replacement-steps")), [
            "### Pulumi preview of `gate-fixture` stack `dev`",
            "",
            "| op | count |",
            "| --- | ---: |",
            "| same | 3 |",
            "| create | 1 |",
            "| update | 2 |",
            "| delete | 2 |",
            "| replace | 1 |",
            "",
            "| op | type | name | changes | data |",
            "| --- | --- | --- | --- | --- |",
            `| delete | \`${VOLUME}\` | \`archive\` |  |  |`,
            `| delete | \`${VOLUME}\` | \`scratch\` |  |  |`,
            `| replace | \`${VOLUME}\` | \`cache\` | \`storageClass\`: \`fast\` → \`slow\` (replaces) |  |`,
            "| update | `pulumi-nodejs:dynamic/stateful:Settings` | `app` | `replicas`: `2` → `3` |  |",
            `| update | \`${VOLUME}\` | \`orders-data\` | \`size\`: \`10Gi\` → \`20Gi\` |  |`,
            `| create | \`${VOLUME}\` | \`logs\` |  |  |`,
            "",
            "**Data gate: passed.** No change destroys data or weakens its protection.",
            "",
        ].join("\n"));
    });

    it("shows a real secret rotation as [secret] → [secret], never the value", () => {
        const text = diffMarkdown(load("postgres-ebs-password-rotation"));
        assert.match(text, /\| replace \| `kubernetes:core\/v1:Secret` \| `postgres-credentials` \| `data.password`: `\[secret\]` → `\[secret\]` \(replaces\) \| warning \|/);
        const external = diffMarkdown(load("external-database-password-rotation"));
        assert.match(external, /`data.password`: `\[secret\]` → `\[secret\]` \(replaces\)/);
        assert.match(external, /`spec.template.metadata.annotations\["stateful-stacks.io\/store-orders-db-checksum"\]`: `[0-9a-f]{8,}…?` → `[0-9a-f]{8,}…?`/);
    });

    it("shows the real volume resize as 50Gi → 80Gi and the EFS class rename with both names", () => {
        assert.match(diffMarkdown(load("provider-4.32-postgres-ebs-volume-resize")), /`spec.volumeClaimTemplates\[0\].spec.resources.requests.storage`: `50Gi` → `80Gi` \(replaces\)/);
        const efs = diffMarkdown(load("provider-4.32-shared-content-efs-storage-class"));
        assert.match(efs, /`spec.storageClassName`: `shared-content-efs` → `shared-content-efs-v2` \(replaces\)/);
        assert.match(efs, /\| replace \| `kubernetes:apps\/v1:Deployment` \| `web` \| no property changed: replaced with a resource it depends on \|  \|/);
    });

    it("lists at most 8 changes in a row and counts the rest", () => {
        const text = diffMarkdown(load("replicated-cache-engine"));
        const row = text.split("\n").find((l) => l.includes("kubernetes:apps/v1:Deployment"))!;
        assert.equal(row.split("<br>").length, 9);
        assert.match(row, /… and 7 more \|  \|$/);
    });

    it("escapes pipes in names", () => {
        const doc: PreviewDocument = { steps: [{ op: "create", urn: `${P}aws:s3/bucket:Bucket::a|b` }] };
        assert.match(diffMarkdown(doc), /\| create \| `aws:s3\/bucket:Bucket` \| `a\\\|b` \|/);
    });
});

describe("diff: one comment for several stacks", () => {
    const files = ["provider-4.32-postgres-ebs-volume-resize", "zookeeper-ensemble-replicas"].map((n) => path.join(FIXTURES, `${n}.json`));

    it("a summary table, then each stack's section (blocked open, the rest folded) with its Mermaid graph", () => {
        const out = runGateCommand(parseGateArgs("diff", files));
        assert.equal(out.code, 0);
        const lines = out.stdout.split("\n");
        assert.deepEqual(lines.slice(0, 8), [
            "## Pulumi preview: 2 stacks",
            "",
            "**Data gate: 1 stack blocked.**",
            "",
            "| stack | changes | data gate |",
            "| --- | --- | --- |",
            "| `postgres-ebs` | 1 replace | **blocked**: 1 replaces or deletes a StatefulSet (its claims are kept) |",
            "| `zookeeper-ensemble` | 1 update | passed |",
        ]);
        assert.ok(lines.includes("<details open><summary>postgres-ebs: 1 replace; gate blocked</summary>"));
        assert.ok(lines.includes("<details><summary>zookeeper-ensemble: 1 update; gate passed</summary>"));
        assert.ok(lines.includes("### Pulumi preview of `stateful-stacks` stack `postgres-ebs`"));
        const graph = out.stdout.slice(out.stdout.indexOf("```mermaid"), out.stdout.indexOf("```\n", out.stdout.indexOf("```mermaid")) + 4);
        assert.equal(graph, [
            "```mermaid",
            "graph LR",
            '    n0["StatefulSet postgres (replace)"]',
            '    n1["StatefulWorkload postgres"]',
            "    n1 --> n0",
            "    classDef block fill:#fdd,stroke:#c00",
            "    class n0 block",
            "```",
            "",
        ].join("\n"));
    });

    it("--stack labels the sections; one labelled document is a comment too", () => {
        const out = runGateCommand(parseGateArgs("diff", ["--stack", "prod", files[1]]));
        assert.match(out.stdout, /^## Pulumi preview: 1 stack\n\n\*\*Data gate: passed on every stack\.\*\*\n/);
        assert.match(out.stdout, /\| `prod` \| 1 update \| passed \|/);
        assert.match(out.stdout, /### Pulumi preview of `stateful-stacks` stack `prod`/);
    });
});

describe("gate: properties", () => {
    const types = ["kubernetes:core/v1:PersistentVolumeClaim", "kubernetes:core/v1:ConfigMap", "aws:ebs/volume:Volume", "kubernetes:core/v1:Secret", "kubernetes:apps/v1:StatefulSet"];
    const arbStep: fc.Arbitrary<PreviewStep> = fc
        .record({ op: fc.constantFrom(...STEP_OPS), type: fc.constantFrom(...types), name: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), retain: fc.boolean() })
        .map(({ op, type, name, retain }) => ({ op, urn: `${P}${type}::${name}`, oldState: { urn: `${P}${type}::${name}`, type, retainOnDelete: retain } }));
    const arbDoc = fc.array(arbStep, { maxLength: 12 }).map((steps): PreviewDocument => ({ steps }));

    it("adding a same step never changes the verdict", () => {
        fc.assert(fc.property(arbDoc, fc.nat(), fc.constantFrom(...types), (doc, at, type) => {
            const steps = [...doc.steps];
            steps.splice(at % (steps.length + 1), 0, { op: "same", urn: `${P}${type}::unchanged-${at}`, oldState: { urn: "u", type } });
            assert.equal(evaluateGate({ steps }).blocked, evaluateGate(doc).blocked);
        }));
    });

    it("any delete of a non-retained claim blocks, whatever else the preview holds", () => {
        fc.assert(fc.property(arbDoc, fc.stringMatching(/^data-[a-z0-9-]{1,10}$/), (doc, name) => {
            const urn = `${P}kubernetes:core/v1:PersistentVolumeClaim::${name}`;
            const steps = [...doc.steps.filter((s) => s.urn !== urn), { op: "delete" as const, urn, oldState: { urn, type: "kubernetes:core/v1:PersistentVolumeClaim" } }];
            assert.equal(evaluateGate({ steps }).blocked, true);
        }));
    });

    it("an allow-all pattern never blocks, and step order never matters", () => {
        fc.assert(fc.property(arbDoc, (doc) => {
            assert.equal(evaluateGate(doc, { allow: ["*"] }).blocked, false);
            assert.deepEqual(evaluateGate({ steps: [...doc.steps].reverse() }).blocked, evaluateGate(doc).blocked);
        }));
    });
});

describe("CLI: diff and gate through bin", () => {
    const cli = (...args: string[]) => {
        try {
            return { code: 0, out: execFileSync(process.execPath, ["--require", "tsx/cjs", "tools/cli.ts", ...args], { cwd: ROOT, encoding: "utf8", stdio: "pipe" }) };
        } catch (err) {
            const e = err as { status: number; stdout: string; stderr: string };
            return { code: e.status, out: e.stdout + e.stderr };
        }
    };
    it("gate exits 1 on a loss, 0 when it is allowed, 2 on a failed preview; diff exits 0", () => {
        const file = path.join("test", "fixtures", "preview", "engine-replace-delete-retained.json");
        assert.equal(cli("gate", file, "--data-type", VOLUME).code, 1);
        assert.equal(cli("gate", file, "--data-type", VOLUME, "--allow", "*::cache", "--allow", "*::scratch").code, 0);
        assert.equal(cli("gate", path.join("test", "fixtures", "preview", "engine-program-error.json")).code, 2);
        const diff = cli("diff", file);
        assert.equal(diff.code, 0);
        assert.equal(diff.out, diffMarkdown(load("engine-replace-delete-retained")));
        assert.ok(fs.existsSync(path.join(ROOT, file)));
    });
});
