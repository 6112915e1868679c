import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { apiserver } from "./support/cluster";
import { e2e, pulumi, startPulumi } from "./support/context";
import { paths } from "./support/kube";
import { expectNoClaimLost, expectStatefulSetLive, storageSnapshot } from "./support/live";
import { RunResult } from "./support/run";
import { deploy, withConfig } from "./support/stacks";

/**
 * Faults during `pulumi up`: the API server going away, and the CLI interrupted. Nothing
 * may be lost (every claim of the cluster keeps its UID and its volume), and the stack must
 * be recoverable the way Pulumi documents it.
 */

const ZOOKEEPER_VOLUMES = [
    { name: "data", size: "10Gi", storageClass: "zookeeper-gp3" },
    { name: "datalog", size: "10Gi", storageClass: "zookeeper-gp3" },
];

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

function pendingOperations(exported: string): { type: string; resource: { urn: string } }[] {
    return (JSON.parse(exported) as { deployment: { pending_operations?: { type: string; resource: { urn: string } }[] } }).deployment.pending_operations ?? [];
}

/** The lock files of a stack in the file backend (an interrupted CLI may leave one). */
function locks(stack: string): string[] {
    const dir = path.join(e2e().backend, ".pulumi", "locks", "organization", "stateful-stacks", stack);
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

/** `pid` and every process below it (Linux /proc): Pulumi starts its plugins in process groups of their own. */
function processTree(pid: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
        } catch {
            // the process ended meanwhile
        }
    }
    const out: number[] = [];
    const walk = (p: number) => {
        out.push(p);
        (children.get(p) ?? []).forEach(walk);
    };
    walk(pid);
    return out;
}

/** SIGKILL to the CLI, its language host and program, and its plugins: a crashed CI runner. */
function killTree(pid: number): void {
    for (const p of processTree(pid)) {
        try {
            process.kill(p, "SIGKILL");
        } catch {
            // already gone
        }
    }
}

/** `pulumi up --refresh`, then a preview with nothing to change and the ensemble live as declared. */
async function convergeWithRefresh(stack: string): Promise<void> {
    await pulumi(["up", "--yes", "--refresh", "--skip-preview", "-s", stack]);
    await pulumi(["preview", "--expect-no-changes", "-s", stack]);
    await expectStatefulSetLive(e2e().kube, stack, "zookeeper", ZOOKEEPER_VOLUMES);
}

/**
 * Starts `pulumi up` of a configured scale-up that cannot become ready and returns once
 * the StatefulSet took the new replica count and the provider is waiting; the CLI and its
 * plugins are killed if it never gets there.
 */
async function startStuckScaleUp(stack: string): Promise<ReturnType<typeof startPulumi>> {
    const { kube } = e2e();
    const run = startPulumi(["up", "--yes", "--skip-preview", "-s", stack]);
    try {
        await until("the StatefulSet scaled to 7", async () => ((await kube.must(paths.apps(stack, "statefulsets", "zookeeper"))).spec.replicas === 7 ? true : undefined), 240_000);
        await new Promise((r) => setTimeout(r, 2000));
    } catch (error) {
        killTree(run.child.pid as number);
        throw error;
    }
    return run;
}

/** The run's result, or undefined if it is still running after `ms`. */
async function within(ms: number, run: { done: Promise<RunResult> }): Promise<RunResult | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
        return await Promise.race([run.done, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
    } finally {
        clearTimeout(timer);
    }
}

describe("e2e: faults during pulumi up", function () {
    it("the API server stopped as pulumi up starts its operations: the run fails naming the unreachable server, nothing is lost, and after a restart pulumi up --refresh converges", async function () {
        const { kube, cluster, env } = e2e();
        const stack = "external-database";
        await deploy(stack);
        const before = await storageSnapshot(kube);
        const change = { dbHosts: "orders-v3.cluster-c9akciq32.us-east-1.rds.amazonaws.com" };
        await withConfig(stack, change, {}, async () => {
            const run = startPulumi(["up", "--yes", "--skip-preview", "-s", stack]);
            let result: RunResult | undefined;
            try {
                // The engine has started the update (its header is out); the program is still starting.
                await until("pulumi up to start its update", async () => (run.output().includes("Updating (") ? true : undefined), 120_000);
                await apiserver("stop", cluster.STATEFUL_STACKS_CLUSTER_DIR, env);
                result = await within(180_000, run);
            } finally {
                if (result === undefined) {
                    killTree(run.child.pid as number);
                }
                await apiserver("start", cluster.STATEFUL_STACKS_CLUSTER_DIR, env);
            }
            assert.ok(result, "pulumi up did not end within 3 minutes of the API server stopping");
            const output = `${result.stdout}\n${result.stderr}`;
            assert.notEqual(result.code, 0, `pulumi up succeeded without the API server:\n${output}`);
            const api = cluster.STATEFUL_STACKS_APISERVER.replace("https://", "");
            assert.ok(/unreachable|connection refused/.test(output) && output.includes(api), `the failure names the unreachable API server ${api}:\n${output.slice(-3000)}`);
            assert.deepEqual(locks(stack), [], "the failed run released the stack's lock");
            expectNoClaimLost(before, await storageSnapshot(kube), "after the failed run");
            await pulumi(["up", "--yes", "--refresh", "--skip-preview", "-s", stack]);
            await pulumi(["preview", "--expect-no-changes", "-s", stack]);
            const name = (JSON.parse((await pulumi(["stack", "output", "--json", "-s", stack])).stdout) as { configMapName: string }).configMapName;
            assert.equal((await kube.must(paths.core(stack, "configmaps", name))).data.HOSTS, change.dbHosts, "converged on the changed config");
        });
        await pulumi(["up", "--yes", "--skip-preview", "-s", stack]);
        expectNoClaimLost(before, await storageSnapshot(kube), "after the restart and the converging runs");
    });

    it("the API server stopped while pulumi up waits for a StatefulSet: 4.25 keeps waiting (its watches retry) and the run finishes once the server is back; nothing lost", async function () {
        const { kube, cluster, env } = e2e();
        const stack = "zookeeper-ensemble";
        await deploy(stack);
        const before = await storageSnapshot(kube);
        await withConfig(stack, { replicas: "5" }, {}, async () => {
            const run = startPulumi(["up", "--yes", "--skip-preview", "-s", stack]);
            let result: RunResult | undefined;
            try {
                await until("the StatefulSet scaled to 5", async () => ((await kube.must(paths.apps(stack, "statefulsets", "zookeeper"))).spec.replicas === 5 ? true : undefined), 240_000);
                await apiserver("stop", cluster.STATEFUL_STACKS_CLUSTER_DIR, env);
                assert.equal(await within(15_000, run), undefined, "pulumi up ended while the API server was down");
                await apiserver("start", cluster.STATEFUL_STACKS_CLUSTER_DIR, env);
                result = await within(300_000, run);
            } finally {
                if (result === undefined) {
                    killTree(run.child.pid as number);
                    await apiserver("start", cluster.STATEFUL_STACKS_CLUSTER_DIR, env);
                }
            }
            assert.ok(result, "pulumi up did not finish within 5 minutes of the API server's restart");
            assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
            expectNoClaimLost(before, await storageSnapshot(kube), "after the outage");
            await convergeWithRefresh(stack);
        });
        await pulumi(["up", "--yes", "--skip-preview", "-s", stack]);
        expectNoClaimLost(before, await storageSnapshot(kube), "after restoring");
    });

    it("pulumi up interrupted with SIGINT while it waits for a StatefulSet that cannot become ready: the wait is cancelled, no pending operation, nothing lost; the state keeps the old spec while the cluster has the new one, so only pulumi up --refresh converges", async function () {
        const { kube } = e2e();
        const stack = "zookeeper-ensemble";
        await deploy(stack);
        const before = await storageSnapshot(kube);
        // 7 members with required host anti-affinity on 6 nodes: the 7th pod stays Pending, so the await cannot end.
        await withConfig(stack, { replicas: "7" }, {}, async () => {
            const run = await startStuckScaleUp(stack);
            let result: RunResult | undefined;
            try {
                run.child.kill("SIGINT");
                result = await within(60_000, run);
            } finally {
                if (result === undefined) {
                    killTree(run.child.pid as number);
                }
            }
            assert.ok(result, "pulumi did not end within a minute of SIGINT");
            assert.notEqual(result.code, 0, "the interrupted run reports failure");
            assert.match(result.stdout + result.stderr, /Resource operation was cancelled for "zookeeper"/);
            console.log(`      (after SIGINT: exit ${result.code}; ${JSON.stringify(`${result.stdout}\n${result.stderr}`.trim().split("\n").filter((l) => /cancel|interrupt|error/i.test(l)).slice(-4))})`);
            assert.deepEqual(locks(stack), [], "the lock is released");
            assert.deepEqual(pendingOperations((await pulumi(["stack", "export", "-s", stack])).stdout), [], "no pending operation");
            expectNoClaimLost(before, await storageSnapshot(kube), "after the interrupted run");
        });
        // The failed update kept the StatefulSet's old inputs in the state; the live object has
        // 7 replicas. The claim patches of ordinals 3–6 were created before the set's update
        // (a new ordinal's claim exists before its pod), so a plain preview, which compares the
        // program with the state only, sees just their deletes: retained, the claims stay.
        const preview = JSON.parse((await pulumi(["preview", "--json", "-s", stack])).stdout) as { steps: { op: string; urn: string }[] };
        const changed = preview.steps.filter((step) => step.op !== "same").map((step) => {
            const [types, name] = step.urn.split("::").slice(-2);
            return `${step.op} ${types.split("$").pop()}::${name}`;
        }).sort();
        const patches = ["data", "datalog"].flatMap((volume) => [3, 4, 5, 6].map((i) => `delete kubernetes:core/v1:PersistentVolumeClaimPatch::zookeeper-${volume}-${i}`)).sort();
        assert.deepEqual(changed, patches, "a plain preview sees only the new ordinals' claim patches to delete");
        assert.equal((await kube.must(paths.apps(stack, "statefulsets", "zookeeper"))).spec.replicas, 7, "the cluster kept the interrupted change");
        await convergeWithRefresh(stack);
        expectNoClaimLost(before, await storageSnapshot(kube), "after pulumi up --refresh");
    });

    it("pulumi up killed (SIGKILL to the CLI and its plugins) while it waits: any lock left is removed with pulumi cancel, pending operations cleared by pulumi refresh; pulumi up --refresh converges; no claim lost", async function () {
        const { kube } = e2e();
        const stack = "zookeeper-ensemble";
        await deploy(stack);
        const before = await storageSnapshot(kube);
        await withConfig(stack, { replicas: "7" }, {}, async () => {
            const run = await startStuckScaleUp(stack);
            killTree(run.child.pid as number);
            const result = await run.done;
            assert.notEqual(result.code, 0);
            const pending = pendingOperations((await pulumi(["stack", "export", "-s", stack])).stdout);
            console.log(`      (after SIGKILL: pending ${JSON.stringify(pending.map((p) => `${p.type} ${p.resource.urn.split("::").pop()}`))}, locks ${locks(stack).length})`);
            if (locks(stack).length) {
                await pulumi(["cancel", "--yes", "-s", stack]);
                assert.deepEqual(locks(stack), [], "pulumi cancel removed the lock");
            }
            expectNoClaimLost(before, await storageSnapshot(kube), "after the killed run");
        });
        // What Pulumi documents for an interrupted update: refresh resolves the pending
        // operations (pending creates would need --clear-pending-creates); then the next up.
        await pulumi(["refresh", "--yes", "--skip-preview", "--clear-pending-creates", "-s", stack]);
        assert.deepEqual(pendingOperations((await pulumi(["stack", "export", "-s", stack])).stdout), [], "no pending operation after the refresh");
        await convergeWithRefresh(stack);
        expectNoClaimLost(before, await storageSnapshot(kube), "after recovering");
    });
});
