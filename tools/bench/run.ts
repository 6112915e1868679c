/**
 * Benchmarks: the measurements kept out of the test suite.
 *
 *   npm run bench                 everything; writes bench/results.json and prints a table
 *   npm run bench -- gate         only the micro cases whose name contains "gate"
 *   BENCH_SAMPLES=5 npm run bench more samples per measurement (default 3)
 *   npm run bench -- --report     no measuring: bench/results.json again with the real
 *                                 engine's latest record, the targets and the table
 *
 * Micro cases (validators, builders, the gate) print a median and spread over repeated
 * runs. The rest is what users feel and what they would compare us with, all measured
 * in one run: each scenario stack planned cold and warm (`scenarios.ts`), N workloads
 * against the bare SDK and cdk8s-plus (`scaling.ts`), and the real engine's previews as
 * the end-to-end tier last recorded them (`real-engine.ts`). `results.json` also says
 * which targets were met (`targets.ts`).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { validateEbsArgs } from "../../components/storage/ebs-storage-class";
import { buildStatefulSet } from "../../components/workload/stateful-workload-spec";
import { validateStatefulWorkloadArgs } from "../../components/workload/stateful-workload-validate";
import { StatefulWorkloadArgs } from "../../components/workload/stateful-workload-args";
import { evaluateGate } from "../gate/gate";
import { parsePreview } from "../gate/preview";
import { toJson } from "../plan";
import { readRealEngine } from "./real-engine";
import { measureScaling } from "./scaling";
import { measureScenarios } from "./scenarios";
import { samples } from "./measure";
import { evaluateTargets, formatTable, Results } from "./targets";

interface Case {
    readonly name: string;
    /** Runs per sample: many for micro cases, one for the plan. */
    readonly iterations: number;
    readonly samples: number;
    readonly run: () => unknown | Promise<unknown>;
}

const root = path.resolve(__dirname, "../..");

const ensemble: StatefulWorkloadArgs = {
    namespace: "coord",
    image: "zookeeper:3.9.3",
    replicas: 3,
    podManagementPolicy: "Parallel",
    ports: [
        { name: "client", port: 2181 },
        { name: "peer", port: 2888 },
        { name: "election", port: 3888 },
    ],
    volumes: [
        { name: "data", mountPath: "/data", size: "20Gi", storageClass: "fast" },
        { name: "datalog", mountPath: "/datalog", size: "20Gi", storageClass: "fast" },
    ],
    ordinalEnvVar: { name: "ZK_ORDINAL", offset: 1, file: "/var/run/zookeeper/myid" },
};

function previewFixtures(): string[] {
    const dir = path.join(root, "test", "fixtures", "preview");
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json") && f !== "cases.json")
        .map((f) => fs.readFileSync(path.join(dir, f), "utf8"));
}

const cases: Case[] = [
    { name: "validate EbsStorageClass args (io2 + KMS + zones + tags)", iterations: 2000, samples: 7, run: () => validateEbsArgs("fast", { volumeType: "io2", iops: 16000, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", zones: ["us-east-1a", "us-east-1b"], tags: { team: "data", env: "prod" } }) },
    { name: "validate StatefulWorkload args (3-member ensemble)", iterations: 2000, samples: 7, run: () => validateStatefulWorkloadArgs("zk", ensemble) },
    { name: "build StatefulSet spec (3-member ensemble)", iterations: 2000, samples: 7, run: () => buildStatefulSet("zk", ensemble) },
    {
        name: "gate: parse and judge every committed preview fixture",
        iterations: 20,
        samples: 7,
        run: () => previewFixtures().map((text) => {
            try {
                return evaluateGate(parsePreview(text));
            } catch {
                return undefined; // failed-preview fixtures are refused by design
            }
        }),
    },
];

async function measure(c: Case): Promise<number[]> {
    const perRun: number[] = [];
    for (let s = 0; s < c.samples; s++) {
        const start = performance.now();
        for (let i = 0; i < c.iterations; i++) {
            await c.run();
        }
        perRun.push((performance.now() - start) / c.iterations);
    }
    return perRun.sort((a, b) => a - b);
}

function format(ms: number): string {
    return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

async function microCases(filter: string): Promise<Array<{ name: string; medianMs: number }>> {
    const measured: Array<{ name: string; medianMs: number }> = [];
    for (const c of cases.filter((x) => x.name.includes(filter))) {
        const times = await measure(c);
        const median = times[Math.floor(times.length / 2)];
        measured.push({ medianMs: Number(median.toFixed(4)), name: c.name });
        console.log(`${c.name}: median ${format(median)} per run (min ${format(times[0])}, max ${format(times[times.length - 1])}, ${c.samples}×${c.iterations})`);
    }
    return measured;
}

function realEngineFields(): Pick<Results, "realEngine" | "realEngineRun"> {
    const realEngine = readRealEngine();
    return {
        realEngine: "notRun" in realEngine ? {} : realEngine.stacks,
        realEngineRun: "notRun" in realEngine ? { ran: false, note: realEngine.notRun } : { cli: realEngine.cli, measuredBy: realEngine.measuredBy, provider: realEngine.provider, ran: true },
    };
}

function writeResults(partial: Omit<Results, "targets">): void {
    const results: Results = { ...partial, targets: evaluateTargets(partial) };
    fs.mkdirSync(path.join(root, "bench"), { recursive: true });
    fs.writeFileSync(path.join(root, "bench", "results.json"), toJson(results));
    console.log(`\n${formatTable(results)}`);
    console.log("wrote bench/results.json");
}

async function main(): Promise<void> {
    if (process.argv[2] === "--report") {
        const previous = JSON.parse(fs.readFileSync(path.join(root, "bench", "results.json"), "utf8")) as Results;
        writeResults({ ...previous, ...realEngineFields() });
        return;
    }
    const filter = process.argv.slice(2).join(" ");
    const loadBefore = os.loadavg()[0];
    console.log(`node ${process.version}, ${os.cpus().length} CPUs, load ${loadBefore.toFixed(2)}`);
    const micro = await microCases(filter);
    await (require("./hostile") as typeof import("./hostile")).runHostileBench(filter); // eslint-disable-line @typescript-eslint/no-require-imports
    if (filter !== "") {
        return;
    }
    // (Further sections go here, each measured in this same run.)
    const n = samples();
    console.log(`\nscenario stacks (cold: a fresh plan process; warm: planned again in one process), ${n} samples:`);
    const { allStacks, scenarios } = await measureScenarios(n, console.log);
    console.log(`\nscaling (N StatefulWorkloads under the mocks, the bare SDK, cdk8s-plus), ${n} samples:`);
    const { cdk8s, scaling, sdkFloor } = await measureScaling(n, console.log);
    writeResults({
        allStacks,
        cdk8s,
        machine: { cpus: os.cpus().length, loadAverageAfter: Number(os.loadavg()[0].toFixed(2)), loadAverageBefore: Number(loadBefore.toFixed(2)), node: process.version, samples: n },
        micro,
        ...realEngineFields(),
        scaling,
        scenarios,
        sdkFloor,
    });
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
