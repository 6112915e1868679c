import { spawn } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";
import { sdkPreloads } from "../plan";

/** Helpers the benchmark sections share: child processes, medians, rounding. */

export const ROOT = path.resolve(__dirname, "../..");

/** What a child process printed last (a JSON line), its wall time and its exit. */
export interface ChildRun<T> {
    readonly result: T;
    readonly wallMs: number;
}

/**
 * Runs `node <execArgv> <script> <args>` in the repository and parses the last line it
 * printed as JSON. Throws with the child's output when it fails.
 */
export function runNode<T>(execArgv: readonly string[], script: string, args: readonly string[], parse = true): Promise<ChildRun<T>> {
    return new Promise((resolve, reject) => {
        const started = performance.now();
        const child = spawn(process.execPath, [...execArgv, script, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("exit", (code) => {
            const wallMs = performance.now() - started;
            if (code !== 0) {
                reject(new Error(`${path.relative(ROOT, script)} ${args.join(" ")} exited with ${code}:\n${stderr}${stdout}`));
                return;
            }
            const last = stdout.trim().split("\n").pop() ?? "";
            resolve({ result: (parse ? JSON.parse(last) : undefined) as T, wallMs });
        });
    });
}

/**
 * Runs `node <execArgv> <script> <args>` under `/usr/bin/time`, for the CPU time (user +
 * system) of the process and every process it started and waited for. Resolves with the
 * wall and CPU times in milliseconds.
 */
export function timeNode(execArgv: readonly string[], script: string, args: readonly string[]): Promise<{ wallMs: number; cpuMs: number }> {
    return new Promise((resolve, reject) => {
        const started = performance.now();
        const child = spawn("/usr/bin/time", ["-f", "cpu %U %S", process.execPath, ...execArgv, script, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk) => (output += chunk));
        child.stderr.on("data", (chunk) => (output += chunk));
        child.on("error", reject);
        child.on("exit", (code) => {
            const wallMs = performance.now() - started;
            const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(output);
            if (code !== 0 || !cpu) {
                reject(new Error(`${path.relative(ROOT, script)} ${args.join(" ")} exited with ${code}:\n${output}`));
                return;
            }
            resolve({ cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000, wallMs });
        });
    });
}

/** How the plan starts its evaluation processes: the SDKs preloaded, then tsx. */
export function evaluationExecArgv(): string[] {
    return [...sdkPreloads(ROOT), "--require", require.resolve("tsx/cjs")];
}

/** The same with only the named packages preloaded. */
export function execArgvWith(preloads: readonly string[]): string[] {
    return [...preloads.flatMap((name) => ["--require", require.resolve(name, { paths: [ROOT] })]), "--require", require.resolve("tsx/cjs")];
}

/** The middle value (the lower middle for an even count). */
export function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Whole milliseconds or megabytes. */
export function round(value: number): number {
    return Math.round(value);
}

/** Samples per measurement: BENCH_SAMPLES, or 3. */
export function samples(): number {
    const n = Number(process.env.BENCH_SAMPLES ?? 3);
    return Number.isInteger(n) && n > 0 ? n : 3;
}
