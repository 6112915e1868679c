import * as assert from "assert";
import * as path from "path";
import { placeOf, summarize } from "../../tools/bench/profile";
import { readRealEngine } from "../../tools/bench/real-engine";
import { evaluateTargets, formatTable, Results } from "../../tools/bench/targets";

/** The benchmark's arithmetic: targets from results, the printed table, the profile summary. */

const point = (n: number, ms: number, cpuMs: number, rssMb: number) => ({ cpuMs, loadMs: 10, ms, n, rssMb });

const RESULTS: Omit<Results, "targets"> = {
    allStacks: { coldCpuMs: 2500, coldMs: 2100, warmCpuMs: 900, warmMs: 1000 },
    cdk8s: [point(50, 100, 90, 120), point(100, 180, 170, 125), point(500, 900, 880, 150)],
    machine: { cpus: 2, loadAverageAfter: 1.5, loadAverageBefore: 1.25, node: "v20.0.0", samples: 3 },
    micro: [],
    realEngine: { a: { bareSdkPreviewCpuMs: 7000, bareSdkPreviewMs: 9000, previewCpuMs: 8000, previewMs: 10000 } },
    realEngineRun: { cli: "v3.248.0", measuredBy: "the tier", provider: "4.25.0", ran: true },
    scaling: [point(50, 650, 600, 200), point(100, 1200, 1100, 230), point(500, 6000, 5500, 500)],
    scenarios: { a: { coldCpuMs: 1900, coldMs: 1800, warmCpuMs: 300, warmMs: 400 }, b: { coldCpuMs: 2300, coldMs: 2200, warmCpuMs: 200, warmMs: 250 } },
    sdkFloor: [point(50, 500, 480, 190), point(100, 1000, 950, 220), point(500, 5600, 5400, 480)],
};

describe("bench: targets, table and profile summary", () => {
    it("checks every target of issue 13 against the medians, on wall time, with the CPU-time ratio beside it", () => {
        assert.deepStrictEqual(evaluateTargets(RESULTS), [
            { cpuValue: 300, limit: 1000, met: true, metOnCpu: true, name: "one-stack plan, warm (slowest stack), ms", value: 400 },
            { cpuValue: 2300, limit: 2000, met: false, metOnCpu: false, name: "one-stack plan, cold (slowest stack), ms", value: 2200 },
            { cpuValue: 900, limit: 2000, met: true, metOnCpu: true, name: "all stacks, warm, ms", value: 1000 },
            { cpuValue: 1.019, limit: 1.1, met: true, metOnCpu: true, name: "ours / bare SDK at N=500", value: 1.071 },
            { cpuValue: 1.25, limit: 1.3, met: true, metOnCpu: true, name: "ours / bare SDK at N=50", value: 1.3 },
            { cpuValue: 9.167, limit: 11, met: true, metOnCpu: true, name: "t(500) / t(50)", value: 9.231 },
            { cpuValue: undefined, limit: 1.1, met: true, metOnCpu: undefined, name: "RSS at N=500, ours / bare SDK", value: 1.042 },
        ]);
    });

    it("prints Markdown tables: stacks with the real engine's previews, the scaling curves, the targets", () => {
        const text = formatTable({ ...RESULTS, targets: evaluateTargets(RESULTS) });
        assert.ok(text.includes("| a          |         1800 |        1900 |          400 |         300 |      10000 |           8000 |                9000 |            7000 |"), text);
        assert.ok(text.includes("| all stacks |         2100 |        2500 |         1000 |         900 |          - |              - |                   - |               - |"), text);
        assert.ok(text.includes("| 500 |    6000 |   5600 |      900 |    1.071 |        5500 |       5400 |          880 |        1.019 |         500 |        480 |          150 |"), text);
        assert.ok(text.includes("| one-stack plan, cold (slowest stack), ms |  2200 | NOT met |  2300 | NOT met | ≤ 2000 |"), text);
        assert.ok(text.includes("| RSS at N=500, ours / bare SDK            | 1.042 |     met |     - |       - |  ≤ 1.1 |"), text);
        assert.ok(text.endsWith("machine: 2 CPUs, node v20.0.0, load average 1.25 before, 1.5 after; medians of 3 samples"), text);
    });

    it("says when the end-to-end tier has not recorded the real engine", () => {
        assert.deepStrictEqual(readRealEngine(path.join(__dirname, "no-such-file.json")), {
            notRun: `the end-to-end tier has not run here: no ${path.relative(path.resolve(__dirname, "../.."), path.join(__dirname, "no-such-file.json"))} (npm run e2e writes it)`,
        });
    });

    it("groups a CPU profile's self time by package, Node's module loader and this repository's folders", () => {
        const root = path.resolve(__dirname, "../..");
        const frames = [
            { functionName: "Resource", url: `file://${root}/node_modules/@pulumi/pulumi/resource.js` },
            { functionName: "require", url: "node:internal/modules/cjs/loader" },
            { functionName: "readFileUtf8", url: "" },
            { functionName: "buildStatefulSet", url: `${root}/components/workload/stateful-workload-spec.ts` },
            { functionName: "(garbage collector)", url: "" },
            { functionName: "x", url: `${root}/node_modules/tsx/dist/index.cjs` },
        ];
        assert.deepStrictEqual(frames.map(placeOf), ["@pulumi/pulumi", "(node: loading modules)", "(node: loading modules)", "components/", "((garbage collector))", "tsx"]);
        const profile = { nodes: frames.map((callFrame, id) => ({ callFrame, id })), samples: [0, 0, 1, 2, 3, 5, 5, 5], timeDeltas: [1000, 1000, 500, 500, 2000, 1000, 1000, 1000] };
        assert.deepStrictEqual(summarize(profile), [
            ["tsx", 3],
            ["@pulumi/pulumi", 2],
            ["components/", 2],
            ["(node: loading modules)", 1],
        ]);
    });
});
