import * as assert from "assert";
import { assertSchemaValid } from "../support/pulumi";
import { assertNoSecretLeaks } from "../support/secrets";
import { objectOf, placeholder, renderStack, typeCounts } from "./stack-harness";

const STACK = "postgres-ebs";

describe("stack postgres-ebs", () => {
    it("puts the database on the fast gp3 class, with a KMS key and a snapshot class", async () => {
        const { rec, outputs } = await renderStack(STACK);
        assertSchemaValid(rec);
        const sts = objectOf(rec, "kubernetes:apps/v1:StatefulSet", "postgres");
        assert.deepStrictEqual(
            sts.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.storageClassName, t.spec.resources.requests.storage]),
            [["data", "postgres-fast", "50Gi"]],
        );
        const fast = objectOf(rec, "kubernetes:storage.k8s.io/v1:StorageClass", "postgres-fast");
        assert.strictEqual(fast.parameters.type, "gp3");
        assert.strictEqual(fast.parameters.iops, "6000");
        assert.strictEqual(fast.parameters.throughput, "250");
        assert.strictEqual(fast.parameters.kmsKeyId, outputs.kmsKeyArn);
        assert.match(outputs.kmsKeyArn, /^arn:aws:kms:/);
        assert.strictEqual(rec.get("aws:kms/key:Key", "postgres-fast-kms").inputs.enableKeyRotation, true);
        assert.strictEqual(objectOf(rec, "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass", "postgres-fast-snapshots").driver, "ebs.csi.aws.com");
        assert.strictEqual(outputs.volumeSnapshotClassName, "postgres-fast-snapshots");
        assert.deepStrictEqual(outputs.podDnsNames, ["postgres-0.postgres-headless.postgres-ebs.svc.cluster.local"]);
        assert.deepStrictEqual(outputs.claimNames, ["data-postgres-0"]);
    });

    it("writes pg_dump backups to a claim on the slow st1 class, kept on destroy", async () => {
        const { rec } = await renderStack(STACK);
        const slow = objectOf(rec, "kubernetes:storage.k8s.io/v1:StorageClass", "postgres-slow");
        assert.strictEqual(slow.parameters.type, "st1");
        const claim = rec.get("kubernetes:core/v1:PersistentVolumeClaim", "postgres-backups");
        assert.strictEqual(claim.inputs.spec.storageClassName, "postgres-slow");
        assert.strictEqual(claim.inputs.spec.resources.requests.storage, "125Gi");
        assert.strictEqual(claim.retainOnDelete, true);
        const job = objectOf(rec, "kubernetes:batch/v1:CronJob", "postgres-backup");
        const pod = job.spec.jobTemplate.spec.template.spec;
        assert.deepStrictEqual(pod.volumes, [{ name: "backups", persistentVolumeClaim: { claimName: "postgres-backups" } }]);
        assert.match(pod.containers[0].command[2], /^pg_dump --format=custom --file="\/backups\//);
        assert.deepStrictEqual(
            pod.containers[0].env.find((e: any) => e.name === "PGHOST"),
            { name: "PGHOST", value: "postgres.postgres-ebs.svc.cluster.local" },
        );
        assert.strictEqual(job.spec.concurrencyPolicy, "Forbid");
    });

    it("keeps the password in the Secret: referenced by the server and the backup, marked secret", async () => {
        const { rec } = await renderStack(STACK);
        const secret = rec.get("kubernetes:core/v1:Secret", "postgres-credentials");
        assert.deepStrictEqual(secret.secretPaths, ["stringData"]);
        assert.strictEqual(secret.inputs.stringData.password, placeholder(STACK, "dbPassword"));
        const ref = { valueFrom: { secretKeyRef: { key: "password", name: "postgres-credentials" } } };
        const container = objectOf(rec, "kubernetes:apps/v1:StatefulSet", "postgres").spec.template.spec.containers[0];
        assert.deepStrictEqual(container.env.find((e: any) => e.name === "POSTGRES_PASSWORD"), { name: "POSTGRES_PASSWORD", ...ref });
        const backup = objectOf(rec, "kubernetes:batch/v1:CronJob", "postgres-backup").spec.jobTemplate.spec.template.spec.containers[0];
        assert.deepStrictEqual(backup.env.find((e: any) => e.name === "PGPASSWORD"), { name: "PGPASSWORD", ...ref });
        assert.deepStrictEqual(container.readinessProbe.exec.command, ["pg_isready", "--host=127.0.0.1", "--username=postgres", "--dbname=app"]);
        assertNoSecretLeaks(rec, [placeholder(STACK, "dbPassword")]);
    });

    it("outside local mode keeps the KMS key through pulumi destroy, and leaves the classes disposable", async () => {
        const { rec } = await renderStack(STACK, { localMode: false });
        const key = rec.get("aws:kms/key:Key", "postgres-fast-kms");
        assert.deepStrictEqual([key.retainOnDelete, key.protect], [true, false]);
        const disposable = [
            rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "postgres-fast"),
            rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "postgres-slow"),
            rec.get("kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass", "postgres-fast-snapshots"),
        ];
        assert.deepStrictEqual(disposable.map((r) => [r.name, r.retainOnDelete, r.protect]), [
            ["postgres-fast", false, false],
            ["postgres-slow", false, false],
            ["postgres-fast-snapshots", false, false],
        ]);
    });

    it("in local mode creates no AWS resource and no snapshot class, and still awaits readiness", async () => {
        const { rec, outputs } = await renderStack(STACK, { localMode: true });
        assertSchemaValid(rec);
        assert.deepStrictEqual(rec.resources.filter((r) => r.type.startsWith("aws:")), []);
        assert.deepStrictEqual(rec.ofType("kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass"), []);
        assert.strictEqual(outputs.kmsKeyArn, null);
        assert.strictEqual(objectOf(rec, "kubernetes:apps/v1:StatefulSet", "postgres").metadata.annotations?.["pulumi.com/skipAwait"], undefined);
        assert.deepStrictEqual(typeCounts(rec)["kubernetes:storage.k8s.io/v1:StorageClass"], 2);
    });

    it("refuses a backup claim smaller than an st1 volume can be", async () => {
        await assert.rejects(
            renderStack(STACK, { backupSize: "100Gi" }),
            { message: 'stack config "stateful-stacks:backupSize" must be at least 125Gi: st1 volumes are 125–16384 GiB (got "100Gi")' },
        );
    });

    it("takes the password through the workload's secretEnv, sorted among the literal variables", async () => {
        const { rec } = await renderStack(STACK);
        const container = objectOf(rec, "kubernetes:apps/v1:StatefulSet", "postgres").spec.template.spec.containers[0];
        assert.deepStrictEqual(
            container.env.map((e: any) => e.name),
            ["POD_NAME", "POD_NAMESPACE", "PGDATA", "POSTGRES_DB", "POSTGRES_PASSWORD", "POSTGRES_USER"],
        );
        assert.ok(rec.get("stateful-stacks:workload:StatefulWorkload", "postgres").dependsOn.includes(rec.get("kubernetes:core/v1:Secret", "postgres-credentials").urn));
    });

    it("with skipAwait annotates the workload and the stack's own objects, not the StorageClasses", async () => {
        const { rec } = await renderStack(STACK, { localMode: true, skipAwait: true });
        const skip = (type: string, name: string) => objectOf(rec, type, name).metadata.annotations?.["pulumi.com/skipAwait"];
        assert.strictEqual(skip("kubernetes:core/v1:Service", "postgres-headless"), "true");
        assert.strictEqual(skip("kubernetes:core/v1:Service", "postgres"), "true");
        assert.strictEqual(skip("kubernetes:core/v1:Secret", "postgres-credentials"), "true");
        assert.strictEqual(skip("kubernetes:core/v1:PersistentVolumeClaim", "postgres-backups"), "true");
        assert.strictEqual(skip("kubernetes:batch/v1:CronJob", "postgres-backup"), "true");
        assert.strictEqual(skip("kubernetes:storage.k8s.io/v1:StorageClass", "postgres-fast"), undefined);
        const { rec: remote } = await renderStack(STACK);
        assert.deepStrictEqual(
            // The workload's claim patches never wait: they apply before the StatefulSet whose pods bind the claims.
            remote.resources.filter((r) => r.type !== "kubernetes:core/v1:PersistentVolumeClaimPatch" && JSON.stringify(r.inputs).includes("pulumi.com/skipAwait")).map((r) => r.name),
            [],
        );
    });
});
