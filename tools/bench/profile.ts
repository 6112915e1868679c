/**
 * Where a cold plan's time goes: runs the plan's worker for the stacks given (default
 * postgres-ebs), started as `plan` starts it, under `node --cpu-prof`, and prints the
 * profile's self time by where the code lives (a package, Node's module loader, the
 * garbage collector, this repository's folders), largest first.
 *
 *   npm run bench:profile -- [stack…]
 *   npm run bench:profile -- --scaling ours 500      the scaling child instead
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluationExecArgv, ROOT, runNode } from "./measure";

interface ProfileNode {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
}

interface CpuProfile {
    readonly nodes: readonly ProfileNode[];
    readonly samples: readonly number[];
    readonly timeDeltas: readonly number[];
}

/** The place a frame's code lives, for grouping. */
export function placeOf(frame: ProfileNode["callFrame"]): string {
    const url = frame.url;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg) {
        return pkg[1];
    }
    if (url.startsWith("node:internal/modules") || url.startsWith("node:internal/fs") || frame.functionName === "readFileUtf8" || frame.functionName === "internalModuleStat" || frame.functionName === "compileFunctionForCJSLoader") {
        return "(node: loading modules)";
    }
    if (url.startsWith("node:")) {
        return "(node: other)";
    }
    const local = url.startsWith("file://") ? url.slice("file://".length) : url;
    if (local.startsWith(ROOT)) {
        return `${path.relative(ROOT, local).split(path.sep)[0]}/`;
    }
    return frame.functionName ? `(${frame.functionName})` : "(native)";
}

/** Self time in milliseconds by place, largest first. */
export function summarize(profile: CpuProfile): Array<[string, number]> {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const totals = new Map<string, number>();
    profile.samples.forEach((id, i) => {
        const place = placeOf(byId.get(id)!.callFrame);
        totals.set(place, (totals.get(place) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-profile-"));
    try {
        const profiling = ["--cpu-prof", "--cpu-prof-dir", dir];
        if (args[0] === "--scaling") {
            await runNode([...profiling, ...evaluationExecArgv()], path.join(ROOT, "tools/bench/scaling-child.ts"), args.slice(1), false);
        } else {
            const stacks = args.length ? args : ["postgres-ebs"];
            await runNode([...profiling, ...evaluationExecArgv()], path.join(ROOT, "tools/plan/worker.ts"), [ROOT, "--placeholder-secrets", ...stacks], false);
        }
        const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))!;
        const rows = summarize(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile);
        const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
        console.log(`profiled ${total.toFixed(0)} ms (wall time of the samples; the machine's other work inflates it evenly)`);
        for (const [place, ms] of rows.slice(0, 20)) {
            console.log(`${ms.toFixed(0).padStart(7)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${place}`);
        }
    } finally {
        fs.rmSync(dir, { force: true, recursive: true });
    }
}

if (require.main === module) {
    main().catch((err) => {
        console.error(err);
        process.exit(1);
    });
}
