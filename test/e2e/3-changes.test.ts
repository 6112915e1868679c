import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { evaluateGate, parsePreview } from "../../tools/gate";
import { ChangeCase, CASES } from "./support/cases";
import { e2e, pulumi, stackFile } from "./support/context";
import { operations, readFixture, readManifest, sanitize, UPDATE_FIXTURES, writeFixture, writeManifest } from "./support/preview";
import { copyProject } from "./support/project";
import { CONCURRENCY, DB_PASSWORD, deploy, pool, withConfig } from "./support/stacks";
import { PreviewDocument } from "../../tools/gate";

/**
 * Change cases on the deployed stacks, each previewed by the real engine and provider.
 * The operations are asserted against the case table and against the committed fixture;
 * `UPDATE_FIXTURES=1` rewrites test/fixtures/preview/<case>.json and cases.json instead.
 */

interface Outcome {
    readonly raw: string;
    readonly document: PreviewDocument;
}

async function previewCase(c: ChangeCase): Promise<Outcome> {
    let cwd: string | undefined;
    if (c.edit) {
        cwd = copyProject(path.join(e2e().root, `project-${c.name}`), c.edit);
        fs.copyFileSync(stackFile(c.stack), stackFile(c.stack, cwd));
    }
    const run = () => pulumi(["preview", "--json", "-s", c.stack], { cwd });
    const result = await withConfig(c.stack, c.config ?? {}, c.secrets ?? {}, run);
    return { raw: result.stdout, document: sanitize(JSON.parse(result.stdout)) };
}

describe("e2e: change cases previewed by the real engine", function () {
    const outcomes = new Map<string, Outcome>();

    before(async function () {
        const stacks = [...new Set(CASES.map((c) => c.stack))].sort();
        await pool(stacks, CONCURRENCY, deploy);
        const started = Date.now();
        // Cases of one stack run one after another (they share its config file); stacks run side by side.
        await pool(stacks, CONCURRENCY, async (stack) => {
            for (const c of CASES.filter((k) => k.stack === stack)) {
                outcomes.set(c.name, await previewCase(c));
            }
        });
        console.log(`      (${CASES.length} previews in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
        if (UPDATE_FIXTURES) {
            for (const c of CASES) {
                writeFixture(c.name, outcomes.get(c.name)!.document);
            }
            writeManifest(Object.fromEntries(CASES.map((c) => [c.name, { note: c.note, blocks: c.blocks }])));
        }
    });

    it("the case names are unique and cases.json lists exactly these cases", () => {
        assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
        assert.deepEqual(readManifest(), Object.fromEntries(CASES.map((c) => [c.name, { note: c.note, blocks: c.blocks }])));
    });

    for (const c of CASES) {
        it(`${c.name}: ${c.note}`, () => {
            const { raw, document } = outcomes.get(c.name)!;
            assert.ok(!raw.includes(DB_PASSWORD), "the password appears in plain text in the preview");
            assert.ok(!JSON.stringify(document).includes(e2e().root), "a temporary path is left in the document");
            assert.deepEqual(operations(document), c.ops, "operations of the live preview");
            assert.deepEqual(operations(readFixture(c.name)), c.ops, `operations of test/fixtures/preview/${c.name}.json (UPDATE_FIXTURES=1 rewrites it)`);
            const verdict = evaluateGate(parsePreview(JSON.stringify(document)));
            assert.equal(verdict.blocked, c.blocks, `gate findings: ${JSON.stringify(verdict.findings.map((f) => `${f.verdict} ${f.op} ${f.type} ${f.name}`))}`);
        });
    }
});

describe("e2e: a change the API server refuses fails the preview", function () {
    it("postgres-ebs: growing the backup claim while it is unbound (no provisioner here) is refused by the server-side dry run", async () => {
        await deploy("postgres-ebs");
        const result = await withConfig("postgres-ebs", { backupSize: "200Gi" }, {}, () => pulumi(["preview", "--json", "-s", "postgres-ebs"], { expect: [255, 1] }));
        const document = JSON.parse(result.stdout) as PreviewDocument;
        const errors = (document.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message ?? "");
        assert.ok(
            errors.some((m) => m.includes('PersistentVolumeClaim "postgres-backups" is invalid') && m.includes("spec is immutable after creation except resources.requests")),
            `errors: ${JSON.stringify(errors)}`,
        );
        assert.throws(() => parsePreview(result.stdout), /error/i, "the gate refuses a failed preview");
    });

    it("zookeeper-ensemble: switching the PodDisruptionBudget from maxUnavailable to minAvailable is refused by the server-side dry run (the old field stays set)", async () => {
        await deploy("zookeeper-ensemble");
        const cwd = copyProject(path.join(e2e().root, "project-pdb-switch"), {
            "stacks/zookeeper-ensemble.ts": (text) => text.replace("disruptionBudget: { maxUnavailable: 1 },", "disruptionBudget: { minAvailable: 2 },"),
        });
        fs.copyFileSync(stackFile("zookeeper-ensemble"), stackFile("zookeeper-ensemble", cwd));
        const result = await pulumi(["preview", "--json", "-s", "zookeeper-ensemble"], { cwd, expect: [255, 1] });
        const errors = ((JSON.parse(result.stdout) as PreviewDocument).diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message ?? "");
        assert.ok(errors.some((m) => m.includes('PodDisruptionBudget.policy "zookeeper" is invalid') && m.includes("minAvailable and maxUnavailable cannot be both set")), `errors: ${JSON.stringify(errors)}`);
    });
});
