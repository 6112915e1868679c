/**
 * Benchmarks: the measurements kept out of the test suite. Prints one line per case
 * with the median and the spread over repeated runs, so that a change that slows the
 * validators, the builders, the gate or the offline plan shows up in numbers.
 *
 *   npm run bench            every case
 *   npm run bench -- gate    the cases whose name contains "gate"
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
import { plan } from "../plan";

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
    {
        name: "plan: all six scenario stacks (child processes, cold tsx)",
        iterations: 1,
        samples: 3,
        run: () => plan({ root, outDir: fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-")), print: () => undefined }),
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

async function main(): Promise<void> {
    const filter = process.argv.slice(2).join(" ");
    console.log(`node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`);
    for (const c of cases.filter((x) => x.name.includes(filter))) {
        const times = await measure(c);
        const median = times[Math.floor(times.length / 2)];
        console.log(`${c.name}: median ${format(median)} per run (min ${format(times[0])}, max ${format(times[times.length - 1])}, ${c.samples}×${c.iterations})`);
    }
    await (require("./hostile") as typeof import("./hostile")).runHostileBench(filter); // eslint-disable-line @typescript-eslint/no-require-imports
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
