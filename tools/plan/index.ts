import { fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks, loadProject, ProjectInfo } from "./project";
import { fileContent, formatPlan, outputFileName, PlannedResource, StackRender, toJson } from "./render";

export * from "./project";
export * from "./render";

/**
 * `plan`: renders stacks offline. Each stack's program runs in its own process under the
 * recording mocks (see `worker.ts`); this side prints the tree, checks every Kubernetes
 * object against the schema and writes the files under `<outDir>/<stack>/`.
 */

export interface PlanOptions {
    /** The folder holding `Pulumi.yaml`. @default the current directory */
    readonly root?: string;
    /** Stacks to plan. @default every stack with a `Pulumi.<stack>.yaml` */
    readonly stacks?: readonly string[];
    /** Where `<stack>/` folders are written. @default `<root>/out` */
    readonly outDir?: string;
    /** Receives the printout (the tree and counts, or the failure). @default stdout */
    readonly print?: (text: string) => void;
    /** Stacks evaluated at once. @default the number of CPUs */
    readonly concurrency?: number;
}

/** The outcome of one stack. */
export interface StackResult {
    readonly stack: string;
    /** Undefined when the program failed to evaluate. */
    readonly render?: StackRender;
    /** Why the stack failed: the program's error, or schema violations. Empty when it passed. */
    readonly failures: readonly string[];
    /** Files written, relative to the stack's out folder, sorted. */
    readonly files: readonly string[];
    /** The stack's out folder (absolute). */
    readonly outDir: string;
}

/** Plans the stacks; resolves with each stack's result, in the order given. */
export async function plan(options: PlanOptions = {}): Promise<StackResult[]> {
    const root = path.resolve(options.root ?? process.cwd());
    const project = loadProject(root);
    const known = listStacks(project);
    const stacks = options.stacks?.length ? [...options.stacks] : known;
    const unknown = stacks.filter((s) => !known.includes(s));
    if (unknown.length) {
        throw new Error(`unknown stack ${unknown.map((s) => `"${s}"`).join(", ")}; stacks with a config file in ${project.stackConfigDir}: ${known.join(", ") || "none"}`);
    }
    const outDir = path.resolve(options.outDir ?? path.join(root, "out"));
    const print = options.print ?? ((text: string) => process.stdout.write(text));
    const concurrency = Math.max(1, options.concurrency ?? os.cpus().length);
    const evaluations = await evaluateInChildren(project, stacks, concurrency);
    return stacks.map((stack) => {
        const result = finish(stack, evaluations.get(stack)!, path.join(outDir, stack));
        print(report(result));
        return result;
    });
}

type Evaluation = { render: StackRender } | { error: string };

function finish(stack: string, evaluation: Evaluation, stackOut: string): StackResult {
    fs.rmSync(stackOut, { recursive: true, force: true });
    if ("error" in evaluation) {
        return { stack, failures: [`the program failed: ${evaluation.error}`], files: [], outDir: stackOut };
    }
    const render = evaluation.render;
    const files = writeStack(render, stackOut);
    const failures = render.schemaProblems.map((p) => `${p.object} (${p.resource}) is not valid against the Kubernetes schema: ${p.message}`);
    return { stack, render, failures, files, outDir: stackOut };
}

/** Writes a stack's files; returns their relative paths, sorted. */
export function writeStack(render: StackRender, stackOut: string): string[] {
    const byUrn = new Map(render.resources.map((r) => [r.urn, r]));
    const contents = new Map<string, string>();
    const owners = new Map<string, PlannedResource>();
    for (const resource of render.resources) {
        const file = outputFileName(resource);
        if (!file) {
            continue;
        }
        const owner = owners.get(file);
        if (owner) {
            throw new Error(`${owner.type} ${owner.name} and ${resource.type} ${resource.name} would both be written to ${file}`);
        }
        owners.set(file, resource);
        contents.set(file, fileContent(resource, (urn) => byUrn.get(urn)));
    }
    contents.set("plan.txt", formatPlan(render));
    contents.set("outputs.json", toJson(render.outputs));
    const files = [...contents.keys()].sort();
    for (const file of files) {
        const target = path.join(stackOut, file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, contents.get(file)!);
    }
    return files;
}

function report(result: StackResult): string {
    const head = `=== ${result.stack} ===\n`;
    if (!result.render) {
        return `${head}${result.failures.join("\n")}\n\n`;
    }
    const status = result.failures.length
        ? `FAILED: ${result.failures.length} schema violation(s):\n${result.failures.map((f) => `  - ${f}`).join("\n")}\n`
        : `wrote ${result.files.length} files to ${path.relative(process.cwd(), result.outDir) || "."}/; every Kubernetes object is schema-valid\n`;
    return `${head}${formatPlan(result.render)}\n${status}\n`;
}

const WORKER_TIMEOUT_MS = 300_000;

/**
 * Evaluates the stacks in at most `concurrency` child processes, each taking its share of
 * the stacks one after another (the SDK loads once per process, which is most of the time).
 */
async function evaluateInChildren(project: ProjectInfo, stacks: readonly string[], concurrency: number): Promise<Map<string, Evaluation>> {
    const lanes = Math.min(concurrency, stacks.length);
    const batches = Array.from({ length: lanes }, (_, lane) => stacks.filter((_, i) => i % lanes === lane));
    const results = new Map<string, Evaluation>();
    await Promise.all(batches.map(async (batch) => (await evaluateInChild(project, batch)).forEach((v, k) => results.set(k, v))));
    return results;
}

/** Runs `worker` for some stacks in one child process and collects its answers. */
function evaluateInChild(project: ProjectInfo, stacks: readonly string[]): Promise<Map<string, Evaluation>> {
    const ext = path.extname(__filename);
    const worker = path.join(__dirname, `worker${ext}`);
    // TypeScript programs (and this tool when run from source) load through tsx, transpile-only.
    const needsTsx = ext === ".ts" || project.program.endsWith(".ts");
    const loaded = process.execArgv.some((a) => a.includes("tsx"));
    const execArgv = needsTsx && !loaded ? [...process.execArgv, "--require", tsxLoader()] : process.execArgv;
    return new Promise((resolve) => {
        const child = fork(worker, [project.root, ...stacks], { cwd: project.root, execArgv, stdio: ["ignore", "pipe", "pipe", "ipc"] });
        let output = "";
        const answers = new Map<string, Evaluation>();
        child.stdout?.on("data", (chunk) => (output += chunk));
        child.stderr?.on("data", (chunk) => (output += chunk));
        const timer = setTimeout(() => child.kill("SIGKILL"), WORKER_TIMEOUT_MS);
        child.on("message", (message: { stack: string } & Evaluation) => {
            if (!answers.has(message.stack)) {
                answers.set(message.stack, "error" in message ? { error: message.error } : { render: message.render });
            }
        });
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            const why = signal ? `was killed (${signal}${signal === "SIGKILL" ? `, over ${WORKER_TIMEOUT_MS / 1000} s` : ""})` : `exited with code ${code}`;
            for (const stack of stacks.filter((s) => !answers.has(s))) {
                answers.set(stack, { error: `the evaluation ${why} without an answer${output ? `:\n${output.trimEnd()}` : ""}` });
            }
            resolve(answers);
        });
    });
}

/** The tsx loader that runs TypeScript without type-checking; a clear error when it is not installed. */
function tsxLoader(): string {
    try {
        return require.resolve("tsx/cjs");
    } catch {
        throw new Error("planning a TypeScript program needs tsx (npm install --save-dev tsx), which loads it without type-checking");
    }
}
