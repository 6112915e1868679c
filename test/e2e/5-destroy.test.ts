import { strict as assert } from "assert";
import { e2e, pulumi } from "./support/context";
import { paths } from "./support/kube";
import { expectNoClaimLost, expectStatefulSetLive, storageSnapshot, StorageSnapshot } from "./support/live";
import { backendText, CONCURRENCY, DB_PASSWORD, deploy, pool, STACK_NAMES } from "./support/stacks";

/**
 * `pulumi destroy` on every scenario stack: the data stays (claims, their volumes,
 * namespaces), the state keeps no secret in plain text; a second `pulumi up` of the same
 * stacks re-uses the very same claims and volumes.
 */
describe("e2e: pulumi destroy keeps the data, and a second pulumi up re-uses it", function () {
    let beforeDestroy: StorageSnapshot;

    before(async function () {
        await pool(STACK_NAMES, CONCURRENCY, deploy);
        beforeDestroy = await storageSnapshot(e2e().kube);
        const started = Date.now();
        await pool(STACK_NAMES, CONCURRENCY, (stack) => pulumi(["destroy", "--yes", "--skip-preview", "-s", stack]));
        console.log(`      (${STACK_NAMES.length} stacks destroyed in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    });

    it("the StatefulSets, Deployments and DaemonSet are deleted", async () => {
        const { kube } = e2e();
        for (const [ns, resource, name] of [
            ["postgres-ebs", "statefulsets", "postgres"],
            ["zookeeper-ensemble", "statefulsets", "zookeeper"],
            ["shared-content-efs", "deployments", "web"],
            ["external-database", "deployments", "orders-api"],
            ["node-local-store", "daemonsets", "local-store"],
        ]) {
            await kube.eventually(`${ns}/${resource}/${name} to be deleted`, async () => ((await kube.get(paths.apps(ns, resource, name))) === undefined ? true : undefined), 60_000);
        }
    });

    it("every volume claim and every namespace is still there (retention)", async () => {
        const { kube } = e2e();
        // Give the garbage collector time to act on anything it would delete.
        await new Promise((r) => setTimeout(r, 3000));
        const claims: Record<string, string[]> = {
            "postgres-ebs": ["data-postgres-0", "postgres-backups"],
            "shared-content-efs": ["content"],
            "zookeeper-ensemble": ["data-zookeeper-0", "data-zookeeper-1", "data-zookeeper-2", "datalog-zookeeper-0", "datalog-zookeeper-1", "datalog-zookeeper-2"],
        };
        for (const [ns, names] of Object.entries(claims)) {
            const present = await kube.names(paths.core(ns, "persistentvolumeclaims"));
            for (const name of names) {
                assert.ok(present.includes(name), `claim ${ns}/${name} is gone (claims in ${ns}: ${present.join(", ")})`);
                const claim = await kube.must(paths.core(ns, "persistentvolumeclaims", name));
                assert.equal(claim.metadata.deletionTimestamp, undefined, `${ns}/${name} is being deleted`);
                assert.equal(claim.metadata.uid, beforeDestroy.claims.get(`${ns}/${name}`)?.uid, `${ns}/${name}: the same claim`);
                if (claim.spec.volumeName) {
                    const pv = await kube.must(paths.pv(claim.spec.volumeName));
                    assert.equal(pv.status.phase, "Bound", `the volume of ${ns}/${name}`);
                }
            }
        }
        expectNoClaimLost(beforeDestroy, await storageSnapshot(kube), "pulumi destroy of every stack");
        for (const stack of STACK_NAMES) {
            const namespace = await kube.must(paths.namespace(stack));
            assert.equal(namespace.status.phase, "Active", `namespace ${stack}`);
        }
    });

    it("the emptied state, and every file of the backend, hold no plain-text password", async () => {
        for (const stack of STACK_NAMES) {
            const state = JSON.parse((await pulumi(["stack", "export", "-s", stack])).stdout) as { deployment: { resources?: unknown[] } };
            assert.deepEqual(state.deployment.resources ?? [], [], `${stack}: resources left in state`);
        }
        assert.ok(!backendText().includes(DB_PASSWORD), "the password appears in plain text in the backend's files (state, history, backups)");
    });

    it("a second pulumi up of the same stacks re-uses the same claims (same UIDs, same volumes), and the pods become Ready on them", async function () {
        const { kube } = e2e();
        const stacks = ["postgres-ebs", "shared-content-efs", "zookeeper-ensemble"];
        const started = Date.now();
        await pool(stacks, CONCURRENCY, (stack) => pulumi(["up", "--yes", "--skip-preview", "-s", stack]));
        console.log(`      (${stacks.length} stacks up again in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
        const after = await storageSnapshot(kube);
        for (const [key, claim] of beforeDestroy.claims) {
            if (!stacks.some((s) => key.startsWith(`${s}/`))) {
                continue;
            }
            const now = after.claims.get(key);
            assert.ok(now, `${key} is gone`);
            assert.equal(now.uid, claim.uid, `${key}: the same claim`);
            assert.equal(now.volumeName, claim.volumeName, `${key}: the same volume`);
        }
        await expectStatefulSetLive(kube, "postgres-ebs", "postgres", [{ name: "data", size: "50Gi", storageClass: "postgres-fast" }]);
        await expectStatefulSetLive(kube, "zookeeper-ensemble", "zookeeper", [
            { name: "data", size: "10Gi", storageClass: "zookeeper-gp3" },
            { name: "datalog", size: "10Gi", storageClass: "zookeeper-gp3" },
        ]);
        await pool(stacks, CONCURRENCY, (stack) => pulumi(["preview", "--expect-no-changes", "-s", stack]));
    });
});
