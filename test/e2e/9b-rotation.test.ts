import { strict as assert } from "assert";
import { evaluateGate, parsePreview, PreviewDocument } from "../../tools/gate";
import { e2e, pulumi, stackFile } from "./support/context";
import { KubeObject, paths } from "./support/kube";
import { operations } from "./support/preview";
import { backendText, configArgs, DB_PASSWORD, deploy } from "./support/stacks";
import * as fs from "fs";

/**
 * postgres-ebs password rotation on the real engine: with `dbPreviousPassword` set, a new
 * `dbPassword` previews as the credentials Secret replaced and the rotation Secret and Job
 * created, nothing else (the gate passes); `pulumi up` runs the Job before anything waits on
 * it; a second rotation replaces the Job (`replaceWith`), an unchanged config replaces
 * nothing; unsetting `dbPreviousPassword` deletes both. kwok runs no containers: its
 * pod-complete stage marks the Job's pod Succeeded (simulated at the edge), so what runs the
 * SQL is proven by `npm run test:postgres`, and this file proves what the engine and the
 * provider do with the objects. The stack is put back to its first config at the end.
 */

const STACK = "postgres-ebs";
const NAMESPACE = "postgres-ebs";
const SECOND = "e2e-Rotated-Pw-1a2b3c4d";
const THIRD = "e2e-Rotated-Pw-5e6f7a8b";

async function preview(): Promise<{ raw: string; document: PreviewDocument }> {
    const raw = (await pulumi(["preview", "--json", "-s", STACK])).stdout;
    return { document: JSON.parse(raw) as PreviewDocument, raw };
}

async function setSecrets(secrets: Readonly<Record<string, string>>): Promise<void> {
    await pulumi(["config", "set-all", "-s", STACK, ...configArgs({}, secrets)]);
}

async function job(): Promise<KubeObject | undefined> {
    return e2e().kube.get(paths.batch(NAMESPACE, "jobs", "postgres-password-rotation"));
}

describe("e2e: postgres-ebs password rotation (dbPreviousPassword → a Job with ALTER ROLE)", function () {
    let original: string;
    let statefulSetUid: string;

    before(async function () {
        await deploy(STACK);
        original = fs.readFileSync(stackFile(STACK), "utf8");
        statefulSetUid = (await e2e().kube.must(paths.apps(NAMESPACE, "statefulsets", "postgres"))).metadata.uid;
    });

    after(async function () {
        // Back to the first config, and the cluster with it, for whatever runs next.
        fs.writeFileSync(stackFile(STACK), original);
        await pulumi(["up", "--yes", "--skip-preview", "-s", STACK]);
    });

    it("previews the credentials Secret replaced and the rotation Secret and Job created, nothing else; the gate passes", async () => {
        await setSecrets({ dbPassword: SECOND, dbPreviousPassword: DB_PASSWORD });
        const { raw, document } = await preview();
        assert.ok(![DB_PASSWORD, SECOND].some((p) => raw.includes(p)), "a password appears in plain text in the preview");
        assert.deepEqual(operations(document), {
            "kubernetes:batch/v1:Job::postgres-password-rotation": "create",
            "kubernetes:core/v1:Secret::postgres-credentials": "replace",
            "kubernetes:core/v1:Secret::postgres-password-rotation": "create",
        });
        assert.equal(evaluateGate(parsePreview(raw)).blocked, false);
    });

    it("pulumi up creates the Job after the new Secret, with both passwords only as Secret references; the StatefulSet stays", async () => {
        await pulumi(["up", "--yes", "--skip-preview", "-s", STACK]);
        const { kube } = e2e();
        const live = await job();
        assert.ok(live, "the rotation Job exists");
        assert.equal(live.status.succeeded, 1, "the Job completed (kwok's pod-complete stage)");
        const credentials = await kube.must(paths.core(NAMESPACE, "secrets", "postgres-credentials"));
        assert.equal(Buffer.from(credentials.data.password, "base64").toString("utf8"), SECOND);
        const rotation = await kube.must(paths.core(NAMESPACE, "secrets", "postgres-password-rotation"));
        assert.equal(Buffer.from(rotation.data["previous-password"], "base64").toString("utf8"), DB_PASSWORD);
        assert.ok(Date.parse(live.metadata.creationTimestamp) >= Date.parse(credentials.metadata.creationTimestamp), "the Job was created after the new Secret");
        const [container] = live.spec.template.spec.containers;
        assert.deepEqual(
            container.env.filter((e: KubeObject) => e.name.includes("PASSWORD")),
            [
                { name: "NEW_PASSWORD", valueFrom: { secretKeyRef: { key: "password", name: "postgres-credentials" } } },
                { name: "PREVIOUS_PASSWORD", valueFrom: { secretKeyRef: { key: "previous-password", name: "postgres-password-rotation" } } },
            ],
        );
        assert.ok(!JSON.stringify(live).includes(SECOND) && !JSON.stringify(live).includes(DB_PASSWORD), "a password is in the Job object");
        assert.equal((await kube.must(paths.apps(NAMESPACE, "statefulsets", "postgres"))).metadata.uid, statefulSetUid, "the StatefulSet is the same");
    });

    it("an unchanged config previews no change: the Job is not run again", async () => {
        await pulumi(["preview", "--expect-no-changes", "-s", STACK]);
    });

    it("another new password replaces the Job (replaceWith the Secret), so it runs again", async () => {
        const before = (await job())!.metadata.uid;
        await setSecrets({ dbPassword: THIRD, dbPreviousPassword: SECOND });
        const { document } = await preview();
        assert.deepEqual(operations(document), {
            "kubernetes:batch/v1:Job::postgres-password-rotation": "replace",
            "kubernetes:core/v1:Secret::postgres-credentials": "replace",
            "kubernetes:core/v1:Secret::postgres-password-rotation": "replace",
        });
        await pulumi(["up", "--yes", "--skip-preview", "-s", STACK]);
        const after = await job();
        assert.ok(after && after.metadata.uid !== before, "a new Job");
        assert.equal(after.status.succeeded, 1);
    });

    it("unsetting dbPreviousPassword deletes the rotation Secret and Job; the old password is stored nowhere", async () => {
        await pulumi(["config", "rm", "-s", STACK, "stateful-stacks:dbPreviousPassword"]);
        const { document } = await preview();
        assert.deepEqual(operations(document), {
            "kubernetes:batch/v1:Job::postgres-password-rotation": "delete",
            "kubernetes:core/v1:Secret::postgres-password-rotation": "delete",
        });
        await pulumi(["up", "--yes", "--skip-preview", "-s", STACK]);
        const { kube } = e2e();
        await kube.eventually("the rotation Job to be gone", async () => ((await job()) === undefined ? true : undefined), 60_000);
        assert.equal(await kube.get(paths.core(NAMESPACE, "secrets", "postgres-password-rotation")), undefined);
        assert.equal((await kube.must(paths.apps(NAMESPACE, "statefulsets", "postgres"))).metadata.uid, statefulSetUid, "the StatefulSet is the same");
    });

    it("no password of the rotation is in plain text in the backend's files (state, history, backups)", () => {
        const text = backendText();
        for (const password of [DB_PASSWORD, SECOND, THIRD]) {
            assert.ok(!text.includes(password), "a password appears in plain text in the backend");
        }
    });
});
