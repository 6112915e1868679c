import { DB_PASSWORD } from "./stacks";

/**
 * Changes previewed on the deployed scenario stacks. Each becomes
 * test/fixtures/preview/<name>.json (the real `pulumi preview --json` document) and an
 * entry of cases.json with its note and the data-loss gate's expected verdict.
 *
 * `ops`: every step that is not `same`, as `<type>::<name>` → its ops joined with "+".
 */
export interface ChangeCase {
    readonly name: string;
    readonly stack: string;
    /** One line: the change. */
    readonly note: string;
    /** Project config keys set for the preview (the stack file is restored afterwards). */
    readonly config?: Readonly<Record<string, string>>;
    readonly secrets?: Readonly<Record<string, string>>;
    /** Edits to the program, applied in a second copy of the project (e.g. a renamed component). */
    readonly edit?: Readonly<Record<string, (text: string) => string>>;
    readonly ops: Readonly<Record<string, string>>;
    /**
     * Whether the gate (default options) blocks the preview. A preview that failed is
     * always refused (the gate cannot judge what it did not see).
     */
    readonly blocks: boolean;
    /** The preview fails with @pulumi/kubernetes 4.25.0: the error it prints (see `provider`). */
    readonly previewError?: RegExp;
    /**
     * How the case is applied after its preview:
     * - "up": `pulumi up`; the live objects must change exactly as the preview said, and no
     *   claim or volume may be lost;
     * - "allow": blocked by the gate; applied as a user would with `--allow` for every
     *   blocked URN, to prove what the loss is (`lost`), then restored;
     * - "fails": the preview fails, and so does `pulumi up` (it previews first), with the
     *   same error and nothing changed in the cluster;
     * - "preview": previewed only, because it cannot be restored: a grown claim never
     *   shrinks back (test/e2e/6-day-two.test.ts applies these on stacks of their own).
     * Every applied case is restored afterwards (`pulumi up` of the unchanged stack).
     */
    readonly apply: "up" | "allow" | "fails" | "preview";
    /** Claims (`<namespace>/<name>`) the applied change deletes; only with apply "allow". */
    readonly lost?: readonly string[];
    /** What @pulumi/kubernetes 4.25.0 does here, when it differs from the newest provider. */
    readonly provider?: string;
}

/** The entry of test/fixtures/preview/cases.json for a case. */
export function manifestEntry(c: ChangeCase): { note: string; blocks: boolean; previewFails: boolean; apply: string; lost: readonly string[]; provider?: string } {
    return { note: c.note, blocks: c.blocks, previewFails: c.previewError !== undefined, apply: c.apply, lost: c.lost ?? [], ...(c.provider ? { provider: c.provider } : {}) };
}

/** 4.25 dry-runs a replacement's create as a server-side apply against the live object of the same name. */
const FORBIDDEN_REPLACE = /Forbidden/;
const FORBIDDEN_NOTE =
    "4.25.0 fails this preview: it dry-runs the replacement's create as a server-side apply against the live object of the same name, which the API server refuses (Forbidden: the field is immutable); pulumi up fails the same way before changing anything. Providers >= 4.29 create client-side and preview the replacement.";

export const CASES: readonly ChangeCase[] = [
    {
        name: "postgres-ebs-no-changes",
        stack: "postgres-ebs",
        note: "postgres-ebs previewed again without any change",
        ops: {},
        blocks: false,
        apply: "up",
    },
    {
        name: "postgres-ebs-image",
        stack: "postgres-ebs",
        note: "postgres-ebs: postgresImage postgres:16.4 → postgres:16.6 (StatefulSet and backup CronJob)",
        config: { postgresImage: "postgres:16.6" },
        ops: {
            "kubernetes:apps/v1:StatefulSet::postgres": "update",
            "kubernetes:batch/v1:CronJob::postgres-backup": "update",
        },
        blocks: false,
        apply: "up",
    },
    {
        name: "postgres-ebs-volume-resize",
        stack: "postgres-ebs",
        note: "postgres-ebs: dataSize 50Gi → 80Gi (the claim grows in place through its claim patch; the StatefulSet's template size is ignored)",
        config: { dataSize: "80Gi" },
        ops: {
            "kubernetes:core/v1:PersistentVolumeClaimPatch::postgres-data-0": "update",
        },
        blocks: false,
        apply: "preview",
    },
    {
        name: "postgres-ebs-password-rotation",
        stack: "postgres-ebs",
        note: "postgres-ebs: dbPassword rotated (a new secret value)",
        secrets: { dbPassword: `${DB_PASSWORD}-rotated` },
        ops: {
            "kubernetes:core/v1:Secret::postgres-credentials": "replace",
        },
        blocks: false,
        apply: "up",
    },
    {
        name: "postgres-ebs-fast-iops",
        stack: "postgres-ebs",
        // The IOPS live in a VolumeAttributesClass named from them: a new class, the claim
        // patch moves the claim to it in place, the old class is kept (a patch, retained).
        note: "postgres-ebs: fastIops 6000 → 8000 (a new VolumeAttributesClass; the claim moves to it in place, nothing replaced)",
        config: { fastIops: "8000" },
        ops: {
            "kubernetes:core/v1:PersistentVolumeClaimPatch::postgres-data-0": "update",
            "kubernetes:storage.k8s.io/v1:VolumeAttributesClassPatch::postgres-fast-performance-gp3-6000iops-250mibps": "delete",
            "kubernetes:storage.k8s.io/v1:VolumeAttributesClassPatch::postgres-fast-performance-gp3-8000iops-250mibps": "create",
        },
        blocks: false,
        apply: "up",
    },
    {
        name: "postgres-ebs-namespace-move",
        stack: "postgres-ebs",
        note: "postgres-ebs: namespace postgres-ebs → postgres-ebs-moved (every namespaced object)",
        config: { namespace: "postgres-ebs-moved" },
        ops: {
            "kubernetes:apps/v1:StatefulSet::postgres": "replace",
            "kubernetes:batch/v1:CronJob::postgres-backup": "replace",
            "kubernetes:core/v1:ConfigMap::postgres-owner": "replace",
            "kubernetes:core/v1:Namespace::postgres-ebs": "delete",
            "kubernetes:core/v1:Namespace::postgres-ebs-moved": "create",
            "kubernetes:core/v1:PersistentVolumeClaim::postgres-backups": "replace",
            "kubernetes:core/v1:PersistentVolumeClaimPatch::postgres-data-0": "replace",
            "kubernetes:core/v1:Secret::postgres-credentials": "replace",
            "kubernetes:core/v1:Service::postgres": "replace",
            "kubernetes:core/v1:Service::postgres-headless": "replace",
            "pulumi:providers:kubernetes::cluster": "update",
        },
        blocks: true,
        apply: "allow",
    },
    {
        name: "postgres-ebs-component-rename",
        stack: "postgres-ebs",
        note: "postgres-ebs: the StatefulWorkload renamed postgres → postgres-main in the program, without aliases",
        edit: { "stacks/postgres-ebs.ts": (text) => text.replace(/new StatefulWorkload\(\n(\s+)"postgres",/, 'new StatefulWorkload(\n$1"postgres-main",') },
        ops: {
            "kubernetes:apps/v1:StatefulSet::postgres": "delete",
            "kubernetes:apps/v1:StatefulSet::postgres-main": "create",
            "kubernetes:batch/v1:CronJob::postgres-backup": "update",
            "kubernetes:core/v1:ConfigMap::postgres-main-owner": "create",
            "kubernetes:core/v1:ConfigMap::postgres-owner": "delete",
            "kubernetes:core/v1:PersistentVolumeClaimPatch::postgres-data-0": "delete",
            "kubernetes:core/v1:PersistentVolumeClaimPatch::postgres-main-data-0": "create",
            "kubernetes:core/v1:Service::postgres": "delete",
            "kubernetes:core/v1:Service::postgres-headless": "delete",
            "kubernetes:core/v1:Service::postgres-main": "create",
            "kubernetes:core/v1:Service::postgres-main-headless": "create",
            "stateful-stacks:workload:StatefulWorkload::postgres": "delete",
            "stateful-stacks:workload:StatefulWorkload::postgres-main": "create",
        },
        blocks: true,
        apply: "allow",
    },
    {
        name: "zookeeper-ensemble-replicas",
        stack: "zookeeper-ensemble",
        note: "zookeeper-ensemble: replicas 3 → 5 (StatefulSet scale and server list; the new members' claims created first by their claim patches)",
        config: { replicas: "5" },
        ops: {
            "kubernetes:apps/v1:StatefulSet::zookeeper": "update",
            "kubernetes:core/v1:PersistentVolumeClaimPatch::zookeeper-data-3": "create",
            "kubernetes:core/v1:PersistentVolumeClaimPatch::zookeeper-data-4": "create",
            "kubernetes:core/v1:PersistentVolumeClaimPatch::zookeeper-datalog-3": "create",
            "kubernetes:core/v1:PersistentVolumeClaimPatch::zookeeper-datalog-4": "create",
        },
        blocks: false,
        apply: "up",
    },
    {
        name: "zookeeper-ensemble-pdb",
        stack: "zookeeper-ensemble",
        note: "zookeeper-ensemble: the PodDisruptionBudget changed in the program from maxUnavailable 1 to maxUnavailable 34%",
        edit: { "stacks/zookeeper-ensemble.ts": (text) => text.replace("disruptionBudget: { maxUnavailable: 1 },", 'disruptionBudget: { maxUnavailable: "34%" },') },
        ops: { "kubernetes:policy/v1:PodDisruptionBudget::zookeeper": "update" },
        blocks: false,
        apply: "up",
    },
    {
        name: "zookeeper-ensemble-volume-resize",
        stack: "zookeeper-ensemble",
        note: "zookeeper-ensemble: datalogSize 10Gi → 20Gi (the three datalog claims grow in place; the StatefulSet is not replaced)",
        config: { datalogSize: "20Gi" },
        ops: {
            "kubernetes:core/v1:PersistentVolumeClaimPatch::zookeeper-datalog-0": "update",
            "kubernetes:core/v1:PersistentVolumeClaimPatch::zookeeper-datalog-1": "update",
            "kubernetes:core/v1:PersistentVolumeClaimPatch::zookeeper-datalog-2": "update",
        },
        blocks: false,
        apply: "preview",
    },
    {
        name: "shared-content-efs-storage-class",
        stack: "shared-content-efs",
        note: "shared-content-efs: storageClassName shared-content-efs → shared-content-efs-v2 (StorageClass and the retained shared claim replaced; 4.25 fails before it reaches the Deployment mounting the claim)",
        config: { storageClassName: "shared-content-efs-v2" },
        ops: {
            "kubernetes:core/v1:PersistentVolumeClaim::content": "replace",
            "kubernetes:storage.k8s.io/v1:StorageClass::shared-content": "replace",
        },
        blocks: true,
        previewError: FORBIDDEN_REPLACE,
        apply: "fails",
        provider: FORBIDDEN_NOTE,
    },
    {
        name: "shared-content-efs-web-replicas",
        stack: "shared-content-efs",
        note: "shared-content-efs: webReplicas 2 → 4 (the web Deployment)",
        config: { webReplicas: "4" },
        ops: {
            "kubernetes:apps/v1:Deployment::web": "update",
        },
        blocks: false,
        apply: "up",
    },
    {
        name: "external-database-host",
        stack: "external-database",
        note: "external-database: dbHosts moved to another RDS endpoint (ConfigMap, ExternalName Service, checksum)",
        config: { dbHosts: "orders-v2.cluster-c9akciq32.us-east-1.rds.amazonaws.com" },
        ops: {
            "kubernetes:apps/v1:Deployment::orders-api": "update",
            "kubernetes:core/v1:ConfigMap::orders-db-connection": "replace",
            "kubernetes:core/v1:Service::orders-db": "update",
        },
        blocks: false,
        apply: "up",
    },
    {
        name: "external-database-password-rotation",
        stack: "external-database",
        note: "external-database: dbPassword rotated (the store's Secret)",
        secrets: { dbPassword: `${DB_PASSWORD}-rotated` },
        ops: {
            "kubernetes:apps/v1:Deployment::orders-api": "update",
            "kubernetes:core/v1:Secret::orders-db-credentials": "replace",
        },
        blocks: false,
        apply: "up",
    },
    {
        name: "replicated-cache-replicas",
        stack: "replicated-cache",
        note: "replicated-cache: replicas 3 → 5 (the Deployment; the PodDisruptionBudget keeps maxUnavailable 1)",
        config: { replicas: "5" },
        ops: {
            "kubernetes:apps/v1:Deployment::cache": "update",
        },
        blocks: false,
        apply: "up",
    },
    {
        name: "replicated-cache-engine",
        stack: "replicated-cache",
        note: "replicated-cache: cacheEngine memcached → redis (image, port and probes)",
        config: { cacheEngine: "redis" },
        ops: {
            "kubernetes:apps/v1:Deployment::cache": "update",
            "kubernetes:core/v1:Service::cache": "update",
        },
        blocks: false,
        apply: "up",
    },
    {
        name: "node-local-store-host-path",
        stack: "node-local-store",
        note: "node-local-store: hostPath moved to /var/lib/stateful-stacks/store-v2 (the DaemonSet's host directory)",
        config: { hostPath: "/var/lib/stateful-stacks/store-v2" },
        ops: {
            "kubernetes:apps/v1:DaemonSet::local-store": "update",
        },
        blocks: false,
        apply: "up",
    },
    {
        name: "node-local-store-storage-class",
        stack: "node-local-store",
        note: "node-local-store: localStorageClassName node-local → node-local-v2 (the local-volume StorageClass)",
        config: { localStorageClassName: "node-local-v2" },
        ops: {
            "kubernetes:storage.k8s.io/v1:StorageClass::local-store-local": "replace",
        },
        blocks: false,
        apply: "up",
    },
];
