import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as fc from "fast-check";
import { diffMarkdown, evaluateGate, formatGate, PreviewDocument, PreviewStep, parsePreview, readDocument, STEP_OPS } from "../../tools/gate";

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(ROOT, "test", "fixtures", "preview");
const VOLUME = "pulumi-nodejs:dynamic/stateful:Volume";
const load = (name: string) => parsePreview(readDocument(path.join(FIXTURES, `${name}.json`)));

const P = "urn:pulumi:prod::shop::";
const K8S: PreviewDocument = {
    steps: [
        { op: "same", urn: `${P}pulumi:pulumi:Stack::shop-prod` },
        {
            op: "replace",
            urn: `${P}stateful-stacks:workload:StatefulWorkload$kubernetes:apps/v1:StatefulSet::pg`,
            oldState: { urn: "u", type: "kubernetes:apps/v1:StatefulSet", inputs: { spec: { volumeClaimTemplates: [{}] } } },
            replaceReasons: ["spec"],
            detailedDiff: { "spec.volumeClaimTemplates[0].spec.resources.requests.storage": { kind: "update-replace", inputDiff: true } },
        },
        { op: "delete", urn: `${P}kubernetes:core/v1:PersistentVolumeClaim::data-pg-0`, oldState: { urn: "u", type: "kubernetes:core/v1:PersistentVolumeClaim" } },
        {
            op: "replace",
            urn: `${P}stateful-stacks:external:ExternalStore$kubernetes:core/v1:Secret::orders-db`,
            oldState: { urn: "u", type: "kubernetes:core/v1:Secret", inputs: { stringData: "[secret]" } },
            replaceReasons: ["metadata.namespace"],
        },
        {
            op: "update",
            urn: `${P}kubernetes:apps/v1:Deployment::cache`,
            detailedDiff: { "spec.replicas": { kind: "update", inputDiff: true }, "spec.template.spec.containers[0].image": { kind: "update", inputDiff: true } },
        },
    ],
};

describe("gate: exact printout", () => {
    it("names each finding's verdict, op, type, name, URN, keys and why; then the verdict and the override", () => {
        assert.equal(formatGate(evaluateGate(K8S, { allow: ["*::data-pg-0"] })), [
            'ALLOW delete kubernetes:core/v1:PersistentVolumeClaim "data-pg-0"',
            "  urn:  urn:pulumi:prod::shop::kubernetes:core/v1:PersistentVolumeClaim::data-pg-0",
            "  why:  a PersistentVolumeClaim: removing it releases its volume, which the usual Delete reclaim policy deletes with its data",
            "  allowed by: *::data-pg-0",
            'WARN replace kubernetes:core/v1:Secret "orders-db"',
            "  urn:  urn:pulumi:prod::shop::stateful-stacks:external:ExternalStore$kubernetes:core/v1:Secret::orders-db",
            "  replace reasons: metadata.namespace",
            "  why:  a Secret: not data loss, but pods that read it at start keep the old value until restarted, and new pods fail while it is missing",
            'BLOCK replace kubernetes:apps/v1:StatefulSet "pg"',
            "  urn:  urn:pulumi:prod::shop::stateful-stacks:workload:StatefulWorkload$kubernetes:apps/v1:StatefulSet::pg",
            "  replace reasons: spec.volumeClaimTemplates[0].spec.resources.requests.storage",
            "  why:  a StatefulSet with volume claim templates: its claims are retained (whenDeleted: Retain), but every pod goes down and a changed claim template applies only to claims created afterwards",
            "gate: blocked: 1 change would destroy data.",
            "To accept a loss on purpose, pass --allow '<urn or glob>' (repeatable) or set STATEFUL_STACKS_GATE_ALLOW (comma- or newline-separated).",
            "",
        ].join("\n"));
    });

    it("passes with a count of explicit allowances, or says nothing is destroyed", () => {
        assert.equal(formatGate(evaluateGate(K8S, { allow: ["*::data-pg-0", "*::pg"] })).split("\n").slice(-2)[0], "gate: passed: 2 data-destroying changes allowed explicitly.");
        assert.equal(formatGate(evaluateGate(load("engine-no-changes"))), "gate: passed: no change destroys data.\n");
    });

    it("judges a real preview: a replacement and a delete block, a retainOnDelete delete is kept", () => {
        assert.equal(formatGate(evaluateGate(load("engine-replace-delete-retained"), { dataTypes: [VOLUME] })), [
            `KEEP delete ${VOLUME} "archive"`,
            `  urn:  urn:pulumi:dev::gate-fixture::${VOLUME}::archive`,
            `  why:  a ${VOLUME}: declared data-holding with --data-type; retainOnDelete is set, so Pulumi only forgets the old object and it survives`,
            `BLOCK replace ${VOLUME} "cache"`,
            `  urn:  urn:pulumi:dev::gate-fixture::${VOLUME}::cache`,
            "  replace reasons: storageClass",
            `  why:  a ${VOLUME}: declared data-holding with --data-type`,
            `BLOCK delete ${VOLUME} "scratch"`,
            `  urn:  urn:pulumi:dev::gate-fixture::${VOLUME}::scratch`,
            `  why:  a ${VOLUME}: declared data-holding with --data-type`,
            "gate: blocked: 2 changes would destroy data.",
            "To accept a loss on purpose, pass --allow '<urn or glob>' (repeatable) or set STATEFUL_STACKS_GATE_ALLOW (comma- or newline-separated).",
            "",
        ].join("\n"));
    });

    it("gives the same findings with and without --show-replacement-steps", () => {
        const options = { dataTypes: [VOLUME] };
        assert.deepEqual(evaluateGate(load("engine-replacement-steps"), options), evaluateGate(load("engine-replace-delete-retained"), options));
    });

    it("blocks the children a component rename deletes", () => {
        const result = evaluateGate(load("engine-component-rename"), { dataTypes: [VOLUME] });
        assert.deepEqual(result.findings.filter((f) => f.verdict === "block").map((f) => f.name), ["cache", "scratch", "orders-data"]);
    });
});

describe("diff: exact Markdown", () => {
    it("counts, a sorted table with changed keys and the data column, then the gate's notes", () => {
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
            "| op | type | name | changed keys | data |",
            "| --- | --- | --- | --- | --- |",
            "| delete | `kubernetes:core/v1:PersistentVolumeClaim` | `data-pg-0` |  | allowed |",
            "| replace | `kubernetes:core/v1:Secret` | `orders-db` | `metadata.namespace` (replaces) | warning |",
            "| replace | `kubernetes:apps/v1:StatefulSet` | `pg` | `spec` (replaces) | **blocks** |",
            "| update | `kubernetes:apps/v1:Deployment` | `cache` | `spec.replicas`, `spec.template.spec.containers[0].image` |  |",
            "",
            "**Data gate: blocked.** 1 change would destroy data.",
            "",
            "- allowed: delete `kubernetes:core/v1:PersistentVolumeClaim` `data-pg-0` (allowed by `*::data-pg-0`) — a PersistentVolumeClaim: removing it releases its volume, which the usual Delete reclaim policy deletes with its data",
            "- warning: replace `kubernetes:core/v1:Secret` `orders-db` — a Secret: not data loss, but pods that read it at start keep the old value until restarted, and new pods fail while it is missing",
            "- **blocks**: replace `kubernetes:apps/v1:StatefulSet` `pg` — a StatefulSet with volume claim templates: its claims are retained (whenDeleted: Retain), but every pod goes down and a changed claim template applies only to claims created afterwards",
            "",
        ].join("\n"));
    });

    it("renders a real preview with replacement steps as one replace row; keys from inputs when the provider gives none", () => {
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
            "| op | type | name | changed keys | data |",
            "| --- | --- | --- | --- | --- |",
            `| delete | \`${VOLUME}\` | \`archive\` |  |  |`,
            `| delete | \`${VOLUME}\` | \`scratch\` |  |  |`,
            `| replace | \`${VOLUME}\` | \`cache\` | \`storageClass\` (replaces) |  |`,
            "| update | `pulumi-nodejs:dynamic/stateful:Settings` | `app` | `replicas` |  |",
            `| update | \`${VOLUME}\` | \`orders-data\` | \`size\` |  |`,
            `| create | \`${VOLUME}\` | \`logs\` |  |  |`,
            "",
            "**Data gate: passed.** No change destroys data.",
            "",
        ].join("\n"));
    });

    it("prints no input values, so no secret either", () => {
        const text = diffMarkdown(load("engine-replace-delete-retained"), { dataTypes: [VOLUME] });
        for (const value of ["[secret]", "shop", "20Gi", "10Gi", "slow", "[dynamic provider code]"]) {
            assert.ok(!text.includes(value), value);
        }
    });

    it("escapes pipes in names", () => {
        const doc: PreviewDocument = { steps: [{ op: "create", urn: `${P}aws:s3/bucket:Bucket::a|b` }] };
        assert.match(diffMarkdown(doc), /\| create \| `aws:s3\/bucket:Bucket` \| `a\\\|b` \|/);
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
