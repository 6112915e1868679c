import * as assert from "assert";
import { assertSchemaValid } from "../support/pulumi";
import { assertNoSecretLeaks } from "../support/secrets";
import * as k8s from "@pulumi/kubernetes";
import { PASSWORD_ROTATION_SCRIPT, passwordRotationJobOptions } from "../../stacks/postgres-password-rotation";
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
        // IOPS and throughput come from the VolumeAttributesClass, so a change retunes in place.
        assert.strictEqual(fast.parameters.iops, undefined);
        assert.strictEqual(fast.parameters.throughput, undefined);
        assert.deepStrictEqual(objectOf(rec, "kubernetes:storage.k8s.io/v1:VolumeAttributesClassPatch", "postgres-fast-performance-gp3-6000iops-250mibps"), {
            apiVersion: "storage.k8s.io/v1",
            driverName: "ebs.csi.aws.com",
            kind: "VolumeAttributesClass",
            metadata: { labels: { "app.kubernetes.io/managed-by": "stateful-stacks" }, name: "postgres-fast-gp3-6000iops-250mibps" },
            parameters: { iops: "6000", throughput: "250", type: "gp3" },
        });
        assert.deepStrictEqual(
            sts.spec.volumeClaimTemplates.map((t: any) => t.spec.volumeAttributesClassName),
            ["postgres-fast-gp3-6000iops-250mibps"],
        );
        assert.strictEqual(outputs.fastVolumeAttributesClassName, "postgres-fast-gp3-6000iops-250mibps");
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

    it("pulumi destroy deletes the StatefulSet, so its pods go, and keeps everything that holds data", async () => {
        const { rec } = await renderStack(STACK, { localMode: false });
        const custom = rec.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        const byFate = (kept: boolean) => custom.filter((r) => r.retainOnDelete === kept).map((r) => `${r.type}::${r.name}`).sort();
        assert.deepStrictEqual(byFate(true), [
            "aws:kms/key:Key::postgres-fast-kms",
            "kubernetes:core/v1:Namespace::postgres-ebs",
            "kubernetes:core/v1:PersistentVolumeClaim::postgres-backups",
            "kubernetes:core/v1:PersistentVolumeClaimPatch::postgres-data-0",
            "kubernetes:storage.k8s.io/v1:VolumeAttributesClassPatch::postgres-fast-performance-gp3-6000iops-250mibps",
        ]);
        assert.deepStrictEqual(byFate(false), [
            "kubernetes:apps/v1:StatefulSet::postgres",
            "kubernetes:batch/v1:CronJob::postgres-backup",
            "kubernetes:core/v1:ConfigMap::postgres-owner",
            "kubernetes:core/v1:Secret::postgres-credentials",
            "kubernetes:core/v1:Service::postgres",
            "kubernetes:core/v1:Service::postgres-headless",
            "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass::postgres-fast-snapshots",
            "kubernetes:storage.k8s.io/v1:StorageClass::postgres-fast",
            "kubernetes:storage.k8s.io/v1:StorageClass::postgres-slow",
        ]);
        // The database's claim is made by its claim patch (server-side apply, kept on delete) or
        // the StatefulSet controller, and by the retention policy outlives the set; the set
        // itself goes with its pod owner (ConfigMap postgres-owner), and its pods with it.
        assert.deepStrictEqual(objectOf(rec, "kubernetes:apps/v1:StatefulSet", "postgres").spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
        assert.deepStrictEqual(custom.filter((r) => r.protect).map((r) => r.name), []);
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

    it("takes VolumeSnapshots of the database claims on a schedule when snapshotSchedule is set (off by default)", async () => {
        const off = await renderStack(STACK);
        assert.deepStrictEqual(off.rec.resources.filter((r) => r.name === "postgres-snapshots"), []);
        assert.strictEqual(off.outputs.snapshotCronJobName, null);
        const { rec, outputs } = await renderStack(STACK, { snapshotKeep: 4, snapshotSchedule: "0 1 * * *" });
        assertSchemaValid(rec);
        const job = objectOf(rec, "kubernetes:batch/v1:CronJob", "postgres-snapshots");
        assert.strictEqual(job.spec.schedule, "0 1 * * *");
        const env = job.spec.jobTemplate.spec.template.spec.containers[0].env;
        assert.deepStrictEqual(env.filter((e: any) => ["KEEP", "SNAPSHOT_CLASS", "VOLUMES"].includes(e.name)), [
            { name: "KEEP", value: "4" },
            { name: "SNAPSHOT_CLASS", value: "postgres-fast-snapshots" },
            { name: "VOLUMES", value: "data" },
        ]);
        assert.deepStrictEqual(objectOf(rec, "kubernetes:rbac.authorization.k8s.io/v1:Role", "postgres-snapshots").rules[0].resourceNames, ["data-postgres-0"]);
        assert.strictEqual(outputs.snapshotCronJobName, "postgres-snapshots");
        await assert.rejects(renderStack(STACK, { localMode: true, snapshotSchedule: "0 1 * * *" }), {
            message: 'stack config "stateful-stacks:snapshotSchedule" needs the VolumeSnapshotClass: set "stateful-stacks:snapshotClass" to true',
        });
    });

    it("creates the database claim from a VolumeSnapshot with restoreSnapshots, before the StatefulSet, kept on destroy", async () => {
        const { rec } = await renderStack(STACK, { restoreSnapshots: "data-postgres-0-20260101010000" });
        assertSchemaValid(rec);
        const claim = rec.get("kubernetes:core/v1:PersistentVolumeClaim", "postgres-restore-data-0");
        assert.deepStrictEqual(claim.inputs.spec, {
            accessModes: ["ReadWriteOnce"],
            dataSourceRef: { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: "data-postgres-0-20260101010000" },
            resources: { requests: { storage: "50Gi" } },
            storageClassName: "postgres-fast",
            volumeAttributesClassName: "postgres-fast-gp3-6000iops-250mibps",
        });
        assert.strictEqual(claim.inputs.metadata.name, "data-postgres-0");
        assert.strictEqual(claim.retainOnDelete, true);
        assert.ok(rec.get("kubernetes:apps/v1:StatefulSet", "postgres").dependsOn.includes(claim.urn));
        await assert.rejects(renderStack(STACK, { restoreSnapshots: "a,b" }), /restoreFrom\[0\]\.snapshots: must have one name per ordinal: 1 \(replicas\) \(got \["a","b"\]\)/);
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

    describe("password rotation (dbPreviousPassword)", () => {
        const PREVIOUS = "planted-previous-password";
        const LABELS = (name: string, component: string) => ({
            "app.kubernetes.io/component": component,
            "app.kubernetes.io/instance": name,
            "app.kubernetes.io/managed-by": "stateful-stacks",
            "app.kubernetes.io/name": name,
        });

        it("creates no rotation Secret or Job unless the previous password is set", async () => {
            const { rec } = await renderStack(STACK);
            assert.deepStrictEqual(rec.resources.filter((r) => r.name === "postgres-password-rotation"), []);
        });

        it("runs a Job that logs in with the previous password and sets the new one, both from Secrets", async () => {
            const { rec } = await renderStack(STACK, { dbPreviousPassword: PREVIOUS });
            assertSchemaValid(rec);
            const secret = rec.get("kubernetes:core/v1:Secret", "postgres-password-rotation");
            assert.deepStrictEqual(secret.inputs, {
                apiVersion: "v1",
                kind: "Secret",
                metadata: { labels: LABELS("postgres-password-rotation", "credentials"), name: "postgres-password-rotation", namespace: "postgres-ebs" },
                stringData: { "previous-password": PREVIOUS },
                type: "Opaque",
            });
            assert.deepStrictEqual(secret.secretPaths, ["stringData"]);
            const job = rec.get("kubernetes:batch/v1:Job", "postgres-password-rotation");
            const labels = LABELS("postgres-password-rotation", "password-rotation");
            assert.deepStrictEqual(job.inputs, {
                apiVersion: "batch/v1",
                kind: "Job",
                metadata: { labels, name: "postgres-password-rotation", namespace: "postgres-ebs" },
                spec: {
                    activeDeadlineSeconds: 600,
                    backoffLimit: 4,
                    template: {
                        metadata: { labels },
                        spec: {
                            automountServiceAccountToken: false,
                            containers: [
                                {
                                    command: ["sh", "-c", PASSWORD_ROTATION_SCRIPT],
                                    env: [
                                        { name: "NEW_PASSWORD", valueFrom: { secretKeyRef: { key: "password", name: "postgres-credentials" } } },
                                        { name: "PGDATABASE", value: "postgres" },
                                        { name: "PGHOST", value: "postgres.postgres-ebs.svc.cluster.local" },
                                        { name: "PGPORT", value: "5432" },
                                        { name: "PGUSER", value: "postgres" },
                                        { name: "PREVIOUS_PASSWORD", valueFrom: { secretKeyRef: { key: "previous-password", name: "postgres-password-rotation" } } },
                                    ],
                                    image: "postgres:16.4",
                                    name: "alter-role",
                                    resources: { limits: { memory: "128Mi" }, requests: { cpu: "50m", memory: "64Mi" } },
                                    securityContext: {
                                        allowPrivilegeEscalation: false,
                                        capabilities: { drop: ["ALL"] },
                                        privileged: false,
                                        readOnlyRootFilesystem: true,
                                        runAsNonRoot: true,
                                    },
                                },
                            ],
                            restartPolicy: "Never",
                            securityContext: {
                                fsGroup: 1000,
                                fsGroupChangePolicy: "OnRootMismatch",
                                runAsGroup: 1000,
                                runAsNonRoot: true,
                                runAsUser: 1000,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                        },
                    },
                },
            });
            const credentials = rec.get("kubernetes:core/v1:Secret", "postgres-credentials");
            assert.deepStrictEqual([...job.dependsOn].sort(), [credentials.urn, secret.urn].sort());
            assert.strictEqual(job.deleteBeforeReplace, true);
            assert.strictEqual(job.retainOnDelete, false);
            const backupHost = objectOf(rec, "kubernetes:batch/v1:CronJob", "postgres-backup").spec.jobTemplate.spec.template.spec.containers[0].env.find((e: any) => e.name === "PGHOST");
            assert.deepStrictEqual(backupHost, { name: "PGHOST", value: "postgres.postgres-ebs.svc.cluster.local" }, "the Job reaches the server the backup reaches");
            assert.ok(rec.get("stateful-stacks:workload:StatefulWorkload", "postgres").dependsOn.includes(job.urn), "the StatefulSet waits for the rotation");
            assertNoSecretLeaks(rec, [PREVIOUS, placeholder(STACK, "dbPassword")]);
        });

        it("is run again whenever either Secret is replaced (the provider replaces a Secret on a data change)", () => {
            const credentials = { urn: "credentials" } as unknown as k8s.core.v1.Secret;
            const rotation = { urn: "rotation" } as unknown as k8s.core.v1.Secret;
            const provider = { urn: "provider" } as unknown as k8s.Provider;
            assert.deepStrictEqual(passwordRotationJobOptions({ provider }, credentials, rotation), {
                deleteBeforeReplace: true,
                dependsOn: [credentials, rotation],
                provider,
                replaceWith: [credentials, rotation],
            });
        });

        it("never puts a password in the Job's command line: only references to the env", () => {
            assert.ok(!/PASSWORD=[^"$]/.test(PASSWORD_ROTATION_SCRIPT));
            assert.ok(!PASSWORD_ROTATION_SCRIPT.includes("--password"));
            assert.deepStrictEqual(PASSWORD_ROTATION_SCRIPT.match(/\$[A-Z_]+/g)?.filter((v, i, all) => all.indexOf(v) === i).sort(), [
                "$NEW_PASSWORD",
                "$PGHOST",
                "$PGPORT",
                "$PGUSER",
                "$PREVIOUS_PASSWORD",
            ]);
        });
    });
});
