import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EbsStorageClass, standardLabels, StatefulWorkload } from "stateful-stacks";

// PostgreSQL on a gp3 StorageClass encrypted with its own rotating KMS key, with a
// VolumeSnapshotClass for backups of its volume. The namespace, the key and the claim
// outlive `pulumi destroy`.

const config = new pulumi.Config();
const namespace = config.get("namespace") ?? "db";
const dataSize = config.get("dataSize") ?? "50Gi";

const ns = new k8s.core.v1.Namespace(
    namespace,
    { metadata: { name: namespace, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
    { retainOnDelete: true },
);
// Every Kubernetes object goes through this provider, so each waits for the namespace.
const cluster = new k8s.Provider("cluster", { namespace: ns.metadata.name });

const fast = new EbsStorageClass(
    "pg-fast",
    { volumeType: "gp3", iops: 6000, throughputMibps: 250, createKmsKey: true, snapshots: true },
    { providers: { kubernetes: cluster }, retainOnDelete: true },
);

const credentials = new k8s.core.v1.Secret(
    "pg-credentials",
    {
        metadata: { name: "pg-credentials", namespace, labels: standardLabels("pg", "credentials") },
        stringData: { password: config.requireSecret("dbPassword") },
        type: "Opaque",
    },
    { provider: cluster, additionalSecretOutputs: ["data", "stringData"] },
);

const isReady = { exec: { command: ["pg_isready", "--host=127.0.0.1", "--username=postgres"] } };
const pg = new StatefulWorkload(
    "pg",
    {
        namespace,
        image: "postgres:16.4",
        ports: [{ name: "postgres", port: 5432 }],
        env: { PGDATA: "/var/lib/postgresql/data/pgdata", POSTGRES_DB: "app" },
        secretEnv: { POSTGRES_PASSWORD: { secretName: credentials.metadata.name, key: "password" } },
        volumes: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: dataSize, storageClass: fast }],
        readinessProbe: { ...isReady, periodSeconds: 10 },
        resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
        terminationGracePeriodSeconds: 60,
    },
    { providers: { kubernetes: cluster } },
);

export const storageClassName = fast.storageClassName;
export const snapshotClassName = fast.volumeSnapshotClassName;
export const kmsKeyArn = fast.kmsKeyArn;
export const podDnsNames = pg.podDnsNames;
export const claimNames = pg.claimNames;
