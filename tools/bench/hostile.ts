/**
 * The longer hostile-input run of `npm run bench`: every component's fast-check
 * hostile-input property (the test files named `*hostile*` under test/) run with many more
 * cases than the suite's bound, from the same fixed seeds, in a child mocha process. Each
 * property appends what it tried to a report file; this prints, per property, the cases
 * tried, refused (an InputPropertiesError with property paths, nothing registered, no
 * planted credential printed) and accepted (rendered, schema-valid, no credential outside a
 * Secret), and exits non-zero when a property fails (mocha's output is printed then).
 *
 *   npm run bench -- hostile                                      1,000 cases per property
 *   STATEFUL_STACKS_HOSTILE_RUNS=20000 npm run bench -- hostile   more
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";

const root = path.resolve(__dirname, "../..");

/** Cases per property in the bench when STATEFUL_STACKS_HOSTILE_RUNS is unset (the suite runs 120–300). */
export const BENCH_HOSTILE_RUNS = 1000;

/** One property's line of the report (see test/support/hostile.ts). */
interface TallyLine {
    readonly property: string;
    readonly seed: number;
    readonly runs: number;
    readonly tried: number;
    readonly refused: number;
    readonly accepted: number;
}

/** The hostile-input test files, sorted: every `*hostile*.test.ts` below test/ (not the e2e tier). */
export function hostileTestFiles(dir: string = path.join(root, "test")): string[] {
    const found: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory() && entry.name !== "e2e" && entry.name !== "fixtures") {
            found.push(...hostileTestFiles(full));
        } else if (entry.isFile() && entry.name.includes("hostile") && entry.name.endsWith(".test.ts")) {
            found.push(full);
        }
    }
    return found.sort();
}

function pad(text: string | number, width: number): string {
    return String(text).padStart(width);
}

/** Runs the longer hostile-input run when `filter` is empty or picks it ("hostile"). */
export async function runHostileBench(filter: string): Promise<void> {
    if (filter !== "" && !"hostile inputs".includes(filter)) {
        return;
    }
    const runs = process.env.STATEFUL_STACKS_HOSTILE_RUNS || String(BENCH_HOSTILE_RUNS);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-hostile-"));
    try {
        const report = path.join(dir, "tally.jsonl");
        const log = path.join(dir, "mocha.log");
        const files = hostileTestFiles().map((f) => path.relative(root, f));
        const out = fs.openSync(log, "w");
        const start = performance.now();
        const result = spawnSync(
            process.execPath,
            [
                path.join(root, "node_modules", "mocha", "bin", "mocha.js"),
                "--no-config",
                "--require",
                "tsx/cjs",
                "--require",
                "test/support/hooks.ts",
                "--extension",
                "ts",
                "--timeout",
                "0",
                "--reporter",
                "dot",
                ...files,
            ],
            { cwd: root, env: { ...process.env, STATEFUL_STACKS_HOSTILE_REPORT: report, STATEFUL_STACKS_HOSTILE_RUNS: runs }, stdio: ["ignore", out, out] },
        );
        fs.closeSync(out);
        const seconds = (performance.now() - start) / 1000;
        if (result.status !== 0) {
            const text = fs.readFileSync(log, "utf8").split("\n").filter((line) => !line.startsWith("warning: "));
            console.log(text.slice(-120).join("\n"));
            throw new Error(`hostile inputs: a property failed with ${runs} cases per property (exit ${result.status ?? result.signal}); the seeds are fixed, so the same command replays it`);
        }
        const tallies: TallyLine[] = fs.existsSync(report)
            ? fs
                  .readFileSync(report, "utf8")
                  .split("\n")
                  .filter((line) => line !== "")
                  .map((line) => JSON.parse(line) as TallyLine)
                  .sort((a, b) => (a.property < b.property ? -1 : a.property > b.property ? 1 : 0))
            : [];
        console.log(`hostile inputs: ${files.length} files, ${runs} cases per property, fixed seeds, ${seconds.toFixed(1)} s`);
        const width = Math.max("property".length, ...tallies.map((t) => t.property.length)) + 2;
        console.log(`  ${"property".padEnd(width)}${pad("seed", 10)}${pad("tried", 9)}${pad("refused", 9)}${pad("accepted", 10)}`);
        for (const t of tallies) {
            console.log(`  ${t.property.padEnd(width)}${pad(t.seed, 10)}${pad(t.tried, 9)}${pad(t.refused, 9)}${pad(t.accepted, 10)}`);
        }
        const sum = (key: "tried" | "refused" | "accepted") => tallies.reduce((n, t) => n + t[key], 0);
        console.log(`  ${"total".padEnd(width)}${pad("", 10)}${pad(sum("tried"), 9)}${pad(sum("refused"), 9)}${pad(sum("accepted"), 10)}`);
    } finally {
        fs.rmSync(dir, { force: true, recursive: true });
    }
}
