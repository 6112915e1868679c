import { strict as assert } from "assert";
import { e2e, pulumi } from "./support/context";
import { paths } from "./support/kube";
import { backendText, CONCURRENCY, DB_PASSWORD, deploy, pool, STACK_NAMES } from "./support/stacks";

/** `pulumi destroy` on every scenario stack: the data stays (claims, namespaces), the state keeps no secret in plain text. */
describe("e2e: pulumi destroy keeps the data", function () {
    before(async function () {
        await pool(STACK_NAMES, CONCURRENCY, deploy);
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
            // Skip-await: the provider does not wait for the garbage collector's foreground deletion.
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
            assert.deepEqual(present, names.sort(), `claims in ${ns}`);
            for (const name of names) {
                const claim = await kube.must(paths.core(ns, "persistentvolumeclaims", name));
                assert.equal(claim.metadata.deletionTimestamp, undefined, `${ns}/${name} is being deleted`);
            }
        }
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
});
