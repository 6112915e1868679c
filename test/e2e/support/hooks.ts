import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startCluster, stopCluster } from "./cluster";
import { setContext } from "./context";
import { Kube } from "./kube";
import { copyProject } from "./project";
import { loadToolchain } from "./toolchain";

/**
 * Mocha root hooks of the e2e tier: build or find the toolchain (a missing piece fails the
 * whole tier, naming the piece), start a control plane in this run's own folder, copy the
 * project, point the CLI at a file backend there. The control plane is stopped afterwards,
 * also when a test or the setup failed, and on Ctrl-C / SIGTERM.
 * E2E_KEEP=1 keeps the temporary folder (backend, project copy) for inspection.
 */
let root: string | undefined;
let clusterDir: string | undefined;
let stopEnv: NodeJS.ProcessEnv = process.env;

function cleanUp(): void {
    if (clusterDir !== undefined) {
        const dir = clusterDir;
        clusterDir = undefined;
        try {
            stopCluster(dir, stopEnv);
        } catch (e) {
            console.error(`e2e: stopping the cluster in ${dir} failed: ${String(e)}`);
        }
    }
    if (root !== undefined && process.env.E2E_KEEP !== "1") {
        fs.rmSync(root, { force: true, recursive: true });
        root = undefined;
    }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
        cleanUp();
        process.exit(signal === "SIGINT" ? 130 : 143);
    });
}
process.once("exit", cleanUp);

export const mochaHooks = {
    async beforeAll(this: Mocha.Context): Promise<void> {
        this.timeout(30 * 60_000); // a cold toolchain build
        const toolchain = await loadToolchain();
        root = fs.mkdtempSync(path.join(os.tmpdir(), "stateful-stacks-e2e-"));
        const env: NodeJS.ProcessEnv = { ...process.env, ...toolchain };
        stopEnv = env;
        clusterDir = path.join(root, "cluster");
        const started = Date.now();
        // Six untainted nodes, two per zone: enough for the required host anti-affinity of
        // the cache (5 replicas in one case) and the required zone + host spread of ZooKeeper
        // (5 members in one case); plus cluster.sh's default two storage nodes.
        const cluster = await startCluster(clusterDir, { STATEFUL_STACKS_CLUSTER_NODES: "6", ...env });
        console.log(`      (control plane ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${cluster.STATEFUL_STACKS_APISERVER})`);
        const backend = path.join(root, "backend");
        fs.mkdirSync(backend);
        const project = copyProject(path.join(root, "project"));
        setContext({
            backend,
            cluster,
            env: { ...env, KUBECONFIG: cluster.KUBECONFIG, PULUMI_BACKEND_URL: `file://${backend}` },
            kube: new Kube(cluster.KUBECONFIG),
            project,
            root,
        });
    },
    afterAll(): void {
        setContext(undefined);
        cleanUp();
    },
};
