import * as assert from "assert";
import * as fc from "fast-check";
import { buildRestoredClaims, RESTORED_FROM_ANNOTATION } from "../../components/workload/restore";
import { buildSnapshotObjects, DEFAULT_SNAPSHOT_IMAGE, isCronSchedule, resolveSnapshots, SNAPSHOT_SCRIPT } from "../../components/workload/snapshot-schedule";
import { StatefulWorkloadArgs } from "../../components/workload/stateful-workload-args";
import { claimNames } from "../../components/workload/stateful-workload-spec";
import { validateStatefulWorkloadArgs } from "../../components/workload/stateful-workload-validate";
import { KubernetesObject, validateKubernetesObject } from "../../tools/engine/schema";

const base: StatefulWorkloadArgs = {
    image: "postgres:16.4",
    namespace: "db",
    ports: [{ name: "pg", port: 5432 }],
    volumes: [{ mountPath: "/data", name: "data", size: "20Gi", storageClass: "gp3" }],
};

describe("snapshot schedule: pure builders", () => {
    const schedules: [unknown, boolean][] = [
        ["0 2 * * *", true],
        ["*/15 * * * *", true],
        ["0 0 1,15 * MON-FRI", true],
        ["@daily", true],
        ["@every 1h", false],
        ["0 2 * *", false],
        ["0  2 * * *", false],
        ["TZ=UTC 0 2 * * *", false],
        ["0 2 * * * *", false],
        ["0 2 * * $(id)", false],
        [12, false],
    ];
    for (const [value, ok] of schedules) {
        it(`isCronSchedule(${JSON.stringify(value)}) is ${ok}`, () => assert.strictEqual(isCronSchedule(value), ok));
    }

    it("applies the defaults once: keep 7, every volume, the pinned curl image, 900 s, not suspended", () => {
        assert.deepStrictEqual(resolveSnapshots("pg", { schedule: "@daily", volumeSnapshotClass: "snap" }, ["data", "wal"]), {
            className: "snap",
            classResource: undefined,
            image: DEFAULT_SNAPSHOT_IMAGE,
            keep: 7,
            name: "pg-snapshots",
            readyTimeoutSeconds: 900,
            schedule: "@daily",
            suspend: false,
            timeZone: undefined,
            volumes: ["data", "wal"],
        });
        assert.strictEqual(resolveSnapshots("pg", undefined, ["data"]), undefined);
    });

    it("renders schema-valid objects whose Role names exactly the snapshotted claims, for any replicas and volumes", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 12 }), fc.uniqueArray(fc.constantFrom("data", "wal", "logs"), { minLength: 1, maxLength: 3 }), (replicas, volumes) => {
                const resolved = resolveSnapshots("pg", { schedule: "0 2 * * *", volumeSnapshotClass: "snap" }, volumes)!;
                const objects = buildSnapshotObjects("pg", "db", replicas, resolved);
                const claims = claimNames("pg", volumes.map((name) => ({ name })), replicas);
                const rules = (objects.role as { rules: { resources: string[]; resourceNames?: string[] }[] }).rules;
                assert.deepStrictEqual(rules.filter((r) => r.resources.includes("persistentvolumeclaims")).flatMap((r) => r.resourceNames), claims);
                for (const [kind, apiVersion, object] of [
                    ["ServiceAccount", "v1", objects.serviceAccount],
                    ["Role", "rbac.authorization.k8s.io/v1", objects.role],
                    ["RoleBinding", "rbac.authorization.k8s.io/v1", objects.roleBinding],
                    ["CronJob", "batch/v1", objects.cronJob],
                ] as const) {
                    assert.deepStrictEqual(validateKubernetesObject({ apiVersion, kind, ...(object as object) } as KubernetesObject), [], kind);
                }
            }),
            { numRuns: 40, seed: 11 },
        );
    });

    it("the script reads its settings from the environment: no value of the workload is in it", () => {
        const script = (sts: string, volumes: string[]) =>
            (buildSnapshotObjects(sts, "db", 2, resolveSnapshots(sts, { schedule: "@daily", volumeSnapshotClass: "snap" }, volumes)!).cronJob as any).spec.jobTemplate.spec.template.spec.containers[0].command;
        assert.deepStrictEqual(script("pg", ["data"]), ["sh", "-c", SNAPSHOT_SCRIPT]);
        assert.deepStrictEqual(script("zk", ["data", "log"]), ["sh", "-c", SNAPSHOT_SCRIPT]);
        for (const name of ["STATEFUL_SET", "VOLUMES", "REPLICAS", "KEEP", "SNAPSHOT_CLASS", "READY_TIMEOUT"]) {
            assert.match(SNAPSHOT_SCRIPT, new RegExp(`\\$${name}\\b|\\$\\{${name}\\}`), name);
        }
        // The token never reaches curl's command line (ps would show it).
        assert.doesNotMatch(SNAPSHOT_SCRIPT, /-H "Authorization|--oauth2-bearer/);
    });
});

describe("restoreFrom: pure builders and validation", () => {
    it("builds one claim per volume and ordinal, snapshots and clones, with the template's size, class and access modes", () => {
        const claims = buildRestoredClaims(
            "zk",
            "ens",
            [
                { snapshots: ["s0", "s1"], volume: "data" },
                { claims: ["old-log-0", "old-log-1"], volume: "log" },
            ],
            [
                { name: "data", size: "10Gi" },
                { accessModes: ["ReadWriteOncePod"], name: "log", size: "5Gi" },
            ],
            (volume) => `${volume}-class`,
            { app: "zk" },
        );
        assert.deepStrictEqual(
            claims.map((c) => [c.claimName, c.volume, c.ordinal]),
            [
                ["data-zk-0", "data", 0],
                ["data-zk-1", "data", 1],
                ["log-zk-0", "log", 0],
                ["log-zk-1", "log", 1],
            ],
        );
        assert.deepStrictEqual(claims[3].args, {
            metadata: { annotations: { [RESTORED_FROM_ANNOTATION]: "PersistentVolumeClaim/old-log-1" }, labels: { app: "zk" }, name: "log-zk-1", namespace: "ens" },
            spec: { accessModes: ["ReadWriteOncePod"], dataSourceRef: { kind: "PersistentVolumeClaim", name: "old-log-1" }, resources: { requests: { storage: "5Gi" } }, storageClassName: "log-class" },
        });
        assert.deepStrictEqual(claims[0].args.spec, {
            accessModes: ["ReadWriteOnce"],
            dataSourceRef: { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: "s0" },
            resources: { requests: { storage: "10Gi" } },
            storageClassName: "data-class",
        });
        for (const claim of claims) {
            assert.deepStrictEqual(validateKubernetesObject({ apiVersion: "v1", kind: "PersistentVolumeClaim", ...claim.args } as KubernetesObject), []);
        }
    });

    it("accepts a restore of every ordinal, with no sources at replicas 0, and a source size equal to the volume's", () => {
        assert.deepStrictEqual(validateStatefulWorkloadArgs("pg", { ...base, replicas: 2, restoreFrom: [{ snapshots: ["a", "b"], sourceSize: "20Gi", volume: "data" }] }), []);
        assert.deepStrictEqual(validateStatefulWorkloadArgs("pg", { ...base, replicas: 0, restoreFrom: [{ snapshots: [], volume: "data" }] }), []);
        assert.deepStrictEqual(validateStatefulWorkloadArgs("pg", { ...base, restoreFrom: [{ claims: ["data-other-0"], sourceSize: "20480Mi", volume: "data" }] }), []);
    });

    it("does not count ordinals when replicas itself is invalid (one problem, at replicas)", () => {
        const problems = validateStatefulWorkloadArgs("pg", { ...base, replicas: -1, restoreFrom: [{ snapshots: ["a"], volume: "data" }] });
        assert.deepStrictEqual(problems.map((p) => p.path), ["replicas"]);
    });

    it("refuses snapshots on a workload without volumes, and restoreFrom that is not a list", () => {
        const problems = validateStatefulWorkloadArgs("pg", { ...base, restoreFrom: { volume: "data" } as never, snapshots: { schedule: "@daily", volumeSnapshotClass: "snap" }, volumes: [] });
        assert.deepStrictEqual(
            problems.map((p) => `${p.path}: ${p.expected}`),
            ["snapshots: needs volumes: the workload has none to snapshot", "restoreFrom: must be a list of { volume, snapshots? | claims?, sourceSize? }"],
        );
    });
});
