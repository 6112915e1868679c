import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { evaluateGate, parsePreview, PreviewDocument } from "../../tools/gate";
import { e2e, pulumi, stackFile } from "./support/context";
import { KubeObject, paths } from "./support/kube";
import { expectClaimBound, expectStatefulSetLive, pods } from "./support/live";
import { operations, sanitize } from "./support/preview";
import { copyProject } from "./support/project";
import { configArgs, DB_PASSWORD } from "./support/stacks";

/**
 * Day two on the real engine, on stacks of their own (so nothing here changes the scenario
 * stacks other files use): the postgres-ebs and zookeeper-ensemble programs, their
 * cluster-wide StorageClasses renamed `dt-…` in a project copy. Claims grown in place
 * (alone and with a scale-up), a shrink refused, a StatefulSet replaced without its pods
 * going down, `pulumi destroy` removing the pods and keeping the claims, and a workload
 * taking over the claims a foreign (Helm-named) StatefulSet left behind.
 */

const PG = "day-two-pg";
const ZK = "day-two-zk";
const TAKEOVER = "day-two-takeover";
const PATCH = "kubernetes:core/v1:PersistentVolumeClaimPatch";
const STS = "kubernetes:apps/v1:StatefulSet";

/** The scenario programs with their StorageClasses renamed, so these stacks share no cluster-wide object with the scenario stacks. */
const RENAMED_CLASSES: Readonly<Record<string, (text: string) => string>> = {
    "stacks/postgres-ebs.ts": (text) => text.split('"postgres-fast"').join('"dt-fast"').split('"postgres-slow"').join('"dt-slow"'),
    "stacks/zookeeper-ensemble.ts": (text) => text.split('"zookeeper-gp3"').join('"dt-zk-gp3"'),
};

function projectCopy(name: string, edit: Readonly<Record<string, (text: string) => string>> = {}): string {
    const dir = path.join(e2e().root, `project-${name}`);
    if (!fs.existsSync(dir)) {
        const edits: Record<string, (text: string) => string> = { ...RENAMED_CLASSES };
        for (const [file, change] of Object.entries(edit)) {
            const first = edits[file];
            edits[file] = first ? (text) => change(first(text)) : change;
        }
        copyProject(dir, edits);
    }
    return dir;
}

async function stackUp(stack: string, cwd: string, scenario: string, config: Record<string, string>, secrets: Record<string, string> = {}): Promise<void> {
    await pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"], { cwd });
    await pulumi(["config", "set-all", "-s", stack, ...configArgs({ localMode: "true", namespace: stack, scenario, ...config }, secrets)], { cwd });
    await pulumi(["up", "--yes", "--skip-preview", "-s", stack], { cwd });
}

async function setConfig(stack: string, cwd: string, config: Record<string, string>): Promise<void> {
    await pulumi(["config", "set-all", "-s", stack, ...configArgs(config)], { cwd });
}

async function previewJson(stack: string, cwd: string, expect: readonly number[] = [0]): Promise<{ raw: string; document: PreviewDocument }> {
    const result = await pulumi(["preview", "--json", "-s", stack], { cwd, expect });
    return { raw: result.stdout, document: sanitize(JSON.parse(result.stdout)) };
}

function errorsOf(document: PreviewDocument): string[] {
    return (document.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message ?? "");
}

/** uid of every pod, claim and the StatefulSet of a namespace (pods by name). */
async function uids(namespace: string, sts: string): Promise<{ sts: string; pods: Map<string, string>; claims: Map<string, string> }> {
    const { kube } = e2e();
    const set = await kube.must(paths.apps(namespace, "statefulsets", sts));
    const claims = (await kube.must(paths.core(namespace, "persistentvolumeclaims"))).items as KubeObject[];
    return {
        sts: set.metadata.uid,
        pods: new Map((await pods(kube, namespace)).map((p) => [p.metadata.name as string, p.metadata.uid as string])),
        claims: new Map(claims.map((c) => [c.metadata.name as string, c.metadata.uid as string])),
    };
}

/** Waits until the claim's capacity (and its volume's) reached the size: the resizer's part, after the API server accepted the request. */
async function expectGrown(namespace: string, claim: string, storageClass: string, size: string): Promise<void> {
    const { kube } = e2e();
    await kube.eventually(`${namespace}/${claim} grown to ${size}`, async () => {
        const c = await kube.must(paths.core(namespace, "persistentvolumeclaims", claim));
        return c.status?.capacity?.storage === size ? true : undefined;
    });
    await expectClaimBound(kube, namespace, claim, storageClass, size);
}

describe("e2e: day two — claims grown in place, a replacement without an outage, destroy, take-over", function () {
    let project: string;

    before(async function () {
        const started = Date.now();
        project = projectCopy("day-two");
        await Promise.all([stackUp(PG, project, "postgres-ebs", {}, { dbPassword: DB_PASSWORD }), stackUp(ZK, project, "zookeeper-ensemble", {})]);
        console.log(`      (${PG} and ${ZK} up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    });

    it("postgres-ebs dataSize 50Gi → 80Gi: the preview updates only the claim patch (the gate passes); pulumi up grows the claim and its volume in place, the StatefulSet and its pod stay", async () => {
        const before = await uids(PG, "postgres");
        await setConfig(PG, project, { dataSize: "80Gi" });
        const { document } = await previewJson(PG, project);
        assert.deepEqual(operations(document), { [`${PATCH}::postgres-data-0`]: "update" });
        const gate = evaluateGate(parsePreview(JSON.stringify(document)));
        assert.equal(gate.blocked, false, JSON.stringify(gate.findings));
        assert.deepEqual(gate.findings, []);
        const started = Date.now();
        await pulumi(["up", "--yes", "--skip-preview", "-s", PG], { cwd: project });
        console.log(`      (grown in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
        await expectGrown(PG, "data-postgres-0", "dt-fast", "80Gi");
        const after = await uids(PG, "postgres");
        assert.equal(after.sts, before.sts, "the same StatefulSet");
        assert.deepEqual(after.pods, before.pods, "no pod deleted");
        assert.deepEqual(after.claims, before.claims, "the same claims");
        const set = await e2e().kube.must(paths.apps(PG, "statefulsets", "postgres"));
        assert.equal(set.spec.volumeClaimTemplates[0].spec.resources.requests.storage, "50Gi", "the template keeps the size the set was created with");
        await expectStatefulSetLive(e2e().kube, PG, "postgres", [{ name: "data", size: "80Gi", storageClass: "dt-fast" }]);
        await pulumi(["preview", "--expect-no-changes", "-s", PG], { cwd: project });
    });

    it("postgres-ebs dataSize 80Gi → 50Gi: the shrink is refused by the API server in the preview's dry run, and nothing changes", async () => {
        await setConfig(PG, project, { dataSize: "50Gi" });
        try {
            const { raw, document } = await previewJson(PG, project, [255, 1]);
            const errors = errorsOf(document);
            assert.ok(
                errors.some((m) => m.includes('PersistentVolumeClaim "data-postgres-0" is invalid') && m.includes("spec.resources.requests.storage") && m.includes("less than")),
                `errors: ${JSON.stringify(errors)}`,
            );
            assert.throws(() => parsePreview(raw), /the preview failed/, "the gate refuses a failed preview");
            const up = await pulumi(["up", "--yes", "-s", PG], { cwd: project, expect: [255, 1] });
            assert.match(up.stdout + up.stderr, /less than/);
            await expectClaimBound(e2e().kube, PG, "data-postgres-0", "dt-fast", "80Gi");
        } finally {
            await setConfig(PG, project, { dataSize: "80Gi" });
        }
        await pulumi(["preview", "--expect-no-changes", "-s", PG], { cwd: project });
    });

    it("zookeeper-ensemble dataSize 10Gi → 20Gi: every member's data claim grows in place; datalog claims, the StatefulSet and every pod stay", async () => {
        const before = await uids(ZK, "zookeeper");
        await setConfig(ZK, project, { dataSize: "20Gi" });
        const { document } = await previewJson(ZK, project);
        assert.deepEqual(operations(document), Object.fromEntries([0, 1, 2].map((i) => [`${PATCH}::zookeeper-data-${i}`, "update"])));
        assert.equal(evaluateGate(parsePreview(JSON.stringify(document))).blocked, false);
        await pulumi(["up", "--yes", "--skip-preview", "-s", ZK], { cwd: project });
        for (const i of [0, 1, 2]) {
            await expectGrown(ZK, `data-zookeeper-${i}`, "dt-zk-gp3", "20Gi");
            await expectClaimBound(e2e().kube, ZK, `datalog-zookeeper-${i}`, "dt-zk-gp3", "10Gi");
        }
        const after = await uids(ZK, "zookeeper");
        assert.equal(after.sts, before.sts, "the same StatefulSet");
        assert.deepEqual(after.pods, before.pods, "no pod deleted");
        assert.deepEqual(after.claims, before.claims, "the same claims");
    });

    it("zookeeper-ensemble dataSize 20Gi → 30Gi with replicas 3 → 5 in one pulumi up: the old claims grow, the new members' claims are created at the new size before their pods, the StatefulSet stays", async () => {
        const before = await uids(ZK, "zookeeper");
        await setConfig(ZK, project, { dataSize: "30Gi", replicas: "5" });
        const { document } = await previewJson(ZK, project);
        const ops = operations(document);
        assert.deepEqual(
            Object.fromEntries(Object.entries(ops).filter(([k]) => k.startsWith(PATCH))),
            Object.fromEntries([
                ...[0, 1, 2].map((i) => [`${PATCH}::zookeeper-data-${i}`, "update"]),
                ...[3, 4].flatMap((i) => [[`${PATCH}::zookeeper-data-${i}`, "create"], [`${PATCH}::zookeeper-datalog-${i}`, "create"]]),
            ].sort()),
        );
        assert.equal(ops[`${STS}::zookeeper`], "update");
        assert.deepEqual(Object.values(ops).filter((op) => op !== "update" && op !== "create"), [], `no replacement or delete: ${JSON.stringify(ops)}`);
        assert.equal(evaluateGate(parsePreview(JSON.stringify(document))).blocked, false);
        await pulumi(["up", "--yes", "--skip-preview", "-s", ZK], { cwd: project });
        for (const i of [0, 1, 2, 3, 4]) {
            await expectGrown(ZK, `data-zookeeper-${i}`, "dt-zk-gp3", "30Gi");
        }
        const after = await uids(ZK, "zookeeper");
        assert.equal(after.sts, before.sts, "the same StatefulSet");
        for (const [name, uid] of before.claims) {
            assert.equal(after.claims.get(name), uid, `${name}: the same claim`);
        }
        // The members' server list changed (5 members), so the template rolled the old pods; the grow itself deleted none (above).
        await expectStatefulSetLive(e2e().kube, ZK, "zookeeper", [
            { name: "data", size: "30Gi", storageClass: "dt-zk-gp3" },
            { name: "datalog", size: "10Gi", storageClass: "dt-zk-gp3" },
        ]);
        await pulumi(["preview", "--expect-no-changes", "-s", ZK], { cwd: project });
    });

    it("postgres-ebs podManagementPolicy OrderedReady → Parallel replaces the StatefulSet: the old one is deleted without its pod, the new one adopts the pod and the claim (same UIDs)", async () => {
        const { kube } = e2e();
        const replaced = projectCopy("day-two-parallel", { "stacks/postgres-ebs.ts": (text) => text.replace("replicas: 1,", 'podManagementPolicy: "Parallel",\n            replicas: 1,') });
        fs.copyFileSync(stackFile(PG, project), stackFile(PG, replaced));
        const before = await uids(PG, "postgres");
        const owner = await kube.must(paths.core(PG, "configmaps", "postgres-owner"));
        const live = await kube.must(paths.apps(PG, "statefulsets", "postgres"));
        assert.equal(live.metadata.annotations["pulumi.com/deletionPropagationPolicy"], "orphan");
        assert.deepEqual(live.metadata.ownerReferences.map((r: KubeObject) => [r.kind, r.name, r.uid]), [["ConfigMap", "postgres-owner", owner.metadata.uid]]);
        // 4.25 dry-runs the replacement's create against the live object of the same name, which the API server refuses.
        const { document } = await previewJson(PG, replaced, [255, 1]);
        assert.ok(errorsOf(document).some((m) => /Forbidden/.test(m)), JSON.stringify(errorsOf(document)));
        const started = Date.now();
        await pulumi(["up", "--yes", "--skip-preview", "-s", PG], { cwd: replaced });
        console.log(`      (replaced in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
        const after = await uids(PG, "postgres");
        assert.notEqual(after.sts, before.sts, "a new StatefulSet");
        assert.deepEqual(after.pods, before.pods, "the pod was not deleted: the new set adopted it");
        assert.deepEqual(after.claims, before.claims, "the same claims");
        const pod = await kube.must(paths.core(PG, "pods", "postgres-0"));
        assert.deepEqual(pod.metadata.ownerReferences.map((r: KubeObject) => [r.kind, r.uid, r.controller]), [["StatefulSet", after.sts, true]]);
        const set = await kube.must(paths.apps(PG, "statefulsets", "postgres"));
        assert.equal(set.spec.podManagementPolicy, "Parallel");
        assert.equal((await kube.must(paths.core(PG, "configmaps", "postgres-owner"))).metadata.uid, owner.metadata.uid, "the same owner");
        await expectStatefulSetLive(kube, PG, "postgres", [{ name: "data", size: "80Gi", storageClass: "dt-fast" }]);
        await pulumi(["preview", "--expect-no-changes", "-s", PG], { cwd: replaced });
        project = replaced;
    });

    it("take-over: a StatefulWorkload named like a Helm release (statefulSetName app-postgresql) adopts the claim a deleted foreign StatefulSet left (same UID, same volume)", async () => {
        const { kube } = e2e();
        await kube.create("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: TAKEOVER } });
        const selector = { "app.kubernetes.io/instance": "app", "app.kubernetes.io/name": "postgresql" };
        await kube.create(paths.apps(TAKEOVER, "statefulsets"), {
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: { labels: selector, name: "app-postgresql", namespace: TAKEOVER },
            spec: {
                replicas: 1,
                selector: { matchLabels: selector },
                serviceName: "app-postgresql-hl",
                template: {
                    metadata: { labels: selector },
                    spec: { containers: [{ image: "docker.io/bitnami/postgresql:16.4.0", name: "postgresql", volumeMounts: [{ mountPath: "/bitnami/postgresql", name: "data" }] }] },
                },
                volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Gi" } }, storageClassName: "dt-fast" } }],
            },
        });
        const claim = await kube.eventually("the foreign claim data-app-postgresql-0 to bind", async () => {
            const c = await kube.get(paths.core(TAKEOVER, "persistentvolumeclaims", "data-app-postgresql-0"));
            return c?.status?.phase === "Bound" ? c : undefined;
        });
        await kube.delete(paths.apps(TAKEOVER, "statefulsets", "app-postgresql"));
        await kube.eventually("the foreign StatefulSet and its pod to be gone", async () =>
            (await kube.get(paths.apps(TAKEOVER, "statefulsets", "app-postgresql"))) === undefined && (await kube.get(paths.core(TAKEOVER, "pods", "app-postgresql-0"))) === undefined ? true : undefined,
        );
        const cwd = projectCopy("day-two-takeover", { "stacks/postgres-ebs.ts": (text) => text.replace("replicas: 1,", 'replicas: 1,\n            statefulSetName: "app-postgresql",') });
        await stackUp(TAKEOVER, cwd, "postgres-ebs", {}, { dbPassword: DB_PASSWORD });
        const now = await expectClaimBound(kube, TAKEOVER, "data-app-postgresql-0", "dt-fast", "50Gi");
        assert.equal(now.metadata.uid, claim.metadata.uid, "the same claim");
        assert.equal(now.spec.volumeName, claim.spec.volumeName, "the same volume");
        await expectStatefulSetLive(kube, TAKEOVER, "app-postgresql", [{ name: "data", size: "50Gi", storageClass: "dt-fast" }]);
        await pulumi(["preview", "--expect-no-changes", "-s", TAKEOVER], { cwd });
    });

    it("pulumi destroy: the StatefulSets go with their pods (through the owner ConfigMap), the claims stay with their volumes", async () => {
        const { kube } = e2e();
        const targets: [string, string, string][] = [
            [PG, "postgres", project],
            [ZK, "zookeeper", projectCopy("day-two")],
            [TAKEOVER, "app-postgresql", projectCopy("day-two-takeover")],
        ];
        const before = new Map<string, Map<string, string>>();
        for (const [ns, sts] of targets) {
            before.set(ns, (await uids(ns, sts)).claims);
        }
        const started = Date.now();
        for (const [ns, , cwd] of targets) {
            await pulumi(["destroy", "--yes", "--skip-preview", "-s", ns], { cwd });
        }
        console.log(`      (${targets.length} stacks destroyed in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
        for (const [ns, sts] of targets) {
            await kube.eventually(`${ns}: the StatefulSet, its owner and its pods to be gone`, async () => {
                const left = (await pods(kube, ns)).filter((p) => p.metadata.name.startsWith(`${sts}-`));
                const set = await kube.get(paths.apps(ns, "statefulsets", sts));
                const owner = await kube.get(paths.core(ns, "configmaps", `${sts}-owner`));
                return left.length === 0 && set === undefined && owner === undefined ? true : undefined;
            });
            const claims = ((await kube.must(paths.core(ns, "persistentvolumeclaims"))).items as KubeObject[]).filter((c) => !c.metadata.deletionTimestamp);
            const now = new Map(claims.map((c) => [c.metadata.name as string, c.metadata.uid as string]));
            for (const [name, uid] of before.get(ns)!) {
                assert.equal(now.get(name), uid, `${ns}/${name} is kept`);
            }
        }
    });
});
