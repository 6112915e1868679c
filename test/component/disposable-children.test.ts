import * as assert from "assert";
import { ExternalStore } from "../../components/external/external-store";
import { NodeLocalStore } from "../../components/workload/node-local-store";
import { ReplicatedCache } from "../../components/workload/replicated-cache";
import { StatefulWorkload } from "../../components/workload/stateful-workload";
import { RecordedResource } from "../../tools/engine/mocks";
import { recorder, render } from "../support/pulumi";

/** `[type::name, protect, retainOnDelete]` of every custom resource, sorted. */
function options(resources: readonly RecordedResource[]): [string, boolean, boolean][] {
    return resources
        .filter((r) => r.custom)
        .map((r): [string, boolean, boolean] => [`${r.type}::${r.name}`, r.protect, r.retainOnDelete])
        .sort(([a], [b]) => a.localeCompare(b));
}

describe("protect on a component freezes only the children that hold data", () => {
    before(async () => {
        await recorder();
    });

    it("StatefulWorkload: the StatefulSet (it owns the claims) and its owner ConfigMap are protected; the claim patches (retained), the Services and the PDB are not", async () => {
        const rec = await render(
            () =>
                new StatefulWorkload(
                    "pg",
                    {
                        namespace: "db",
                        image: "postgres:16.4",
                        replicas: 3,
                        ports: [{ name: "pg", port: 5432 }],
                        volumes: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: "20Gi", storageClass: "gp3" }],
                        disruptionBudget: { maxUnavailable: 1 },
                    },
                    { protect: true },
                ),
        );
        assert.deepStrictEqual(options(rec.resources), [
            ["kubernetes:apps/v1:StatefulSet::pg", true, false],
            ["kubernetes:core/v1:ConfigMap::pg-owner", true, false],
            ["kubernetes:core/v1:PersistentVolumeClaimPatch::pg-data-0", false, true],
            ["kubernetes:core/v1:PersistentVolumeClaimPatch::pg-data-1", false, true],
            ["kubernetes:core/v1:PersistentVolumeClaimPatch::pg-data-2", false, true],
            ["kubernetes:core/v1:Service::pg", false, false],
            ["kubernetes:core/v1:Service::pg-headless", false, false],
            ["kubernetes:policy/v1:PodDisruptionBudget::pg", false, false],
        ]);
    });

    it("ExternalStore: the ConfigMap and the Service are not protected; the Secret (credentials) keeps protect", async () => {
        const rec = await render(
            () =>
                new ExternalStore(
                    "orders",
                    {
                        database: "orders",
                        engine: "postgresql",
                        externalName: "orders.cluster-abc.us-east-1.rds.amazonaws.com",
                        hosts: ["orders.cluster-abc.us-east-1.rds.amazonaws.com"],
                        namespace: "shop",
                        password: "correct-horse-battery",
                        username: "orders_app",
                    },
                    { protect: true },
                ),
        );
        assert.deepStrictEqual(options(rec.resources), [
            ["kubernetes:core/v1:ConfigMap::orders-connection", false, false],
            ["kubernetes:core/v1:Secret::orders-credentials", true, false],
            ["kubernetes:core/v1:Service::orders", false, false],
        ]);
    });

    it("ReplicatedCache: the Deployment, the Service and the PDB are not protected", async () => {
        const rec = await render(() => new ReplicatedCache("sessions", { namespace: "shop", engine: "redis" }, { protect: true }));
        assert.deepStrictEqual(options(rec.resources), [
            ["kubernetes:apps/v1:Deployment::sessions", false, false],
            ["kubernetes:core/v1:Service::sessions", false, false],
            ["kubernetes:policy/v1:PodDisruptionBudget::sessions-pdb", false, false],
        ]);
    });

    it("NodeLocalStore: the DaemonSet, the Service and the StorageClass are not protected", async () => {
        const rec = await render(
            () =>
                new NodeLocalStore(
                    "blobs",
                    {
                        image: "minio/minio:RELEASE.2025-09-07T16-13-09Z",
                        localStorageClass: true,
                        namespace: "storage",
                        nodeSelector: { "stateful-stacks.io/storage": "local" },
                        ports: [{ name: "api", port: 9000 }],
                    },
                    { protect: true },
                ),
        );
        const got = options(rec.resources);
        assert.strictEqual(got.length, 3, JSON.stringify(got));
        assert.deepStrictEqual(got.filter(([, protect, retain]) => protect || retain), []);
    });
});
