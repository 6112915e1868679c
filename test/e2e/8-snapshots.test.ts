import { strict as assert } from "assert";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { e2e, pulumi, stackFile } from "./support/context";
import { KubeObject, paths } from "./support/kube";
import { run } from "./support/run";
import { configArgs, deploy } from "./support/stacks";

/**
 * Scheduled VolumeSnapshots and restoreFrom on postgres-ebs, against the real API server,
 * the real snapshot-controller (external-snapshotter v8.7.0) and real RBAC and admission;
 * provisioner.js plays the CSI snapshotter sidecar and the EBS driver. kwok runs no
 * containers, so the snapshot job is triggered by hand (a Job from the CronJob's
 * jobTemplate, as `kubectl create job --from=cronjob/…` makes it) and its script runs here
 * with `sh` and `curl`, with a token of the job's ServiceAccount.
 */

const STACK = "postgres-ebs";
const NS = "postgres-ebs";
const JOB = "postgres-snapshots";
const CLAIM = "data-postgres-0";
const KEEP = 2;
const SNAPSHOTS = `/apis/snapshot.storage.k8s.io/v1/namespaces/${NS}/volumesnapshots`;
const CONTENTS = "/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents";
const OF = "stateful-stacks.io/snapshot-of";

/** A request with the job's ServiceAccount token, as the job makes it. */
function asJob(token: string, method: string, urlPath: string, body?: KubeObject): Promise<{ status: number; body: string }> {
    const { cluster } = e2e();
    const server = new URL(cluster.STATEFUL_STACKS_APISERVER);
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
        const request = https.request(
            {
                ca: fs.readFileSync(path.join(cluster.STATEFUL_STACKS_CLUSTER_DIR, "pki", "ca.crt")),
                headers: { accept: "application/json", authorization: `Bearer ${token}`, ...(data ? { "content-length": Buffer.byteLength(data), "content-type": method === "PATCH" ? "application/merge-patch+json" : "application/json" } : {}) },
                hostname: server.hostname,
                method,
                path: urlPath,
                port: server.port,
                timeout: 15_000,
            },
            (response) => {
                const chunks: Buffer[] = [];
                response.on("data", (c: Buffer) => chunks.push(c));
                response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
            },
        );
        request.on("error", reject);
        if (data) {
            request.write(data);
        }
        request.end();
    });
}

/** The workload's scheduled snapshots of one claim, oldest first. */
async function snapshotsOf(claim: string): Promise<KubeObject[]> {
    const list = await e2e().kube.must(`${SNAPSHOTS}?labelSelector=${encodeURIComponent(`${OF}=postgres`)}`);
    return (list.items as KubeObject[]).filter((s) => s.spec.source.persistentVolumeClaimName === claim).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

describe("e2e: scheduled VolumeSnapshots and restoreFrom (postgres-ebs)", function () {
    let configBefore: string;
    let token: string;
    let jobEnv: Record<string, string>;
    let script: string;
    let saDir: string;
    const taken: string[] = [];

    before(async function () {
        await deploy(STACK);
        configBefore = fs.readFileSync(stackFile(STACK), "utf8");
        await pulumi(["config", "set-all", "-s", STACK, ...configArgs({ snapshotClass: "true", snapshotKeep: String(KEEP), snapshotSchedule: "0 1 * * *" })]);
        const started = Date.now();
        await pulumi(["up", "--yes", "--skip-preview", "-s", STACK]);
        console.log(`      (snapshots switched on by pulumi up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    });

    after(async function () {
        const { kube } = e2e();
        await kube.delete(`${SNAPSHOTS}/e2e-unlabelled`);
        if (saDir) {
            fs.rmSync(saDir, { force: true, recursive: true });
        }
        if (configBefore !== undefined) {
            // Back to the stack's own config; the restored claim is kept (retainOnDelete).
            fs.writeFileSync(stackFile(STACK), configBefore);
            await pulumi(["up", "--yes", "--skip-preview", "-s", STACK]);
            const claim = await kube.must(paths.core(NS, "persistentvolumeclaims", CLAIM));
            assert.equal(claim.metadata.deletionTimestamp, undefined, "the restored claim outlives restoreFrom");
            assert.equal(await kube.get(paths.batch(NS, "cronjobs", JOB)), undefined, "the snapshot CronJob is gone with snapshotSchedule");
        }
    });

    it("the CronJob, its ServiceAccount, Role, RoleBinding and admission policy are live, and the VolumeSnapshotClass exists", async () => {
        const { kube } = e2e();
        const cron = await kube.must(paths.batch(NS, "cronjobs", JOB));
        assert.equal(cron.spec.schedule, "0 1 * * *");
        const pod = cron.spec.jobTemplate.spec.template.spec;
        assert.equal(pod.serviceAccountName, JOB);
        assert.equal(pod.containers[0].image, "curlimages/curl:8.11.1");
        assert.deepEqual(pod.securityContext.runAsNonRoot, true);
        assert.deepEqual(pod.containers[0].securityContext.capabilities, { drop: ["ALL"] });
        await kube.must(paths.core(NS, "serviceaccounts", JOB));
        const role = await kube.must(`/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/roles/${JOB}`);
        assert.deepEqual(role.rules, [
            { apiGroups: [""], resourceNames: [CLAIM], resources: ["persistentvolumeclaims"], verbs: ["get"] },
            { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshots"], verbs: ["create", "delete", "get", "list"] },
        ]);
        const binding = await kube.must(`/apis/rbac.authorization.k8s.io/v1/namespaces/${NS}/rolebindings/${JOB}`);
        assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: JOB, namespace: NS }]);
        const policy = await kube.must(`/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${JOB}.${NS}.stateful-stacks.io`);
        assert.equal(policy.spec.validations.length, 3);
        // The API server compiled the CEL: no type-checking warnings on the policy.
        assert.deepEqual(policy.status?.typeChecking?.expressionWarnings ?? [], []);
        await kube.must(`/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/${JOB}.${NS}.stateful-stacks.io`);
        await kube.must("/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses/postgres-fast-snapshots");
    });

    it("a Job triggered from the CronJob, its script run with the ServiceAccount's token, snapshots every claim (readyToUse) and keeps only `keep` per claim", async () => {
        const { kube, cluster } = e2e();
        const cron = await kube.must(paths.batch(NS, "cronjobs", JOB));
        // What `kubectl create job --from=cronjob/postgres-snapshots` sends.
        const job = await kube.create(paths.batch(NS, "jobs"), {
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: {
                annotations: { "cronjob.kubernetes.io/instantiate": "manual" },
                labels: cron.spec.jobTemplate.metadata?.labels,
                name: `${JOB}-manual`,
                ownerReferences: [{ apiVersion: "batch/v1", blockOwnerDeletion: true, controller: true, kind: "CronJob", name: JOB, uid: cron.metadata.uid }],
            },
            spec: cron.spec.jobTemplate.spec,
        });
        const container = job.spec.template.spec.containers[0];
        assert.deepEqual(container.command.slice(0, 2), ["sh", "-c"]);
        script = container.command[2];
        jobEnv = Object.fromEntries((container.env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
        assert.deepEqual(jobEnv, { KEEP: String(KEEP), READY_TIMEOUT: "900", REPLICAS: "1", SNAPSHOT_CLASS: "postgres-fast-snapshots", STATEFUL_SET: "postgres", VOLUMES: "data" });
        // The job's pod exists (kwok runs no container): its ServiceAccount and token mount.
        const jobPod = await kube.eventually("the job's pod", async () => ((await kube.must(`${paths.core(NS, "pods")}?labelSelector=job-name%3D${JOB}-manual`)).items as KubeObject[])[0]);
        assert.equal(jobPod.spec.serviceAccountName, JOB);

        // The token the pod would get: a bound ServiceAccount token (TokenRequest).
        const request = await kube.create(paths.core(NS, "serviceaccounts", `${JOB}/token`), { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 3600 } });
        token = request.status.token;
        saDir = fs.mkdtempSync(path.join(os.tmpdir(), "stateful-stacks-sa-"));
        fs.writeFileSync(path.join(saDir, "token"), token, { mode: 0o600 });
        fs.copyFileSync(path.join(cluster.STATEFUL_STACKS_CLUSTER_DIR, "pki", "ca.crt"), path.join(saDir, "ca.crt"));
        fs.writeFileSync(path.join(saDir, "namespace"), NS);

        const runs: number[] = [];
        for (let i = 0; i < KEEP + 1; i++) {
            if (i > 0) {
                await new Promise((r) => setTimeout(r, 1100)); // names carry the second
            }
            const started = Date.now();
            const result = await run("sh", ["-c", script], {
                env: { ...jobEnv, KUBERNETES_API: cluster.STATEFUL_STACKS_APISERVER, PATH: process.env.PATH, SERVICE_ACCOUNT_DIR: saDir },
                timeoutMs: 180_000,
            });
            runs.push(Date.now() - started);
            assert.equal(result.code, 0, `run ${i + 1} of the script failed:\n${result.stdout}\n${result.stderr}`);
            const created = /^created (\S+)$/m.exec(result.stdout)?.[1];
            assert.ok(created, `run ${i + 1} created no snapshot:\n${result.stdout}`);
            assert.match(result.stdout, new RegExp(`^ready ${created}$`, "m"));
            if (i === KEEP) {
                assert.match(result.stdout, new RegExp(`^deleted ${taken[0]}$`, "m"), "the run beyond keep deletes the oldest");
            }
            taken.push(created);
        }
        console.log(`      (script runs: ${runs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(", ")})`);
        // The last run deleted the oldest; the snapshot-controller then removes its finalizers.
        const kept = await kube.eventually("only the newest `keep` snapshots left", async () => {
            const left = (await snapshotsOf(CLAIM)).filter((s) => !s.metadata.deletionTimestamp);
            return left.length === KEEP ? left : undefined;
        }, 60_000);
        assert.deepEqual(kept.map((s) => s.metadata.name), taken.slice(-KEEP), "the newest `keep` snapshots are kept, the oldest deleted");
        for (const snapshot of kept) {
            assert.match(snapshot.metadata.name, /^data-postgres-0-\d{14}$/);
            assert.deepEqual(
                [snapshot.metadata.labels[OF], snapshot.metadata.labels["stateful-stacks.io/snapshot-volume"], snapshot.metadata.labels["stateful-stacks.io/snapshot-ordinal"]],
                ["postgres", "data", "0"],
            );
            assert.equal(snapshot.spec.volumeSnapshotClassName, "postgres-fast-snapshots");
            assert.equal(snapshot.status.readyToUse, true);
            const content = await kube.must(`${CONTENTS}/${snapshot.status.boundVolumeSnapshotContentName}`);
            assert.match(content.status.snapshotHandle, /^snap-[0-9a-f]{17}$/);
            assert.equal(content.spec.driver, "ebs.csi.aws.com");
            assert.equal(snapshot.status.restoreSize, "50Gi");
        }
        await kube.eventually("the pruned snapshot to be gone", async () => ((await kube.get(`${SNAPSHOTS}/${taken[0]}`)) === undefined ? true : undefined), 60_000);
        // deletionPolicy Retain (the EbsStorageClass default): the cloud snapshot of the pruned object stays.
        const contents = (await kube.must(CONTENTS)).items as KubeObject[];
        const pruned = contents.find((c) => c.spec.volumeSnapshotRef?.name === taken[0]);
        assert.ok(pruned, "the VolumeSnapshotContent of the pruned snapshot is kept (deletionPolicy Retain)");
        assert.equal(pruned.spec.deletionPolicy, "Retain");
    });

    it("the ServiceAccount can do nothing more: no Secrets, no other claims, no snapshot it would not label, no delete or change of a snapshot it did not label", async () => {
        const { kube } = e2e();
        assert.ok(token, "the previous case made a token");
        const unlabelled = await kube.create(SNAPSHOTS, {
            apiVersion: "snapshot.storage.k8s.io/v1",
            kind: "VolumeSnapshot",
            metadata: { name: "e2e-unlabelled" },
            spec: { source: { persistentVolumeClaimName: CLAIM }, volumeSnapshotClassName: "postgres-fast-snapshots" },
        });
        const snapshot = (name: string, claim: string, labels: Record<string, string>) => ({
            apiVersion: "snapshot.storage.k8s.io/v1",
            kind: "VolumeSnapshot",
            metadata: { labels, name },
            spec: { source: { persistentVolumeClaimName: claim }, volumeSnapshotClassName: "postgres-fast-snapshots" },
        });
        const own = { [OF]: "postgres", "stateful-stacks.io/snapshot-ordinal": "0", "stateful-stacks.io/snapshot-volume": "data" };
        const refused: [string, Promise<{ status: number; body: string }>, RegExp][] = [
            ["list Secrets", asJob(token, "GET", paths.core(NS, "secrets")), /cannot list resource \\?"secrets\\?"/],
            ["read the database Secret", asJob(token, "GET", paths.core(NS, "secrets", "postgres-credentials")), /cannot get resource \\?"secrets\\?"/],
            ["read another claim", asJob(token, "GET", paths.core(NS, "persistentvolumeclaims", "postgres-backups")), /cannot get resource \\?"persistentvolumeclaims\\?"/],
            ["list claims", asJob(token, "GET", paths.core(NS, "persistentvolumeclaims")), /cannot list resource \\?"persistentvolumeclaims\\?"/],
            ["delete a snapshot it did not label", asJob(token, "DELETE", `${SNAPSHOTS}/e2e-unlabelled`), /may only delete VolumeSnapshots labelled stateful-stacks.io\/snapshot-of=postgres/],
            ["create an unlabelled snapshot", asJob(token, "POST", SNAPSHOTS, snapshot("e2e-by-job-unlabelled", CLAIM, {})), /may only create VolumeSnapshots labelled stateful-stacks.io\/snapshot-of=postgres of its own claims/],
            ["snapshot another claim", asJob(token, "POST", SNAPSHOTS, snapshot("e2e-by-job-backups", "postgres-backups", own)), /may only create VolumeSnapshots labelled stateful-stacks.io\/snapshot-of=postgres of its own claims/],
            ["change a snapshot", asJob(token, "PATCH", `${SNAPSHOTS}/${taken[taken.length - 1]}`, { metadata: { labels: { x: "y" } } }), /cannot patch resource \\?"volumesnapshots\\?"/],
            ["delete every snapshot at once", asJob(token, "DELETE", SNAPSHOTS), /cannot deletecollection resource \\?"volumesnapshots\\?"/],
            ["create a Job", asJob(token, "POST", paths.batch(NS, "jobs"), { apiVersion: "batch/v1", kind: "Job", metadata: { name: "x" } }), /cannot create resource \\?"jobs\\?"/],
        ];
        for (const [what, response, reason] of refused) {
            const { status, body } = await response;
            assert.equal(status, 403, `${what}: HTTP ${status} ${body}`);
            assert.match(body, reason, what);
        }
        const still = await kube.must(`${SNAPSHOTS}/e2e-unlabelled`);
        assert.equal(still.metadata.uid, unlabelled.metadata.uid, "the unlabelled snapshot is untouched");
        assert.equal(await kube.get(`${SNAPSHOTS}/e2e-by-job-backups`), undefined);
    });

    it("restoreSnapshots after a loss: data-postgres-0 is created from the snapshot before the StatefulSet, Bound to a volume provisioned from it, and the pod uses it", async function () {
        const { kube } = e2e();
        const source = taken[taken.length - 1];
        assert.ok(source, "a snapshot was taken");
        const snapshot = await kube.must(`${SNAPSHOTS}/${source}`);
        const content = await kube.must(`${CONTENTS}/${snapshot.status.boundVolumeSnapshotContentName}`);
        const lost = await kube.must(paths.core(NS, "persistentvolumeclaims", CLAIM));

        await pulumi(["destroy", "--yes", "--skip-preview", "-s", STACK]);
        // The loss: the claim is deleted (its Retain volume stays Released).
        await kube.delete(paths.core(NS, "persistentvolumeclaims", CLAIM));
        await kube.eventually(`${CLAIM} to be deleted`, async () => ((await kube.get(paths.core(NS, "persistentvolumeclaims", CLAIM))) === undefined ? true : undefined), 60_000);

        await pulumi(["config", "set-all", "-s", STACK, ...configArgs({ restoreSnapshots: source })]);
        const started = Date.now();
        await pulumi(["up", "--yes", "--skip-preview", "-s", STACK]);
        console.log(`      (restored by pulumi up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);

        const claim = await kube.eventually(`${CLAIM} Bound`, async () => {
            const c = await kube.must(paths.core(NS, "persistentvolumeclaims", CLAIM));
            return c.status?.phase === "Bound" ? c : undefined;
        });
        assert.notEqual(claim.metadata.uid, lost.metadata.uid, "a new claim");
        assert.deepEqual(claim.spec.dataSourceRef, { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: source });
        assert.equal(claim.metadata.annotations["stateful-stacks.io/restored-from"], `VolumeSnapshot/${source}`);
        assert.equal(claim.spec.resources.requests.storage, "50Gi");
        assert.equal(claim.spec.storageClassName, "postgres-fast");
        const pv = await kube.must(paths.pv(claim.spec.volumeName));
        assert.equal(pv.metadata.annotations["stateful-stacks.io/e2e-restored-from"], `snapshot/${content.status.snapshotHandle}`);
        assert.notEqual(claim.spec.volumeName, lost.spec.volumeName);
        // The claim was there before the StatefulSet: created earlier, and not owned by it.
        const sts = await kube.must(paths.apps(NS, "statefulsets", "postgres"));
        assert.ok(Date.parse(claim.metadata.creationTimestamp) <= Date.parse(sts.metadata.creationTimestamp), "the claim predates the StatefulSet");
        const pod = await kube.eventually("postgres-0 Ready", async () => {
            const p = await kube.get(paths.core(NS, "pods", "postgres-0"));
            return p?.status?.conditions?.some((c: KubeObject) => c.type === "Ready" && c.status === "True") ? p : undefined;
        });
        assert.deepEqual(
            (pod.spec.volumes as KubeObject[]).filter((v) => v.persistentVolumeClaim).map((v) => v.persistentVolumeClaim.claimName),
            [CLAIM],
        );
        // Nothing left to do: the engine sees no difference (dataSourceRef is not diffed after creation).
        await pulumi(["preview", "--expect-no-changes", "-s", STACK]);
    });
});
