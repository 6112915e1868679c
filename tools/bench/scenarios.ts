import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks, loadProject } from "../plan";
import { evaluationExecArgv, median, round, ROOT, runNode, timeNode } from "./measure";

/**
 * The scenario stacks as a user plans them. Cold: a fresh `stateful-stacks plan <stack>`
 * process from start to exit (`node --require tsx/cjs tools/cli.ts plan …`, what
 * `npm run plan -- <stack>` runs, without npm's own start). Warm: the plan of a stack in a
 * process that has planned it before (SDK and program modules loaded): the program under
 * fresh mocks, the schema check and the files written (`warm-child.ts`).
 */

export interface ScenarioTimes {
    readonly coldMs: number;
    readonly warmMs: number;
    /** CPU time (user + system) of the same runs: what the machine's other work disturbs less. */
    readonly coldCpuMs: number;
    readonly warmCpuMs: number;
}

export interface ScenarioResults {
    readonly scenarios: Record<string, ScenarioTimes>;
    /** Every stack in one plan: cold, one `plan` process; warm, one round of all six. */
    readonly allStacks: ScenarioTimes;
}

function coldPlan(stacks: readonly string[], out: string): Promise<{ wallMs: number; cpuMs: number }> {
    const cli = path.join(ROOT, "tools/cli.ts");
    return timeNode(["--require", require.resolve("tsx/cjs")], cli, ["plan", ...stacks, "--placeholder-secrets", "--out", out]);
}

type Times = { wall: number[]; cpu: number[] };

export async function measureScenarios(sampleCount: number, log: (line: string) => void): Promise<ScenarioResults> {
    const stacks = listStacks(loadProject(ROOT));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-"));
    try {
        const cold: Record<string, Times> = Object.fromEntries([...stacks, "(all)"].map((s) => [s, { cpu: [], wall: [] }]));
        const record = (key: string, run: { wallMs: number; cpuMs: number }) => {
            cold[key].wall.push(run.wallMs);
            cold[key].cpu.push(run.cpuMs);
        };
        for (let s = 0; s < sampleCount; s++) {
            for (const stack of stacks) {
                record(stack, await coldPlan([stack], out));
            }
            record("(all)", await coldPlan([], out));
        }
        type Round = Record<string, { wallMs: number; cpuMs: number }>;
        const warm = await runNode<{ rounds: Round[] }>(evaluationExecArgv(), path.join(ROOT, "tools/bench/warm-child.ts"), [ROOT, String(sampleCount), ...stacks]);
        const rounds = warm.result.rounds.slice(1);
        const times = (key: string, warmWall: number[], warmCpu: number[]): ScenarioTimes => ({
            coldCpuMs: round(median(cold[key].cpu)),
            coldMs: round(median(cold[key].wall)),
            warmCpuMs: round(median(warmCpu)),
            warmMs: round(median(warmWall)),
        });
        const scenarios: Record<string, ScenarioTimes> = {};
        for (const stack of stacks) {
            scenarios[stack] = times(stack, rounds.map((r) => r[stack].wallMs), rounds.map((r) => r[stack].cpuMs));
            log(`  ${stack}: cold ${scenarios[stack].coldMs} ms (CPU ${scenarios[stack].coldCpuMs}), warm ${scenarios[stack].warmMs} ms (CPU ${scenarios[stack].warmCpuMs})`);
        }
        const sum = (r: Round, field: "wallMs" | "cpuMs") => stacks.reduce((total, s) => total + r[s][field], 0);
        const allStacks = times("(all)", rounds.map((r) => sum(r, "wallMs")), rounds.map((r) => sum(r, "cpuMs")));
        log(`  all ${stacks.length}: cold ${allStacks.coldMs} ms (CPU ${allStacks.coldCpuMs}), warm ${allStacks.warmMs} ms (CPU ${allStacks.warmCpuMs})`);
        return { allStacks, scenarios };
    } finally {
        fs.rmSync(out, { force: true, recursive: true });
    }
}
