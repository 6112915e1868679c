import * as assert from "assert";
import { execFileSync } from "child_process";
import { EbsStorageClass } from "../../components/storage/ebs-storage-class";
import { SNAPSHOT_SCRIPT } from "../../components/workload/snapshot-schedule";
import { StatefulWorkload, StatefulWorkloadArgs } from "../../components/workload/stateful-workload";
import { assertSchemaValid, expectInvalid, recorder, render, valueOf } from "../support/pulumi";
import { RESTRICTED_POD_SECURITY } from "../support/restricted";

const TYPE = "stateful-stacks:workload:StatefulWorkload";
const PVC = "kubernetes:core/v1:PersistentVolumeClaim";
const CRON = "kubernetes:batch/v1:CronJob";
const urn = (type: string, name: string) => `urn:pulumi:test::stateful-stacks::${TYPE}$${type}::${name}`;
const classUrn = (type: string, name: string) => `urn:pulumi:test::stateful-stacks::stateful-stacks:storage:EbsStorageClass$${type}::${name}`;
const scheduleLabels = {
    "app.kubernetes.io/component": "snapshot-schedule",
    "app.kubernetes.io/instance": "pg",
    "app.kubernetes.io/managed-by": "stateful-stacks",
    "app.kubernetes.io/name": "pg",
};
const workloadLabels = { ...scheduleLabels, "app.kubernetes.io/component": "stateful-workload" };
const meta = { labels: scheduleLabels, name: "pg-snapshots", namespace: "db" };
const policyName = "pg-snapshots.db.stateful-stacks.io";

function args(extra: Partial<StatefulWorkloadArgs>, storageClass: StatefulWorkloadArgs["volumes"] extends (infer V)[] | undefined ? V extends { storageClass: infer S } ? S : never : never = "gp3"): StatefulWorkloadArgs {
    return {
        image: "postgres:16.4",
        namespace: "db",
        ports: [{ name: "pg", port: 5432 }],
        replicas: 2,
        volumes: [{ mountPath: "/data", name: "data", size: "20Gi", storageClass }],
        ...extra,
    };
}

describe("StatefulWorkload snapshots and restoreFrom", () => {
    before(async () => {
        await recorder();
    });

    it("renders the snapshot schedule: ServiceAccount, Role limited to its claims, RoleBinding, admission policy, CronJob", async () => {
        let workload: StatefulWorkload | undefined;
        const rec = await render(() => {
            const fast = new EbsStorageClass("sn-fast", { snapshots: true, volumeType: "gp3" });
            workload = new StatefulWorkload("pg", args({ snapshots: { keep: 3, schedule: "0 2 * * *", volumeSnapshotClass: fast } }, fast), { protect: true });
        });
        assertSchemaValid(rec);
        const component = rec.get(TYPE, "pg");
        assert.deepStrictEqual(
            rec.childrenOf(component.urn).map((r) => `${r.type}::${r.name}`).sort(),
            [
                "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy::pg-snapshots",
                "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding::pg-snapshots",
                "kubernetes:apps/v1:StatefulSet::pg",
                `${CRON}::pg-snapshots`,
                "kubernetes:core/v1:ConfigMap::pg-owner",
                "kubernetes:core/v1:PersistentVolumeClaimPatch::pg-data-0",
                "kubernetes:core/v1:PersistentVolumeClaimPatch::pg-data-1",
                "kubernetes:core/v1:Service::pg",
                "kubernetes:core/v1:Service::pg-headless",
                "kubernetes:core/v1:ServiceAccount::pg-snapshots",
                "kubernetes:policy/v1:PodDisruptionBudget::pg",
                "kubernetes:rbac.authorization.k8s.io/v1:Role::pg-snapshots",
                "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::pg-snapshots",
            ],
        );
        // The schedule holds no data: never protected or retained, whatever the component got.
        for (const child of rec.childrenOf(component.urn).filter((r) => r.name === "pg-snapshots")) {
            assert.strictEqual(child.protect, false, child.type);
            assert.strictEqual(child.retainOnDelete, false, child.type);
        }
        assert.deepStrictEqual(rec.get("kubernetes:core/v1:ServiceAccount", "pg-snapshots").inputs, {
            apiVersion: "v1",
            automountServiceAccountToken: false,
            kind: "ServiceAccount",
            metadata: meta,
        });
        assert.deepStrictEqual(rec.get("kubernetes:rbac.authorization.k8s.io/v1:Role", "pg-snapshots").inputs, {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "Role",
            metadata: meta,
            rules: [
                { apiGroups: [""], resourceNames: ["data-pg-0", "data-pg-1"], resources: ["persistentvolumeclaims"], verbs: ["get"] },
                { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshots"], verbs: ["create", "delete", "get", "list"] },
            ],
        });
        assert.deepStrictEqual(rec.get("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "pg-snapshots").inputs, {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: meta,
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pg-snapshots" },
            subjects: [{ kind: "ServiceAccount", name: "pg-snapshots", namespace: "db" }],
        });
        const own = (o: string) => `has(${o}.metadata.labels) && 'stateful-stacks.io/snapshot-of' in ${o}.metadata.labels && ${o}.metadata.labels['stateful-stacks.io/snapshot-of'] == 'pg'`;
        assert.deepStrictEqual(rec.get("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy", "pg-snapshots").inputs, {
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingAdmissionPolicy",
            metadata: { labels: scheduleLabels, name: policyName },
            spec: {
                failurePolicy: "Fail",
                matchConditions: [{ expression: "request.userInfo.username == 'system:serviceaccount:db:pg-snapshots'", name: "snapshot-job" }],
                matchConstraints: {
                    resourceRules: [{ apiGroups: ["snapshot.storage.k8s.io"], apiVersions: ["*"], operations: ["CREATE", "UPDATE", "DELETE"], resources: ["volumesnapshots"] }],
                },
                validations: [
                    {
                        expression: `request.operation != 'CREATE' || (${own("object")} && has(object.spec.source.persistentVolumeClaimName) && object.spec.source.persistentVolumeClaimName in ['data-pg-0', 'data-pg-1'])`,
                        message: "the snapshot job of pg may only create VolumeSnapshots labelled stateful-stacks.io/snapshot-of=pg of its own claims",
                        reason: "Forbidden",
                    },
                    { expression: "request.operation != 'UPDATE'", message: "the snapshot job of pg never changes a VolumeSnapshot", reason: "Forbidden" },
                    {
                        expression: `request.operation != 'DELETE' || (${own("oldObject")})`,
                        message: "the snapshot job of pg may only delete VolumeSnapshots labelled stateful-stacks.io/snapshot-of=pg",
                        reason: "Forbidden",
                    },
                ],
            },
        });
        assert.deepStrictEqual(rec.get("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding", "pg-snapshots").inputs, {
            apiVersion: "admissionregistration.k8s.io/v1",
            kind: "ValidatingAdmissionPolicyBinding",
            metadata: { labels: scheduleLabels, name: policyName },
            spec: { matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "db" } } }, policyName, validationActions: ["Deny"] },
        });
        const cron = rec.get(CRON, "pg-snapshots");
        assert.deepStrictEqual(cron.inputs, {
            apiVersion: "batch/v1",
            kind: "CronJob",
            metadata: meta,
            spec: {
                concurrencyPolicy: "Forbid",
                failedJobsHistoryLimit: 3,
                jobTemplate: {
                    metadata: { labels: scheduleLabels },
                    spec: {
                        activeDeadlineSeconds: 1200,
                        backoffLimit: 2,
                        template: {
                            metadata: { labels: scheduleLabels },
                            spec: {
                                automountServiceAccountToken: true,
                                containers: [
                                    {
                                        command: ["sh", "-c", SNAPSHOT_SCRIPT],
                                        env: [
                                            { name: "KEEP", value: "3" },
                                            { name: "READY_TIMEOUT", value: "900" },
                                            { name: "REPLICAS", value: "2" },
                                            { name: "SNAPSHOT_CLASS", value: "sn-fast-snapshots" },
                                            { name: "STATEFUL_SET", value: "pg" },
                                            { name: "VOLUMES", value: "data" },
                                        ],
                                        image: "curlimages/curl:8.11.1",
                                        name: "snapshot",
                                        resources: { limits: { memory: "64Mi" }, requests: { cpu: "10m", memory: "32Mi" } },
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
                                securityContext: RESTRICTED_POD_SECURITY,
                                serviceAccountName: "pg-snapshots",
                            },
                        },
                    },
                },
                schedule: "0 2 * * *",
                startingDeadlineSeconds: 600,
                successfulJobsHistoryLimit: 3,
                suspend: false,
            },
        });
        assert.deepStrictEqual(
            [...cron.dependsOn].sort(),
            [
                urn("kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding", "pg-snapshots"),
                urn("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "pg-snapshots"),
                classUrn("kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass", "sn-fast-snapshots"),
            ].sort(),
        );
        assert.strictEqual(await valueOf(workload!.snapshotCronJobName!), "pg-snapshots");
        assert.deepStrictEqual(workload!.restoredClaims, []);
    });

    it("takes a class name, a subset of volumes, an image, a time zone, a timeout and suspend", async () => {
        const rec = await render(
            () =>
                new StatefulWorkload("pg", {
                    ...args({}),
                    replicas: 1,
                    snapshots: { image: "registry.example.com/tools/curl:8.11.1", readyTimeoutSeconds: 60, schedule: "@daily", suspend: true, timeZone: "Europe/Berlin", volumeSnapshotClass: "ebs-snapshots", volumes: ["wal"] },
                    volumes: [
                        { mountPath: "/data", name: "data", size: "20Gi", storageClass: "gp3" },
                        { mountPath: "/wal", name: "wal", size: "10Gi", storageClass: "gp3" },
                    ],
                }),
        );
        assertSchemaValid(rec);
        const spec = rec.get(CRON, "pg-snapshots").inputs.spec;
        assert.deepStrictEqual([spec.schedule, spec.suspend, spec.timeZone, spec.jobTemplate.spec.activeDeadlineSeconds], ["@daily", true, "Europe/Berlin", 360]);
        const container = spec.jobTemplate.spec.template.spec.containers[0];
        assert.strictEqual(container.image, "registry.example.com/tools/curl:8.11.1");
        assert.deepStrictEqual(container.env, [
            { name: "KEEP", value: "7" },
            { name: "READY_TIMEOUT", value: "60" },
            { name: "REPLICAS", value: "1" },
            { name: "SNAPSHOT_CLASS", value: "ebs-snapshots" },
            { name: "STATEFUL_SET", value: "pg" },
            { name: "VOLUMES", value: "wal" },
        ]);
        assert.deepStrictEqual(rec.get("kubernetes:rbac.authorization.k8s.io/v1:Role", "pg-snapshots").inputs.rules[0].resourceNames, ["wal-pg-0"]);
    });

    it("a restored claim carries the volume's VolumeAttributesClass from creation (an unbound claim refuses it later)", async () => {
        const rec = await render(() => {
            const fast = new EbsStorageClass("sn-fast", { volumeType: "gp3" });
            new StatefulWorkload("pg", {
                ...args({ restoreFrom: [{ snapshots: ["data-pg-0-20260101020000"], volume: "data" }], replicas: 1, skipAwait: true }, fast),
                volumes: [{ mountPath: "/data", name: "data", size: "20Gi", storageClass: fast, volumeAttributesClass: "sn-fast-gp3-6000iops" }],
            });
        });
        assertSchemaValid(rec);
        const [claim] = rec.ofType(PVC);
        assert.strictEqual(claim.inputs.spec.volumeAttributesClassName, "sn-fast-gp3-6000iops");
        const patch = rec.get("kubernetes:core/v1:PersistentVolumeClaimPatch", "pg-data-0");
        assert.strictEqual(patch.inputs.spec.volumeAttributesClassName, "sn-fast-gp3-6000iops");
    });

    it("pre-creates every ordinal's claim from its snapshot before the StatefulSet, retained, with dataSourceRef ignored after creation", async () => {
        let workload: StatefulWorkload | undefined;
        const rec = await render(() => {
            const fast = new EbsStorageClass("sn-fast", { volumeType: "gp3" });
            workload = new StatefulWorkload(
                "pg",
                args({ restoreFrom: [{ snapshots: ["data-pg-0-20260101020000", "data-pg-1-20260101020000"], sourceSize: "20Gi", volume: "data" }], skipAwait: true }, fast),
            );
        });
        assertSchemaValid(rec);
        const claims = rec.ofType(PVC);
        assert.deepStrictEqual(claims.map((c) => c.name), ["pg-restore-data-0", "pg-restore-data-1"]);
        claims.forEach((claim, i) => {
            assert.deepStrictEqual(claim.inputs, {
                apiVersion: "v1",
                kind: "PersistentVolumeClaim",
                metadata: {
                    annotations: { "pulumi.com/skipAwait": "true", "stateful-stacks.io/restored-from": `VolumeSnapshot/data-pg-${i}-20260101020000` },
                    labels: workloadLabels,
                    name: `data-pg-${i}`,
                    namespace: "db",
                },
                spec: {
                    accessModes: ["ReadWriteOnce"],
                    dataSourceRef: { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: `data-pg-${i}-20260101020000` },
                    resources: { requests: { storage: "20Gi" } },
                    storageClassName: "sn-fast",
                },
            });
            assert.strictEqual(claim.retainOnDelete, true);
            assert.strictEqual(claim.protect, false);
            assert.deepStrictEqual(claim.ignoreChanges, ["spec.dataSource", "spec.dataSourceRef", "spec.resources", "spec.volumeAttributesClassName"]);
            assert.deepStrictEqual(claim.dependsOn, [classUrn("kubernetes:storage.k8s.io/v1:StorageClass", "sn-fast")]);
        });
        const sts = rec.get("kubernetes:apps/v1:StatefulSet", "pg");
        for (const claim of claims) {
            assert.ok(sts.dependsOn.includes(claim.urn), `the StatefulSet waits for ${claim.name}`);
        }
        // The template is unchanged: the StatefulSet adopts the claims by their names.
        assert.deepStrictEqual(sts.inputs.spec.volumeClaimTemplates, [
            { metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } }, storageClassName: "sn-fast" } },
        ]);
        assert.strictEqual(workload!.restoredClaims.length, 2);
        assert.strictEqual(workload!.snapshotSchedule, undefined);
    });

    it("clones claims, passes protect on, and honours an explicit retainOnDelete: false", async () => {
        const rec = await render(
            () => new StatefulWorkload("pg", args({ restoreFrom: [{ claims: ["old-0", "old-1"], volume: "data" }] }), { protect: true, retainOnDelete: false }),
        );
        assertSchemaValid(rec);
        const claim = rec.get(PVC, "pg-restore-data-1");
        assert.deepStrictEqual(claim.inputs.spec.dataSourceRef, { kind: "PersistentVolumeClaim", name: "old-1" });
        assert.deepStrictEqual(claim.inputs.metadata.annotations, { "stateful-stacks.io/restored-from": "PersistentVolumeClaim/old-1" });
        assert.deepStrictEqual([claim.protect, claim.retainOnDelete], [true, false]);
    });

    it("the job's script is POSIX sh that the shell parses", () => {
        execFileSync("sh", ["-n", "-c", SNAPSHOT_SCRIPT]);
        assert.doesNotMatch(SNAPSHOT_SCRIPT, /kubectl|jq|\[\[|function /);
    });

    const problems: [string, Partial<StatefulWorkloadArgs> & Record<string, unknown>, string][] = [
        [
            "a schedule, class and keep that are wrong",
            { snapshots: { keep: 0, schedule: "CRON_TZ=UTC 0 2 * * *", volumeSnapshotClass: "Bad_Class" } },
            `StatefulWorkload "pg" has 3 invalid arguments:
  - snapshots.schedule: must be a cron schedule of five fields separated by single spaces ("0 2 * * *") or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly; set a time zone with snapshots.timeZone, not in the schedule (got "CRON_TZ=UTC 0 2 * * *")
  - snapshots.volumeSnapshotClass: must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit (got "Bad_Class")
  - snapshots.keep: must be an integer from 1 to 1000 (got 0)`,
        ],
        [
            "missing schedule and class, an unknown field, an unpinned image, a bad zone, a volume that is not there",
            { snapshots: { image: "curlimages/curl", keepp: 3, timeZone: "Not a zone", volumes: ["logs"] } as never },
            `StatefulWorkload "pg" has 6 invalid arguments:
  - snapshots.keepp: is not a known field; did you mean "keep"? (got 3)
  - snapshots.schedule: is required: a cron schedule such as "0 2 * * *" (got undefined)
  - snapshots.volumeSnapshotClass: is required: the VolumeSnapshotClass the snapshots are taken with (got undefined)
  - snapshots.volumes[0]: must name one of the workload's volumes (data) (got "logs")
  - snapshots.image: must pin a tag or a digest ("curlimages/curl:8.11.1"): an untagged image is "latest" and changes under the job (got "curlimages/curl")
  - snapshots.timeZone: must be an IANA time zone name such as "UTC" or "Europe/Berlin" (got "Not a zone")`,
        ],
        [
            "an EbsStorageClass without a VolumeSnapshotClass, :latest, a timeout out of range, a StatefulSet name too long for the CronJob",
            {
                statefulSetName: "a-very-long-statefulset-name-for-snapshots-x",
                snapshots: { image: "curlimages/curl:latest", readyTimeoutSeconds: 5, schedule: "0 2 * * *", volumeSnapshotClass: new EbsStorageClass("no-snapshots", {}) },
            },
            `StatefulWorkload "pg" has 4 invalid arguments:
  - snapshots.volumeSnapshotClass: must have a VolumeSnapshotClass: create the EbsStorageClass with snapshots: true, or name a class (got "EbsStorageClass no-snapshots")
  - snapshots.image: must pin a tag other than "latest" (or a digest) (got "curlimages/curl:latest")
  - snapshots.readyTimeoutSeconds: must be an integer from 10 to 86400 (got 5)
  - statefulSetName: must be at most 42 characters with snapshots: the CronJob "<statefulSetName>-snapshots" must fit in 52 (got "a-very-long-statefulset-name-for-snapshots-x")`,
        ],
        [
            "restore sources: an unknown volume, both kinds, a clone of itself, a repeated volume, the wrong count, a source larger than the volume",
            {
                restoreFrom: [
                    { snapshots: ["s0", "s1"], volume: "logs" },
                    { claims: ["data-pg-0", "c1"], snapshots: ["s0", "s1"], volume: "data" },
                    { snapshots: ["s0"], sourceSize: "50Gi", volume: "data" },
                ],
            },
            `StatefulWorkload "pg" has 6 invalid arguments:
  - restoreFrom[0].volume: must name one of the workload's volumes (data) (got "logs")
  - restoreFrom[1]: cannot combine snapshots and claims: each volume is restored from one kind of source (got {"claims":["data-pg-0","c1"],"snapshots":["s0","s1"],"volume":"data"})
  - restoreFrom[1].claims[0]: must not be the claim being restored (a claim cannot be cloned from itself) (got "data-pg-0")
  - restoreFrom[2].volume: must not repeat a volume restored before (got "data")
  - restoreFrom[2].snapshots: must have one name per ordinal: 2 (replicas) (got ["s0"])
  - restoreFrom[2].sourceSize: must not be larger than the volume's size (20Gi): a volume is restored at least at its source's size; raise volumes[].size to 50Gi or more (got "50Gi")`,
        ],
        [
            "restore sources that are not names, a repeated source, no source at all, and a list that is not one",
            {
                restoreFrom: [{ snapshots: ["Snap_0", "Snap_0"], volume: "data" }, { volume: "data" }, { claims: "old-0", volume: 7 }] as never,
            },
            `StatefulWorkload "pg" has 7 invalid arguments:
  - restoreFrom[0].snapshots[0]: must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit (got "Snap_0")
  - restoreFrom[0].snapshots[1]: must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit (got "Snap_0")
  - restoreFrom[0].snapshots: must not repeat a source: each ordinal gets its own copy of the data (got ["Snap_0","Snap_0"])
  - restoreFrom[1].volume: must not repeat a volume restored before (got "data")
  - restoreFrom[1]: needs snapshots (VolumeSnapshot names) or claims (claim names to clone), one per ordinal (got {"volume":"data"})
  - restoreFrom[2].volume: must be a DNS-1123 label: at most 63 characters of lower-case letters, digits and '-', starting and ending with a letter or digit (got 7)
  - restoreFrom[2].claims: must be a list of claim names, one per ordinal (got "old-0")`,
        ],
    ];
    for (const [title, change, expected] of problems) {
        it(`refuses ${title}, every problem at once`, () => {
            const { message } = expectInvalid(() => new StatefulWorkload("pg", { ...args({}), ...change } as StatefulWorkloadArgs));
            assert.strictEqual(message, expected);
        });
    }

    it("registers nothing when the snapshot or restore arguments are refused", async () => {
        const rec = await render(() => {
            assert.throws(() => new StatefulWorkload("pg", args({ snapshots: { schedule: "nightly", volumeSnapshotClass: "x" } })));
        });
        assert.deepStrictEqual(rec.resources.filter((r) => r.type !== "pulumi:providers:kubernetes").map((r) => r.type), []);
    });
});
