import { execFileSync } from "child_process";
import { run, tail } from "./run";
import { CLUSTER_SH, REPO } from "./toolchain";

/** What `cluster.sh start --json` prints. */
export interface ClusterEnv {
    readonly KUBECONFIG: string;
    readonly STATEFUL_STACKS_CLUSTER_DIR: string;
    readonly STATEFUL_STACKS_APISERVER: string;
}

/** Starts a control plane in `dir` (its own directory: a colleague's cluster is never touched). */
export async function startCluster(dir: string, env: NodeJS.ProcessEnv): Promise<ClusterEnv> {
    const result = await run(CLUSTER_SH, ["start", "--json"], { cwd: REPO, env: { ...env, STATEFUL_STACKS_CLUSTER_DIR: dir } });
    if (result.code !== 0) {
        throw new Error(`tools/e2e/cluster.sh start failed (exit ${result.code}):\n${tail(result.stderr)}`);
    }
    return JSON.parse(result.stdout) as ClusterEnv;
}

/** Stops the control plane in `dir` and removes the directory; synchronous, so it also works from an exit handler. */
export function stopCluster(dir: string, env: NodeJS.ProcessEnv): void {
    execFileSync(CLUSTER_SH, ["stop"], { cwd: REPO, env: { ...env, STATEFUL_STACKS_CLUSTER_DIR: dir }, stdio: ["ignore", "ignore", "inherit"] });
}

/** Stops or starts only kube-apiserver of the running cluster in `dir` (same port, same etcd data). */
export async function apiserver(action: "stop" | "start", dir: string, env: NodeJS.ProcessEnv): Promise<void> {
    const result = await run(CLUSTER_SH, ["apiserver", action], { cwd: REPO, env: { ...env, STATEFUL_STACKS_CLUSTER_DIR: dir } });
    if (result.code !== 0) {
        throw new Error(`tools/e2e/cluster.sh apiserver ${action} failed (exit ${result.code}):\n${tail(result.stderr)}`);
    }
}
