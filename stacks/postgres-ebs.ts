import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    EBS_LIMITS,
    EbsStorageClass,
    GIB,
    parseQuantity,
    restrictedContainerSecurityContext,
    restrictedPodSecurityContext,
    standardLabels,
    StatefulWorkload,
} from "../components";
import { passwordRotation } from "./postgres-password-rotation";
import { defineScenario, Scenario } from "./scenario";

/**
 * postgres-ebs: a StatefulSet with a per-replica block volume. A "fast" gp3 class with its
 * own KMS key and a VolumeSnapshotClass for the database, a "slow" st1 class for backups,
 * PostgreSQL as a StatefulWorkload, and a CronJob writing pg_dump files to a claim on the
 * slow class.
 */

const KEYS = {
    postgresImage: { description: "PostgreSQL image.", default: "postgres:16.4" },
    dbName: { description: "Database created at first start.", default: "app" },
    dbPassword: {
        description:
            "Password of the `postgres` user (`pulumi config set --secret dbPassword ...`). PostgreSQL takes it only at first start: to change it later, set `dbPreviousPassword` too (see \"Rotating credentials\").",
        secret: true,
    },
    dbPreviousPassword: {
        description:
            "Only while rotating `dbPassword`: the password the database has now. A Job logs in with it and sets the new one (`ALTER ROLE`) before the StatefulSet changes; unset it after the `pulumi up` (see \"Rotating credentials\").",
        defaultText: "unset: no rotation Job",
        secret: true,
    },
    dataSize: { description: "Size of the database volume (gp3). Growing it is an online resize; shrinking is refused by Kubernetes.", default: "50Gi" },
    fastIops: { description: "Provisioned IOPS of the gp3 class (3000–80000).", default: 6000 },
    fastThroughputMibps: { description: "Throughput of the gp3 class in MiB/s (125–2000, at most IOPS / 4).", default: 250 },
    kmsKeyArn: { description: "Encrypt the fast class with this existing KMS key instead of creating one.", defaultText: "a new key (none in local mode)" },
    snapshotClass: { description: "Create a VolumeSnapshotClass for the fast class (needs the snapshot CRDs).", defaultText: "true; false in local mode" },
    backupSize: { description: "Size of the backup claim on the st1 class (st1 volumes are at least 125Gi).", default: "125Gi" },
    backupSchedule: { description: "Cron schedule of the pg_dump backup job.", default: "0 3 * * *" },
    snapshotSchedule: {
        description: "Cron schedule of VolumeSnapshots of the database claims (needs snapshotClass, the snapshot CRDs and the snapshot-controller). Unset: no scheduled snapshots.",
        defaultText: "none (off)",
    },
    snapshotKeep: { description: "VolumeSnapshots the schedule keeps per claim (1–1000).", default: 7 },
    restoreSnapshots: {
        description: "VolumeSnapshot names, one per replica, that the database claims are created from (only when the claims do not exist yet).",
        defaultText: "none (empty claims)",
    },
} as const;

/** The PostgreSQL data directory: a subfolder of the mount, so the volume's lost+found does not bother initdb. */
export const PGDATA = "/var/lib/postgresql/data/pgdata";

/** Name of the Secret with the `postgres` user's password. */
export const POSTGRES_SECRET_NAME = "postgres-credentials";

/** The env var that gives the backup container the password, as a reference to the Secret. */
function passwordEnv(name: string): k8s.types.input.core.v1.EnvVar {
    return { name, valueFrom: { secretKeyRef: { key: "password", name: POSTGRES_SECRET_NAME } } };
}

export const postgresEbs: Scenario = defineScenario("postgres-ebs", KEYS, "restricted", (settings, base) => {
    const kmsKeyArn = settings.optionalString("kmsKeyArn");
    const snapshots = settings.optionalString("snapshotClass") === undefined ? !base.localMode : settings.boolean("snapshotClass");

    const fast = new EbsStorageClass(
        "postgres-fast",
        {
            createKmsKey: kmsKeyArn === undefined && !base.localMode,
            iops: settings.integer("fastIops", 3000, 80000),
            kmsKeyArn,
            snapshots,
            storageClassName: "postgres-fast",
            throughputMibps: settings.integer("fastThroughputMibps", 125, 2000),
            volumeType: "gp3",
        },
        base.opts,
    );
    const slow = new EbsStorageClass("postgres-slow", { storageClassName: "postgres-slow", volumeType: "st1" }, base.opts);

    const dbName = settings.string("dbName");
    const credentials = new k8s.core.v1.Secret(
        POSTGRES_SECRET_NAME,
        {
            metadata: base.metadata({ labels: standardLabels("postgres", "credentials"), name: POSTGRES_SECRET_NAME, namespace: base.namespace }),
            stringData: { password: settings.secret("dbPassword"), username: "postgres" },
            type: "Opaque",
        },
        { ...base.objectOpts, additionalSecretOutputs: ["data", "stringData"] },
    );

    // While rotating, the database moves to the new password before anything else changes:
    // the Job runs before the StatefulWorkload, so it names the client Service ("postgres") itself.
    const previousPassword = settings.optionalSecret("dbPreviousPassword");
    const rotation =
        previousPassword === undefined
            ? undefined
            : passwordRotation({ credentials, host: `postgres.${base.namespace}.svc.cluster.local`, image: settings.string("postgresImage"), metadata: base.metadata, namespace: base.namespace, objectOpts: base.objectOpts, previousPassword });

    // Off by default: a cluster without the snapshot CRDs and controller cannot take them.
    const snapshotSchedule = settings.optionalString("snapshotSchedule");
    if (snapshotSchedule !== undefined && fast.volumeSnapshotClassName === undefined) {
        throw new Error('stack config "stateful-stacks:snapshotSchedule" needs the VolumeSnapshotClass: set "stateful-stacks:snapshotClass" to true');
    }
    const restoreSnapshots = settings.optionalString("restoreSnapshots") === undefined ? [] : settings.list("restoreSnapshots");

    const isReady = { exec: { command: ["pg_isready", "--host=127.0.0.1", "--username=postgres", `--dbname=${dbName}`] } };
    const postgres = new StatefulWorkload(
        "postgres",
        {
            env: { PGDATA, POSTGRES_DB: dbName, POSTGRES_USER: "postgres" },
            image: settings.string("postgresImage"),
            livenessProbe: { ...isReady, failureThreshold: 6, periodSeconds: 20, timeoutSeconds: 5 },
            namespace: base.namespace,
            ports: [{ name: "postgres", port: 5432 }],
            readinessProbe: { ...isReady, periodSeconds: 10, timeoutSeconds: 5 },
            replicas: 1,
            restoreFrom: restoreSnapshots.length ? [{ snapshots: restoreSnapshots, volume: "data" }] : undefined,
            resources: { limits: { memory: "1Gi" }, requests: { cpu: "250m", memory: "512Mi" } },
            secretEnv: { POSTGRES_PASSWORD: { key: "password", secretName: POSTGRES_SECRET_NAME } },
            skipAwait: base.skipAwait,
            snapshots: snapshotSchedule === undefined ? undefined : { keep: settings.integer("snapshotKeep", 1, 1000), schedule: snapshotSchedule, volumeSnapshotClass: fast },
            startupProbe: { ...isReady, failureThreshold: 30, periodSeconds: 5 },
            terminationGracePeriodSeconds: 60,
            volumes: [{ mountPath: "/var/lib/postgresql/data", name: "data", size: settings.string("dataSize"), storageClass: fast }],
        },
        { ...base.opts, dependsOn: rotation ? [credentials, rotation.job] : [credentials] },
    );

    const backupSize = settings.string("backupSize");
    const minimum = EBS_LIMITS.st1.sizeGib.min;
    if ((parseQuantity(backupSize) ?? 0) < minimum * GIB) {
        throw new Error(`stack config "stateful-stacks:backupSize" must be at least ${minimum}Gi: st1 volumes are ${minimum}–${EBS_LIMITS.st1.sizeGib.max} GiB (got "${backupSize}")`);
    }
    const backups = new k8s.core.v1.PersistentVolumeClaim(
        "postgres-backups",
        {
            metadata: base.metadata({ labels: standardLabels("postgres-backups", "backups"), name: "postgres-backups", namespace: base.namespace }),
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: backupSize } }, storageClassName: slow.storageClassName },
        },
        // The claim holds the backups: a `pulumi destroy` leaves it (and its volume) in place.
        // It waits for its class without taking the class name as a dependency (see
        // EbsStorageClass.storageClassName), so a replaced class does not replace it.
        { ...base.objectOpts, retainOnDelete: true, dependsOn: [slow] },
    );
    const host = pulumi.interpolate`${postgres.clientServiceName!}.${base.namespace}.svc.cluster.local`;
    const backupJob = new k8s.batch.v1.CronJob(
        "postgres-backup",
        {
            metadata: base.metadata({ labels: standardLabels("postgres-backup", "backup"), name: "postgres-backup", namespace: base.namespace }),
            spec: {
                concurrencyPolicy: "Forbid",
                failedJobsHistoryLimit: 3,
                jobTemplate: {
                    spec: {
                        backoffLimit: 2,
                        template: {
                            metadata: { labels: standardLabels("postgres-backup", "backup") },
                            spec: {
                                automountServiceAccountToken: false,
                                containers: [
                                    {
                                        command: ["sh", "-c", 'pg_dump --format=custom --file="/backups/$PGDATABASE-$(date +%Y%m%dT%H%M%S).dump"'],
                                        env: [
                                            { name: "PGDATABASE", value: dbName },
                                            { name: "PGHOST", value: host },
                                            passwordEnv("PGPASSWORD"),
                                            { name: "PGUSER", value: "postgres" },
                                        ],
                                        image: settings.string("postgresImage"),
                                        name: "pg-dump",
                                        resources: { limits: { memory: "512Mi" }, requests: { cpu: "100m", memory: "256Mi" } },
                                        securityContext: restrictedContainerSecurityContext(),
                                        volumeMounts: [{ mountPath: "/backups", name: "backups" }],
                                    },
                                ],
                                restartPolicy: "OnFailure",
                                securityContext: restrictedPodSecurityContext(),
                                volumes: [{ name: "backups", persistentVolumeClaim: { claimName: backups.metadata.name } }],
                            },
                        },
                    },
                },
                schedule: settings.string("backupSchedule"),
                successfulJobsHistoryLimit: 3,
            },
        },
        base.objectOpts,
    );

    return {
        backupClaimName: backups.metadata.name,
        backupCronJobName: backupJob.metadata.name,
        claimNames: postgres.claimNames,
        clientServiceDnsName: host,
        fastStorageClassName: fast.storageClassName,
        kmsKeyArn: fast.kmsKeyArn ?? kmsKeyArn ?? null,
        namespace: base.namespace,
        podDnsNames: postgres.podDnsNames,
        secretName: credentials.metadata.name,
        slowStorageClassName: slow.storageClassName,
        snapshotCronJobName: postgres.snapshotCronJobName ?? null,
        volumeSnapshotClassName: fast.volumeSnapshotClassName ?? null,
    };
});
