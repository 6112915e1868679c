import { RealEnginePreview } from "./real-engine";
import { ScalingPoint } from "./scaling";
import { ScenarioTimes } from "./scenarios";

/** `bench/results.json`, and the targets of issue 13 checked against it. */
export interface Results {
    readonly machine: { readonly cpus: number; readonly node: string; readonly samples: number; readonly loadAverageBefore: number; readonly loadAverageAfter: number };
    readonly micro: ReadonlyArray<{ readonly name: string; readonly medianMs: number }>;
    readonly scenarios: Record<string, ScenarioTimes>;
    readonly allStacks: ScenarioTimes;
    readonly scaling: readonly ScalingPoint[];
    readonly sdkFloor: readonly ScalingPoint[];
    readonly cdk8s: readonly ScalingPoint[];
    readonly realEngine: Record<string, RealEnginePreview>;
    readonly realEngineRun: { readonly ran: boolean; readonly note?: string; readonly measuredBy?: string; readonly cli?: string; readonly provider?: string };
    readonly targets: readonly Target[];
}

/** One target: the measured value against its limit (wall time; the CPU-time value beside it where there is one). */
export interface Target {
    readonly name: string;
    readonly limit: number;
    readonly value: number;
    /** The same ratio on CPU time (user + system), which the machine's other work disturbs less. */
    readonly cpuValue?: number;
    /** Met on wall time. */
    readonly met: boolean;
    /** Met on CPU time (when there is a CPU-time value). */
    readonly metOnCpu?: boolean;
}

function at(points: readonly ScalingPoint[], n: number): ScalingPoint {
    const found = points.find((p) => p.n === n);
    if (!found) {
        throw new Error(`no scaling point for n=${n}`);
    }
    return found;
}

const ratio = (a: number, b: number) => Number((a / b).toFixed(3));

export function evaluateTargets(results: Omit<Results, "targets">): Target[] {
    const stacks = Object.values(results.scenarios);
    const worst = (field: keyof ScenarioTimes) => Math.max(...stacks.map((s) => s[field]));
    const ours50 = at(results.scaling, 50);
    const ours500 = at(results.scaling, 500);
    const sdk50 = at(results.sdkFloor, 50);
    const sdk500 = at(results.sdkFloor, 500);
    const target = (name: string, value: number, limit: number, cpuValue?: number): Target => ({
        cpuValue,
        limit,
        met: value <= limit,
        metOnCpu: cpuValue === undefined ? undefined : cpuValue <= limit,
        name,
        value,
    });
    return [
        target("one-stack plan, warm (slowest stack), ms", worst("warmMs"), 1000, worst("warmCpuMs")),
        target("one-stack plan, cold (slowest stack), ms", worst("coldMs"), 2000, worst("coldCpuMs")),
        target("all stacks, warm, ms", results.allStacks.warmMs, 2000, results.allStacks.warmCpuMs),
        target("ours / bare SDK at N=500", ratio(ours500.ms, sdk500.ms), 1.1, ratio(ours500.cpuMs, sdk500.cpuMs)),
        target("ours / bare SDK at N=50", ratio(ours50.ms, sdk50.ms), 1.3, ratio(ours50.cpuMs, sdk50.cpuMs)),
        target("t(500) / t(50)", ratio(ours500.ms, ours50.ms), 11, ratio(ours500.cpuMs, ours50.cpuMs)),
        target("RSS at N=500, ours / bare SDK", ratio(ours500.rssMb, sdk500.rssMb), 1.1),
    ];
}

function table(header: readonly string[], rows: ReadonlyArray<readonly (string | number)[]>): string {
    const cells = [header, ...rows].map((row) => row.map(String));
    const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
    const line = (row: readonly string[]) => `| ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
    return [line(cells[0]), `|${widths.map((w, i) => `${i === 0 ? ":" : ""}${"-".repeat(w + 1)}${i === 0 ? "" : ":"}`).join("|")}|`, ...cells.slice(1).map(line)].join("\n");
}

function realEngineCells(preview: RealEnginePreview | undefined): Array<string | number> {
    return preview ? [preview.previewMs, preview.previewCpuMs ?? "-", preview.bareSdkPreviewMs, preview.bareSdkPreviewCpuMs ?? "-"] : ["-", "-", "-", "-"];
}

/** The printed summary (Markdown tables, so that it can be pasted into a closing note). */
export function formatTable(results: Results): string {
    const scenarioRows = Object.entries(results.scenarios).map(([stack, t]) => [stack, t.coldMs, t.coldCpuMs, t.warmMs, t.warmCpuMs, ...realEngineCells(results.realEngine[stack])]);
    scenarioRows.push(["all stacks", results.allStacks.coldMs, results.allStacks.coldCpuMs, results.allStacks.warmMs, results.allStacks.warmCpuMs, "-", "-", "-", "-"]);
    const scalingRows = results.scaling.map((ours, i) => {
        const sdk = results.sdkFloor[i];
        const cdk = results.cdk8s[i];
        return [ours.n, ours.ms, sdk.ms, cdk.ms, ratio(ours.ms, sdk.ms), ours.cpuMs, sdk.cpuMs, cdk.cpuMs, ratio(ours.cpuMs, sdk.cpuMs), ours.rssMb, sdk.rssMb, cdk.rssMb];
    });
    const verdict = (met: boolean | undefined) => (met === undefined ? "-" : met ? "met" : "NOT met");
    const targetRows = results.targets.map((t) => [t.name, t.value, verdict(t.met), t.cpuValue ?? "-", verdict(t.metOnCpu), `≤ ${t.limit}`]);
    return [
        table(["stack", "plan cold ms", "cold CPU ms", "plan warm ms", "warm CPU ms", "preview ms", "preview CPU ms", "bare-SDK preview ms", "bare-SDK CPU ms"], scenarioRows),
        "",
        results.realEngineRun.ran ? `real engine: ${results.realEngineRun.measuredBy}` : `real engine: ${results.realEngineRun.note}`,
        "",
        table(["N", "ours ms", "SDK ms", "cdk8s ms", "ours/SDK", "ours CPU ms", "SDK CPU ms", "cdk8s CPU ms", "ours/SDK CPU", "ours RSS MB", "SDK RSS MB", "cdk8s RSS MB"], scalingRows),
        "",
        table(["target", "wall", "on wall", "CPU", "on CPU", "limit"], targetRows),
        "",
        `machine: ${results.machine.cpus} CPUs, node ${results.machine.node}, load average ${results.machine.loadAverageBefore} before, ${results.machine.loadAverageAfter} after; medians of ${results.machine.samples} samples`,
    ].join("\n");
}
