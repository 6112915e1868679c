import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { diffMarkdown, evaluateGate, formatChange, parsePreview, PreviewDocument, stepsByUrn, UNKNOWN_VALUE, valueChanges } from "../../tools/gate";
import { e2e, pulumi, stackFile } from "./support/context";
import {
    GateCase,
    gateManifestEntry,
    readGateFixture,
    readGateManifest,
    SCRATCH_CASES,
    SCRATCH_STACK,
    ScratchVariant,
    writeGateFixture,
    writeGateManifest,
    writeScratchProject,
    ZOOKEEPER_CASES,
    ZOOKEEPER_CONFIG,
    ZOOKEEPER_COPIES,
    ZOOKEEPER_STACK,
} from "./support/gate-cases";
import { paths } from "./support/kube";
import { operations, rendered, sanitize, UPDATE_FIXTURES } from "./support/preview";
import { copyProject } from "./support/project";
import { configArgs } from "./support/stacks";

/**
 * Gate rule fixtures from the real engine and provider: previews of changes the scenario
 * previews of 3-changes do not make (claim retention Delete, a scale-down that deletes
 * claims, a StorageClass reclaiming with Delete, protection dropped from claims, a
 * retained claim replaced under its own name, credentials in literal env values), each
 * checked against the case table (operations, the gate's exact findings) and against the
 * committed fixture's rendered state. `UPDATE_FIXTURES=1` rewrites test/fixtures/gate/<case>.json
 * and these cases' entries of its cases.json. The stacks are this file's own, and are
 * destroyed at the end.
 */

const summary = (doc: PreviewDocument) => evaluateGate(parsePreview(JSON.stringify(doc))).findings.map((f) => `${f.verdict} ${f.rule} ${f.name}`);

interface Recorded {
    readonly document: PreviewDocument;
    readonly code: number;
}

const recorded = new Map<string, Recorded>();

/** Previews with --show-sames (as the workflow does) and records the document; a failed preview is recorded too. */
async function preview(c: GateCase, stack: string, cwd: string): Promise<PreviewDocument> {
    const result = await pulumi(["preview", "--json", "--show-sames", "-s", stack], { cwd, expect: [0, 1, 255] });
    const document = sanitize(JSON.parse(result.stdout));
    recorded.set(c.name, { document, code: result.code });
    return document;
}

/** Sets config on a stack in one project copy, runs `work`, puts the copy's stack file back. */
async function withCopyConfig<T>(cwd: string, stack: string, config: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T> {
    const file = stackFile(stack, cwd);
    const before = fs.readFileSync(file, "utf8");
    try {
        await pulumi(["config", "set-all", "-s", stack, ...configArgs(config)], { cwd });
        return await work();
    } finally {
        fs.writeFileSync(file, before);
    }
}

/**
 * The rendered state without what differs on every run: object uids (an owner reference
 * to a live object) and the provider's random auto-name suffixes (`auto-8845a243`).
 */
function stable(value: unknown): unknown {
    return JSON.parse(
        JSON.stringify(value)
            .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uid>")
            .replace(/"([a-z0-9.-]+)-[0-9a-f]{8}"/g, '"$1-<suffix>"'),
    );
}

/** The scratch project keeps its stack file beside Pulumi.yaml (no stackConfigDir). */
async function withScratchVariant<T>(cwd: string, variant: ScratchVariant, work: () => Promise<T>): Promise<T> {
    const file = path.join(cwd, `Pulumi.${SCRATCH_STACK}.yaml`);
    const before = fs.readFileSync(file, "utf8");
    try {
        await pulumi(["config", "set", "-s", SCRATCH_STACK, "variant", variant], { cwd });
        return await work();
    } finally {
        fs.writeFileSync(file, before);
    }
}

function expectCase(c: GateCase): PreviewDocument {
    const r = recorded.get(c.name);
    assert.ok(r, `${c.name} was not previewed`);
    const { document, code } = r;
    const errors = (document.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message ?? "");
    if ("previewError" in c && c.previewError instanceof RegExp) {
        assert.notEqual(code, 0, "the preview fails");
        assert.ok(errors.some((m) => (c.previewError as RegExp).test(m)), `the preview's errors: ${JSON.stringify(errors)}`);
    } else {
        assert.equal(code, 0, `the preview succeeds (errors: ${JSON.stringify(errors)})`);
    }
    assert.ok(!JSON.stringify(document).includes(e2e().root), "a temporary path is left in the document");
    assert.deepEqual(operations(document), c.ops, "operations of the live preview");
    if (code === 0) {
        assert.deepEqual(summary(document), c.findings, "the gate's findings on the live preview");
        assert.equal(evaluateGate(parsePreview(JSON.stringify(document))).blocked, c.blocks);
    } else {
        assert.throws(() => parsePreview(JSON.stringify(document)), /the preview failed/, "the gate refuses a failed preview");
    }
    const fixture = readGateFixture(c.name);
    // A failed preview stops wherever the engine's parallel steps were when the API server
    // refused one, so the unchanged steps it lists differ from run to run: its operations
    // (checked above) are what must match; a successful preview is compared whole.
    if (code === 0) {
        assert.deepEqual(stable(rendered(fixture)), stable(rendered(document)), `test/fixtures/gate/${c.name}.json is stale: its new state differs from this preview's (UPDATE_FIXTURES=1 rewrites it)`);
    } else {
        assert.deepEqual(operations(fixture), operations(document), `test/fixtures/gate/${c.name}.json is stale: its operations differ from this failed preview's (UPDATE_FIXTURES=1 rewrites it)`);
    }
    assert.deepEqual(readGateManifest()[c.name], gateManifestEntry(c), `cases.json entry of ${c.name}`);
    return document;
}

describe("e2e: gate fixtures recorded from the real engine", function () {
    let plain: string;
    let whenDeleted: string;
    let whenScaled: string;
    let scratch: string;
    let claimUids: Map<string, string>;

    before(async function () {
        this.timeout(40 * 60_000);
        const { root } = e2e();
        plain = copyProject(path.join(root, "gate-zookeeper-plain"), ZOOKEEPER_COPIES.plain);
        whenDeleted = copyProject(path.join(root, "gate-zookeeper-when-deleted"), ZOOKEEPER_COPIES.whenDeleted);
        whenScaled = copyProject(path.join(root, "gate-zookeeper-when-scaled"), ZOOKEEPER_COPIES.whenScaled);
        scratch = writeScratchProject(path.join(root, "gate-scratch"));
        const started = Date.now();

        const zookeeper = async () => {
            await pulumi(["stack", "init", ZOOKEEPER_STACK, "--secrets-provider", "passphrase"], { cwd: plain });
            await pulumi(["config", "set-all", "-s", ZOOKEEPER_STACK, ...configArgs(ZOOKEEPER_CONFIG)], { cwd: plain });
            for (const copy of [whenDeleted, whenScaled]) {
                fs.copyFileSync(stackFile(ZOOKEEPER_STACK, plain), stackFile(ZOOKEEPER_STACK, copy));
            }
            await pulumi(["up", "--yes", "--skip-preview", "-s", ZOOKEEPER_STACK], { cwd: plain });
            await withCopyConfig(plain, ZOOKEEPER_STACK, { replicas: "3" }, () => preview(ZOOKEEPER_CASES.scaleDownRetain, ZOOKEEPER_STACK, plain));
            await preview(ZOOKEEPER_CASES.whenDeletedDelete, ZOOKEEPER_STACK, whenDeleted);
            await preview(ZOOKEEPER_CASES.whenScaledDelete, ZOOKEEPER_STACK, whenScaled);
            await pulumi(["up", "--yes", "--skip-preview", "-s", ZOOKEEPER_STACK], { cwd: whenScaled });
            const claims = await e2e().kube.must(paths.core(ZOOKEEPER_STACK, "persistentvolumeclaims"));
            claimUids = new Map((claims.items as { metadata: { name: string; uid: string } }[]).map((c) => [c.metadata.name, c.metadata.uid]));
            await withCopyConfig(whenScaled, ZOOKEEPER_STACK, { replicas: "3" }, async () => {
                await preview(ZOOKEEPER_CASES.scaleDownDelete, ZOOKEEPER_STACK, whenScaled);
                await pulumi(["up", "--yes", "--skip-preview", "-s", ZOOKEEPER_STACK], { cwd: whenScaled });
            });
        };

        const scratchCases = async () => {
            await pulumi(["stack", "init", SCRATCH_STACK, "--secrets-provider", "passphrase"], { cwd: scratch });
            await pulumi(["up", "--yes", "--skip-preview", "-s", SCRATCH_STACK], { cwd: scratch });
            for (const c of SCRATCH_CASES) {
                await withScratchVariant(scratch, c.variant, () => preview(c, SCRATCH_STACK, scratch));
            }
        };

        // The two stacks share nothing: they run side by side.
        const results = await Promise.allSettled([zookeeper(), scratchCases()]);
        console.log(`      (${recorded.size} gate previews recorded in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
        if (UPDATE_FIXTURES) {
            const all: GateCase[] = [...Object.values(ZOOKEEPER_CASES), ...SCRATCH_CASES];
            for (const c of all) {
                const r = recorded.get(c.name);
                if (r) {
                    writeGateFixture(c.name, r.document);
                }
            }
            writeGateManifest(all.filter((c) => recorded.has(c.name)));
        }
        const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed) {
            throw failed.reason;
        }
    });

    after(async function () {
        this.timeout(10 * 60_000);
        if (scratch) {
            // Drop protect first (the protection-removed variant), then destroy.
            await pulumi(["config", "set", "-s", SCRATCH_STACK, "variant", "protection-removed"], { cwd: scratch, expect: [0, 255] });
            await pulumi(["up", "--yes", "--skip-preview", "-s", SCRATCH_STACK], { cwd: scratch, expect: [0, 255] });
            await pulumi(["destroy", "--yes", "--skip-preview", "-s", SCRATCH_STACK], { cwd: scratch, expect: [0, 255] });
        }
        if (whenScaled) {
            await pulumi(["destroy", "--yes", "--skip-preview", "-s", ZOOKEEPER_STACK], { cwd: whenScaled, expect: [0, 255] });
        }
    });

    for (const c of Object.values(ZOOKEEPER_CASES)) {
        it(`${c.name}: ${c.blocks ? "blocks" : "passes"} — ${c.note}`, () => {
            expectCase(c);
        });
    }

    it("the applied scale-down with whenScaled Delete deleted exactly the claims of ordinals 3–4, and kept 0–2", async () => {
        const { kube } = e2e();
        const removed = ["data-zookeeper-3", "data-zookeeper-4", "datalog-zookeeper-3", "datalog-zookeeper-4"];
        for (const name of removed) {
            assert.ok(claimUids.has(name), `${name} existed before the scale-down`);
            await kube.eventually(`claim ${name} to be deleted by the StatefulSet controller`, async () => ((await kube.get(paths.core(ZOOKEEPER_STACK, "persistentvolumeclaims", name))) === undefined ? true : undefined), 120_000);
        }
        for (const ordinal of [0, 1, 2]) {
            for (const volume of ["data", "datalog"]) {
                const name = `${volume}-zookeeper-${ordinal}`;
                const claim = await kube.must(paths.core(ZOOKEEPER_STACK, "persistentvolumeclaims", name));
                assert.equal(claim.metadata.uid, claimUids.get(name), `${name} kept`);
                assert.equal(claim.metadata.deletionTimestamp, undefined, `${name} is not being deleted`);
            }
        }
    });

    for (const c of SCRATCH_CASES) {
        it(`${c.name}: ${c.blocks ? "blocks" : "passes"} — ${c.note}`, () => {
            expectCase(c);
        });
    }

    it("credentials-in-diff: the diff hides the literal credentials and prints [unknown] for the uid not known yet", () => {
        const document = recorded.get("credentials-in-diff")?.document;
        assert.ok(document, "not previewed");
        const raw = JSON.stringify(document);
        assert.ok(raw.includes("newpass2"), "the engine's document holds the literals");
        assert.ok(raw.includes(UNKNOWN_VALUE), "the engine's document holds the unknown sentinel");
        const markdown = diffMarkdown(parsePreview(raw));
        const text = [...stepsByUrn(parsePreview(raw)).values()].flatMap((steps) => valueChanges(steps).map(formatChange)).join("\n");
        for (const out of [markdown, text]) {
            assert.ok(!/oldpass1|newpass2/.test(out), out);
            assert.ok(!out.includes(UNKNOWN_VALUE), out);
            assert.ok(out.includes("[unknown]"), out);
        }
    });
});
