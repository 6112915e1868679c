import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluationExecArgv, execArgvWith, median, round, ROOT, runNode } from "./measure";

/**
 * Scaling: N StatefulWorkloads (3 replicas, one volume on one shared EbsStorageClass)
 * under Pulumi's mocks, the same objects built with the bare SDK, and cdk8s-plus
 * synthesising equivalent StatefulSets; every run in a fresh process (`scaling-child.ts`,
 * `cdk8s-child.ts`), the three kinds interleaved so that they share the machine's load.
 */

export const SCALING_NS = [50, 100, 500] as const;

/** One point of a scaling curve: the median over the samples. */
export interface ScalingPoint {
    readonly n: number;
    /** Wall time of the run (modules already loaded). */
    readonly ms: number;
    /** CPU time (user + system) of the run: less sensitive to other work on the machine. */
    readonly cpuMs: number;
    /** Peak resident set of the process. */
    readonly rssMb: number;
    /** Time to load the modules, before the run. */
    readonly loadMs: number;
}

export interface ScalingResults {
    readonly scaling: ScalingPoint[];
    readonly sdkFloor: ScalingPoint[];
    readonly cdk8s: ScalingPoint[];
}

interface ChildResult {
    readonly ms: number;
    readonly cpuMs: number;
    readonly rssMb: number;
    readonly loadMs: number;
    readonly resources?: number;
    readonly objects?: number;
}

function point(n: number, runs: readonly ChildResult[]): ScalingPoint {
    return {
        cpuMs: round(median(runs.map((r) => r.cpuMs))),
        loadMs: round(median(runs.map((r) => r.loadMs))),
        ms: round(median(runs.map((r) => r.ms))),
        n,
        rssMb: round(median(runs.map((r) => r.rssMb))),
    };
}

export async function measureScaling(sampleCount: number, log: (line: string) => void): Promise<ScalingResults> {
    const child = path.join(ROOT, "tools/bench/scaling-child.ts");
    const cdk8sChild = path.join(ROOT, "tools/bench/cdk8s-child.ts");
    const ours = evaluationExecArgv();
    // The bare program needs no AWS SDK: only the core SDK and the Kubernetes provider are preloaded.
    const bare = execArgvWith(["@pulumi/pulumi", "@pulumi/kubernetes"]);
    const tsx = execArgvWith([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-scaling-"));
    const template = path.join(dir, "template.json");
    try {
        await runNode(ours, child, ["template", template], false);
        const results: ScalingResults = { cdk8s: [], scaling: [], sdkFloor: [] };
        for (const n of SCALING_NS) {
            const runs: Record<"ours" | "sdk" | "cdk8s", ChildResult[]> = { cdk8s: [], ours: [], sdk: [] };
            for (let s = 0; s < sampleCount; s++) {
                runs.ours.push((await runNode<ChildResult>(ours, child, ["ours", String(n)])).result);
                runs.sdk.push((await runNode<ChildResult>(bare, child, ["sdk", String(n), template])).result);
                runs.cdk8s.push((await runNode<ChildResult>(tsx, cdk8sChild, [String(n)])).result);
            }
            const expected = [runs.ours[0].resources, runs.sdk[0].resources, runs.cdk8s[0].objects];
            log(`  n=${n}: ours ${median(runs.ours.map((r) => r.ms))} ms, bare SDK ${median(runs.sdk.map((r) => r.ms))} ms, cdk8s ${median(runs.cdk8s.map((r) => r.ms))} ms (resources/objects: ${expected.join(", ")})`);
            results.scaling.push(point(n, runs.ours));
            results.sdkFloor.push(point(n, runs.sdk));
            results.cdk8s.push(point(n, runs.cdk8s));
        }
        return results;
    } finally {
        fs.rmSync(dir, { force: true, recursive: true });
    }
}
