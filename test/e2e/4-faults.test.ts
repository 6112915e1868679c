import { strict as assert } from "assert";
import { apiserver } from "./support/cluster";
import { e2e, pulumi, startPulumi } from "./support/context";
import { KubeObject, paths } from "./support/kube";
import { expectNoClaimLost, expectStatefulSetLive, storageSnapshot } from "./support/live";
import { RunResult } from "./support/run";
import { deploy, withConfig } from "./support/stacks";

/**
 * Faults during `pulumi up`: the API server going away in the middle of the run, and the
 * CLI interrupted. Nothing may be lost (claims keep their UIDs and volumes), and the stack
 * must be recoverable the way Pulumi documents it.
 */

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 25): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            const value = await probe();
            if (value !== undefined) {
                return value;
            }
        } catch {
            // the API server may be briefly unreachable
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
        }
        await new Promise((r) => setTimeout(r, intervalMs));
    }
}

function exportState(text: string): { pending: { type: string; resource: { urn: string } }[] } {
    const state = JSON.parse(text) as { deployment: { pending_operations?: { type: string; resource: { urn: string } }[] } };
    return { pending: state.deployment.pending_operations ?? [] };
}

describe("e2e: faults during pulumi up", function () {
    it("the API server stopped in the middle of pulumi up: the run fails naming the unreachable server, nothing is lost, and after a restart pulumi up --refresh converges", async function () {
        const { kube, cluster, env } = e2e();
        const stack = "external-database";
        await deploy(stack);
        const ns = "external-database";
        const before = await storageSnapshot(kube);
        const configMaps = new Set(((await kube.must(paths.core(ns, "configmaps"))).items as KubeObject[]).map((c) => c.metadata.uid as string));
        const change = { dbHosts: "orders-v3.cluster-c9akciq32.us-east-1.rds.amazonaws.com" };
        let result: RunResult | undefined;
        let stoppedAt = 0;
        await withConfig(stack, change, {}, async () => {
            // The connection ConfigMap is replaced first; the Deployment that reads it comes after.
            const run = startPulumi(["up", "--yes", "--skip-preview", "-s", stack]);
            try {
                await until(
                    "the replacement ConfigMap",
                    async () => (((await kube.must(paths.core(ns, "configmaps"))).items as KubeObject[]).some((c) => !configMaps.has(c.metadata.uid)) ? true : undefined),
                    240_000,
                );
                await apiserver("stop", cluster.STATEFUL_STACKS_CLUSTER_DIR, env);
                stoppedAt = Date.now();
                result = await Promise.race([run.done, new Promise<undefined>((r) => setTimeout(() => r(undefined), 180_000))]);
            } finally {
                if (stoppedAt === 0 || result === undefined) {
                    run.child.kill("SIGKILL");
                }
                await apiserver("start", cluster.STATEFUL_STACKS_CLUSTER_DIR, env);
            }
            assert.ok(result, "pulumi up did not end within 3 minutes of the API server stopping");
            const output = `${result.stdout}\n${result.stderr}`;
            assert.notEqual(result.code, 0, `pulumi up succeeded without the API server:\n${output}`);
            const api = cluster.STATEFUL_STACKS_APISERVER.replace("https://", "");
            assert.ok(output.includes(api) && /connection refused|unreachable/.test(output), `the failure names the API server ${api}:\n${output.slice(-3000)}`);
            console.log(`      (pulumi up failed ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after the API server stopped)`);
            expectNoClaimLost(before, await storageSnapshot(kube), "after the failed run");
            await pulumi(["up", "--yes", "--refresh", "--skip-preview", "-s", stack]);
            await pulumi(["preview", "--expect-no-changes", "-s", stack]);
            const config = await kube.must(paths.core(ns, "configmaps", (JSON.parse((await pulumi(["stack", "output", "--json", "-s", stack])).stdout) as { configMapName: string }).configMapName));
            assert.equal(config.data.HOSTS, change.dbHosts, "converged on the changed config");
        });
        await pulumi(["up", "--yes", "--skip-preview", "-s", stack]);
        expectNoClaimLost(before, await storageSnapshot(kube), "after the restart and the converging runs");
    });

    it("pulumi up interrupted (SIGINT twice, during the StatefulSet's await): pending operations in the state, cleared by pulumi refresh; the next up converges; no claim lost", async function () {
        const { kube } = e2e();
        const stack = "zookeeper-ensemble";
        const ns = "zookeeper-ensemble";
        await deploy(stack);
        const before = await storageSnapshot(kube);
        await withConfig(stack, { replicas: "5" }, {}, async () => {
            const run = startPulumi(["up", "--yes", "--skip-preview", "-s", stack]);
            try {
                await until("the StatefulSet scaled to 5", async () => ((await kube.must(paths.apps(ns, "statefulsets", "zookeeper"))).spec.replicas === 5 ? true : undefined), 240_000);
            } catch (e) {
                run.child.kill("SIGKILL");
                throw e;
            }
            // The first ^C asks the engine to stop after the operations in flight; the second terminates at once.
            run.child.kill("SIGINT");
            await new Promise((r) => setTimeout(r, 300));
            run.child.kill("SIGINT");
            const result = await run.done;
            assert.notEqual(result.code, 0, "the interrupted run reports failure");
            const interrupted = exportState((await pulumi(["stack", "export", "-s", stack])).stdout);
            assert.ok(
                interrupted.pending.some((p) => p.resource.urn.endsWith("StatefulSet::zookeeper")),
                `the StatefulSet's update is a pending operation: ${JSON.stringify(interrupted.pending.map((p) => `${p.type} ${p.resource.urn}`))}`,
            );
            expectNoClaimLost(before, await storageSnapshot(kube), "after the interrupted run");
            // What Pulumi documents for an interrupted update: refresh (pending creates would need --clear-pending-creates).
            await pulumi(["refresh", "--yes", "--skip-preview", "--clear-pending-creates", "-s", stack]);
            assert.deepEqual(exportState((await pulumi(["stack", "export", "-s", stack])).stdout).pending, [], "no pending operation after the refresh");
            await pulumi(["up", "--yes", "--skip-preview", "-s", stack]);
            await pulumi(["preview", "--expect-no-changes", "-s", stack]);
            await expectStatefulSetLive(kube, ns, "zookeeper", [
                { name: "data", size: "10Gi", storageClass: "zookeeper-gp3" },
                { name: "datalog", size: "10Gi", storageClass: "zookeeper-gp3" },
            ]);
        });
        await pulumi(["up", "--yes", "--skip-preview", "-s", stack]);
        expectNoClaimLost(before, await storageSnapshot(kube), "after recovering and restoring");
    });
});
