import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { evaluateGate, parsePreview, PreviewDocument } from "../../tools/gate";
import { CASES, ChangeCase, manifestEntry } from "./support/cases";
import { e2e, pulumi, stackFile } from "./support/context";
import { paths } from "./support/kube";
import { expectNoClaimLost, stateObjects, storageSnapshot, StorageSnapshot } from "./support/live";
import { operations, readFixture, readManifest, rendered, sanitize, UPDATE_FIXTURES, writeFixture, writeManifest } from "./support/preview";
import { copyProject } from "./support/project";
import { CONCURRENCY, DB_PASSWORD, deploy, pool, withConfig } from "./support/stacks";

/**
 * Change cases on the deployed stacks. Each is previewed by the real engine and provider
 * (operations against the case table, the committed fixture's rendered state against the
 * live preview's, the data-loss gate's verdict), then applied with `pulumi up` and the live
 * cluster compared with what the preview said: objects the preview updates or leaves alone
 * keep their UID, replaced ones get a new UID, deleted ones are gone, and no claim or
 * volume of the cluster is lost unless the case says so. Then the stack is restored.
 * `UPDATE_FIXTURES=1` rewrites test/fixtures/preview/<case>.json and cases.json.
 */

interface Outcome {
    readonly raw: string;
    readonly document: PreviewDocument;
    readonly code: number;
    /** What applying it did, per URN. */
    readonly applied?: Readonly<Record<string, string>>;
    readonly error?: unknown;
}

/** The project folder the case runs from: the shared copy, or a second copy with the case's program edit. */
function caseProject(c: ChangeCase): string | undefined {
    if (!c.edit) {
        return undefined;
    }
    const dir = path.join(e2e().root, `project-${c.name}`);
    if (!fs.existsSync(dir)) {
        copyProject(dir, c.edit);
    }
    fs.copyFileSync(stackFile(c.stack), stackFile(c.stack, dir));
    return dir;
}

/** Every URN with a uid in the state, before and after; classifies what happened to it. */
function compareState(before: Map<string, { urn: string; uid: string }>, after: Map<string, { urn: string; uid: string }>): Record<string, string> {
    const byUrn = (m: Map<string, { urn: string; uid: string }>) => new Map([...m.values()].map((v) => [v.urn, v.uid]));
    const b = byUrn(before);
    const a = byUrn(after);
    const out: Record<string, string> = {};
    for (const urn of new Set([...b.keys(), ...a.keys()])) {
        const key = urnKey(urn);
        if (!a.has(urn)) {
            out[key] = "deleted";
        } else if (!b.has(urn)) {
            out[key] = [...before.values()].some((v) => v.uid === a.get(urn)) ? "adopted" : "created";
        } else {
            out[key] = a.get(urn) === b.get(urn) ? "kept" : "replaced";
        }
    }
    return Object.fromEntries(Object.entries(out).sort());
}

function urnKey(urn: string): string {
    const parts = urn.split("::");
    return `${parts[2].split("$").pop()}::${parts[3]}`;
}

/** What the live state must show for a preview's operations (see compareState). */
function expectedLive(ops: string): string[] {
    if (ops.includes("replace")) {
        return ["replaced"];
    }
    if (ops === "create") {
        // 4.25-4.28 upsert: a create over a live object of the same name adopts it (pulumi-kubernetes #2926).
        return ["created", "adopted"];
    }
    if (ops === "delete") {
        return ["deleted"];
    }
    return ["kept"];
}

/** The stack's Kubernetes objects in the state are live, with the state's UIDs. */
async function expectStateLive(stack: string): Promise<void> {
    const { kube } = e2e();
    for (const [key, { uid }] of await stateObjects(stack)) {
        const [kind, namespace, name] = key.split("/");
        const object = await kube.get(objectPath(kind, namespace, name));
        assert.ok(object, `${key} in the state is not in the cluster`);
        assert.equal(object.metadata.uid, uid, `${key}: the state's uid`);
    }
}

function objectPath(kind: string, namespace: string, name: string): string {
    const core: Record<string, string> = { ConfigMap: "configmaps", PersistentVolumeClaim: "persistentvolumeclaims", Secret: "secrets", Service: "services", ServiceAccount: "serviceaccounts" };
    const apps: Record<string, string> = { DaemonSet: "daemonsets", Deployment: "deployments", StatefulSet: "statefulsets" };
    if (kind === "Namespace") return paths.namespace(name);
    if (kind === "StorageClass") return paths.storageClass(name);
    if (core[kind]) return paths.core(namespace, core[kind], name);
    if (apps[kind]) return paths.apps(namespace, apps[kind], name);
    if (kind === "CronJob") return paths.batch(namespace, "cronjobs", name);
    if (kind === "PodDisruptionBudget") return paths.policy(namespace, "poddisruptionbudgets", name);
    if (kind === "VolumeSnapshotClass") return `/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses/${name}`;
    if (kind === "VolumeAttributesClass") return `/apis/storage.k8s.io/v1/volumeattributesclasses/${name}`;
    throw new Error(`no API path known for kind ${kind}`);
}

async function runCase(c: ChangeCase): Promise<Outcome> {
    const { kube } = e2e();
    const cwd = caseProject(c);
    const storeBefore = await storageSnapshot(kube);
    const stateBefore = await stateObjects(c.stack);
    return withConfig(c.stack, c.config ?? {}, c.secrets ?? {}, async (): Promise<Outcome> => {
        if (cwd) {
            fs.copyFileSync(stackFile(c.stack), stackFile(c.stack, cwd));
        }
        const preview = await pulumi(["preview", "--json", "-s", c.stack], { cwd, expect: c.previewError ? [255, 1] : [0] });
        const document = sanitize(JSON.parse(preview.stdout));
        const outcome: Outcome = { raw: preview.stdout, document, code: preview.code };
        if (c.apply === "preview") {
            return outcome;
        }
        try {
            if (c.apply === "fails") {
                const up = await pulumi(["up", "--yes", "-s", c.stack], { cwd, expect: [255, 1] });
                assert.match(up.stdout + up.stderr, c.previewError as RegExp, "pulumi up fails like the preview");
                const after = await stateObjects(c.stack);
                assert.deepEqual(Object.values(compareState(stateBefore, after)).filter((v) => v !== "kept"), [], "nothing changed");
                expectNoClaimLost(storeBefore, await storageSnapshot(kube), `${c.name}: after the failed pulumi up`);
                return { ...outcome, applied: compareState(stateBefore, after) };
            }
            await pulumi(["up", "--yes", "--skip-preview", "-s", c.stack], { cwd });
            const stateAfter = await stateObjects(c.stack);
            const applied = compareState(stateBefore, stateAfter);
            const storeAfter = await storageSnapshot(kube);
            expectNoClaimLost(storeBefore, storeAfter, `${c.name}: applied`, c.lost ?? []);
            await expectStateLive(c.stack);
            return { ...outcome, applied };
        } catch (error) {
            return { ...outcome, error };
        }
    }).then(async (outcome) => {
        if (c.apply !== "fails" && c.apply !== "preview" && outcome.error === undefined) {
            // Restore: the unchanged stack, from the unchanged project.
            await pulumi(["up", "--yes", "--skip-preview", "-s", c.stack]);
            expectNoClaimLost(storeBefore, await storageSnapshot(kube), `${c.name}: restored`, c.lost ?? []);
            await expectStateLive(c.stack);
        }
        return outcome;
    });
}

// Before the cases: on the stacks as \`pulumi up\` first made them. (After the namespace-move
// case and its restore, the backup claim is owned by another field manager — 4.25 adopted
// the retained claim on re-create — and the same preview fails with an SSA field conflict.)
describe("e2e: changes the API server refuses, or 4.25 lets through", function () {
    it("postgres-ebs: growing the backup claim while it is unbound (WaitForFirstConsumer, its only consumer the nightly CronJob) is refused by the server-side dry run", async () => {
        await deploy("postgres-ebs");
        const result = await withConfig("postgres-ebs", { backupSize: "200Gi" }, {}, () => pulumi(["preview", "--json", "-s", "postgres-ebs"], { expect: [255, 1] }));
        const document = JSON.parse(result.stdout) as PreviewDocument;
        const errors = (document.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message ?? "");
        assert.ok(
            errors.some((m) => m.includes('PersistentVolumeClaim "postgres-backups" is invalid') && m.includes("spec is immutable after creation except resources.requests")),
            `errors: ${JSON.stringify(errors)}`,
        );
        assert.throws(() => parsePreview(result.stdout), /the preview failed/, "the gate refuses a failed preview");
    });

    it("zookeeper-ensemble: switching the PodDisruptionBudget from maxUnavailable to minAvailable previews as an update with 4.25 and applies (server-side apply drops the field the provider no longer sets); then restored", async () => {
        await deploy("zookeeper-ensemble");
        const { kube } = e2e();
        const before = await kube.must(paths.policy("zookeeper-ensemble", "poddisruptionbudgets", "zookeeper"));
        const cwd = copyProject(path.join(e2e().root, "project-pdb-switch"), {
            "stacks/zookeeper-ensemble.ts": (text) => text.replace("disruptionBudget: { maxUnavailable: 1 },", "disruptionBudget: { minAvailable: 2 },"),
        });
        fs.copyFileSync(stackFile("zookeeper-ensemble"), stackFile("zookeeper-ensemble", cwd));
        const preview = await pulumi(["preview", "--json", "-s", "zookeeper-ensemble"], { cwd });
        assert.deepEqual(operations(sanitize(JSON.parse(preview.stdout))), { "kubernetes:policy/v1:PodDisruptionBudget::zookeeper": "update" });
        try {
            await pulumi(["up", "--yes", "--skip-preview", "-s", "zookeeper-ensemble"], { cwd });
            const after = await kube.must(paths.policy("zookeeper-ensemble", "poddisruptionbudgets", "zookeeper"));
            assert.equal(after.metadata.uid, before.metadata.uid, "updated in place");
            assert.equal(after.spec.minAvailable, 2);
            assert.equal(after.spec.maxUnavailable, undefined);
        } finally {
            await pulumi(["up", "--yes", "--skip-preview", "-s", "zookeeper-ensemble"]);
        }
        const restored = await kube.must(paths.policy("zookeeper-ensemble", "poddisruptionbudgets", "zookeeper"));
        assert.equal(restored.spec.maxUnavailable, 1);
        assert.equal(restored.spec.minAvailable, undefined);
    });
});

describe("e2e: change cases previewed, applied and restored", function () {
    const outcomes = new Map<string, Outcome>();
    let storeAtStart: StorageSnapshot;

    before(async function () {
        this.timeout(40 * 60_000);
        const stacks = [...new Set(CASES.map((c) => c.stack))].sort();
        await pool(stacks, CONCURRENCY, deploy);
        storeAtStart = await storageSnapshot(e2e().kube);
        const started = Date.now();
        // Cases of one stack run one after another (they share its config file and its objects); stacks run side by side.
        await pool(stacks, CONCURRENCY, async (stack) => {
            for (const c of CASES.filter((k) => k.stack === stack)) {
                try {
                    outcomes.set(c.name, await runCase(c));
                } catch (error) {
                    outcomes.set(c.name, { raw: "", document: { steps: [] } as unknown as PreviewDocument, code: -1, error });
                }
            }
        });
        console.log(`      (${CASES.length} cases previewed, applied and restored in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
        if (UPDATE_FIXTURES) {
            for (const c of CASES) {
                if (outcomes.get(c.name)?.raw) {
                    writeFixture(c.name, outcomes.get(c.name)!.document);
                }
            }
            writeManifest(Object.fromEntries(CASES.map((c) => [c.name, manifestEntry(c)])));
        }
    });

    it("there are at least 18 cases, the names are unique and cases.json lists exactly these cases", () => {
        assert.ok(CASES.length >= 18);
        assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
        assert.deepEqual(readManifest(), JSON.parse(JSON.stringify(Object.fromEntries(CASES.map((c) => [c.name, manifestEntry(c)])))));
    });

    for (const c of CASES) {
        it(`${c.name}: ${c.note} (${c.apply === "fails" ? "preview and up fail" : c.apply === "allow" ? "blocked; applied with --allow, restored" : c.apply === "preview" ? "previewed only: it cannot be undone" : "applied, restored"})`, () => {
            const outcome = outcomes.get(c.name)!;
            const { raw, document } = outcome;
            assert.ok(raw, `the case did not run: ${String(outcome.error)}`);
            assert.ok(!raw.includes(DB_PASSWORD), "the password appears in plain text in the preview");
            assert.ok(!JSON.stringify(document).includes(e2e().root), "a temporary path is left in the document");
            assert.deepEqual(operations(document), c.ops, "operations of the live preview");
            const fixture = readFixture(c.name);
            assert.deepEqual(operations(fixture), c.ops, `operations of test/fixtures/preview/${c.name}.json (UPDATE_FIXTURES=1 rewrites it)`);
            assert.deepEqual(rendered(fixture), rendered(document), `test/fixtures/preview/${c.name}.json is stale: its new state differs from what the current code renders (UPDATE_FIXTURES=1 rewrites it)`);
            if (c.previewError) {
                const errors = (document.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message ?? "");
                assert.ok(errors.some((m) => c.previewError!.test(m)), `the preview's errors: ${JSON.stringify(errors)}`);
                assert.throws(() => parsePreview(JSON.stringify(document)), /the preview failed/, "the gate refuses a failed preview");
                assert.equal(c.blocks, true);
            } else {
                const verdict = evaluateGate(parsePreview(JSON.stringify(document)));
                assert.equal(verdict.blocked, c.blocks, `gate findings: ${JSON.stringify(verdict.findings.map((f) => `${f.verdict} ${f.op} ${f.type} ${f.name}`))}`);
                if (c.apply === "allow") {
                    const blocked = verdict.findings.filter((f) => f.verdict === "block").map((f) => f.urn);
                    assert.equal(evaluateGate(parsePreview(JSON.stringify(document)), { allow: blocked }).blocked, false, "--allow for the blocked URNs lets it through");
                } else {
                    assert.equal(c.blocks, false, "a blocked case is applied only with --allow");
                }
            }
            if (outcome.error) {
                throw outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
            }
            // The live state against the preview.
            const ops = operations(document);
            const applied = outcome.applied ?? {};
            const mismatches: string[] = [];
            for (const [key, happened] of Object.entries(applied)) {
                const wanted = c.apply === "fails" ? ["kept"] : expectedLive(ops[key] ?? "same");
                if (!wanted.includes(happened)) {
                    mismatches.push(`${key}: preview ${ops[key] ?? "same"}, live ${happened}`);
                }
            }
            assert.deepEqual(mismatches, [], `live objects against the preview (${JSON.stringify(applied)})`);
        });
    }

    it("after every case and its restore: no claim of the cluster was lost except those the cases name, and every stack previews without changes", async () => {
        const lost = CASES.flatMap((c) => c.lost ?? []);
        expectNoClaimLost(storeAtStart, await storageSnapshot(e2e().kube), "all cases", lost);
        const stacks = [...new Set(CASES.map((c) => c.stack))].sort();
        await pool(stacks, CONCURRENCY, (stack) => pulumi(["preview", "--expect-no-changes", "-s", stack]));
    });
});

