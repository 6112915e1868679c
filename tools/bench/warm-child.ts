/**
 * Warm plans, in their own process (started by `scenarios.ts` the way `plan` starts its
 * worker: SDKs preloaded, then the TypeScript loader): every stack is planned once to load
 * the modules, then `rounds` more times, each plan being the program under fresh mocks,
 * the schema check and the files written. Prints one JSON line:
 * `{ rounds: [{ "<stack>": { wallMs, cpuMs }, … }, …] }` (the warm-up round first).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { evaluateStack, prepareEvaluationProcess } from "../plan/evaluate";
import { loadProject, writeStack } from "../plan";

async function main(): Promise<void> {
    const [root, roundsArg, ...stacks] = process.argv.slice(2);
    prepareEvaluationProcess();
    const project = loadProject(root);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-warm-"));
    const rounds: Array<Record<string, { wallMs: number; cpuMs: number }>> = [];
    try {
        for (let round = 0; round <= Number(roundsArg); round++) {
            const times: Record<string, { wallMs: number; cpuMs: number }> = {};
            for (const stack of stacks) {
                const cpu = process.cpuUsage();
                const started = performance.now();
                const render = await evaluateStack(project, stack, { placeholderSecrets: true });
                writeStack(render, path.join(out, stack));
                const used = process.cpuUsage(cpu);
                times[stack] = { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started };
            }
            rounds.push(times);
        }
    } finally {
        fs.rmSync(out, { force: true, recursive: true });
    }
    process.stdout.write(`${JSON.stringify({ rounds })}\n`);
}

main().then(
    () => process.exit(0),
    (err) => {
        process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
    },
);
