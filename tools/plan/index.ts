import { fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { listStacks, loadProject, ProjectInfo } from "./project";
import { fileContent, formatPlan, mermaidGraph, outputFileName, PlannedResource, StackRender, toJson } from "./render";

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
    /**
     * Give secrets that a program requires and its stack does not set a placeholder
     * (`--placeholder-secrets`) instead of failing the stack with the
     * `pulumi config set --secret` command to run.
     * @default false
     */
    readonly placeholderSecrets?: boolean;
    /**
     * Receives one line per stack as soon as it is done, with its time (the printout
     * itself stays in the order of the stacks). @default nothing is reported
     */
    readonly progress?: (line: string) => void;
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
    /** Milliseconds from the start of its evaluation to its files written. */
    readonly ms: number;
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
    const results = new Map<string, StackResult>();
    let printed = 0;
    await evaluateInChildren(project, stacks, concurrency, options.placeholderSecrets === true, (stack, evaluation) => {
        const writeStarted = performance.now();
        const result = finish(stack, evaluation, path.join(outDir, stack), 0);
        const done = { ...result, ms: evaluation.ms + (performance.now() - writeStarted) };
        results.set(stack, done);
        options.progress?.(progressLine(done));
        // The printout keeps the order of `stacks`: a stack is printed once those before it are.
        while (printed < stacks.length && results.has(stacks[printed])) {
            print(report(results.get(stacks[printed++])!));
        }
    });
    return stacks.map((stack) => results.get(stack)!);
}

type Evaluation = ({ render: StackRender } | { error: string }) & { readonly ms: number };

function finish(stack: string, evaluation: Evaluation, stackOut: string, ms: number): StackResult {
    fs.rmSync(stackOut, { recursive: true, force: true });
    if ("error" in evaluation) {
        return { stack, failures: [`the program failed: ${evaluation.error}`], files: [], outDir: stackOut, ms };
    }
    const render = evaluation.render;
    const files = writeStack(render, stackOut);
    const failures = render.schemaProblems.map((p) => `${p.object} (${p.resource}) is not valid against the Kubernetes schema: ${p.message}`);
    return { stack, render, failures, files, outDir: stackOut, ms };
}

/** `postgres-ebs: 16 resources, 14 files in 0.42 s` (or `FAILED`), for the progress report. */
export function progressLine(result: StackResult): string {
    const time = `${(result.ms / 1000).toFixed(2)} s`;
    if (result.failures.length || !result.render) {
        return `${result.stack}: FAILED in ${time}\n`;
    }
    return `${result.stack}: ${result.render.resources.length} resources, ${result.files.length} files in ${time}\n`;
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
    contents.set("graph.md", mermaidGraph(render));
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

type OnEvaluation = (stack: string, evaluation: Evaluation) => void;

/**
 * Evaluates the stacks in at most `concurrency` child processes, each taking its share of
 * the stacks one after another (the SDK loads once per process, which is most of the
 * time); `done` is called for each stack as its answer arrives.
 */
async function evaluateInChildren(project: ProjectInfo, stacks: readonly string[], concurrency: number, placeholderSecrets: boolean, done: OnEvaluation): Promise<void> {
    const lanes = Math.min(concurrency, stacks.length);
    const batches = Array.from({ length: lanes }, (_, lane) => stacks.filter((_, i) => i % lanes === lane));
    await Promise.all(batches.map((batch) => evaluateInChild(project, batch, placeholderSecrets, done)));
}

/** Runs `worker` for some stacks in one child process, handing on each answer as it arrives. */
function evaluateInChild(project: ProjectInfo, stacks: readonly string[], placeholderSecrets: boolean, done: OnEvaluation): Promise<void> {
    const ext = path.extname(__filename);
    const worker = path.join(__dirname, `worker${ext}`);
    // TypeScript programs (and this tool when run from source) load through tsx, transpile-only.
    const needsTsx = ext === ".ts" || project.program.endsWith(".ts");
    const loaded = process.execArgv.some((a) => a.includes("tsx"));
    const execArgv = [...sdkPreloads(project.root), ...process.execArgv, ...(needsTsx && !loaded ? ["--require", tsxLoader()] : [])];
    const args = [project.root, ...(placeholderSecrets ? ["--placeholder-secrets"] : []), ...stacks];
    const started = performance.now();
    return new Promise((resolve) => {
        const child = fork(worker, args, { cwd: project.root, execArgv, stdio: ["ignore", "pipe", "pipe", "ipc"] });
        let output = "";
        const answered = new Set<string>();
        child.stdout?.on("data", (chunk) => (output += chunk));
        child.stderr?.on("data", (chunk) => (output += chunk));
        const timer = setTimeout(() => child.kill("SIGKILL"), WORKER_TIMEOUT_MS);
        child.on("message", (message: { stack: string; ms?: number; render?: StackRender; error?: string }) => {
            if (answered.has(message.stack) || !stacks.includes(message.stack)) {
                return;
            }
            answered.add(message.stack);
            // The first stack of a process also waits for the process to start and load the SDK.
            const ms = answered.size === 1 ? performance.now() - started : message.ms ?? 0;
            done(message.stack, message.error !== undefined || !message.render ? { error: message.error ?? "no answer", ms } : { render: message.render, ms });
        });
        child.on("exit", (code, signal) => {
            clearTimeout(timer);
            const why = signal ? `was killed (${signal}${signal === "SIGKILL" ? `, over ${WORKER_TIMEOUT_MS / 1000} s` : ""})` : `exited with code ${code}`;
            for (const stack of stacks.filter((s) => !answered.has(s))) {
                answered.add(stack);
                done(stack, { error: `the evaluation ${why} without an answer${output ? `:\n${output.trimEnd()}` : ""}`, ms: performance.now() - started });
            }
            resolve();
        });
    });
}

/**
 * The Pulumi SDKs the project depends on, preloaded (`--require`) before the TypeScript
 * loader is registered: loaded through tsx, every one of their ~4,000 files would also be
 * scanned for ES module syntax and source maps, about half of a cold plan's time. The
 * program gets the same modules from the cache. Only packages the project declares and
 * that resolve from its folder are preloaded.
 */
export function sdkPreloads(root: string): string[] {
    const manifest = path.join(root, "package.json");
    if (!fs.existsSync(manifest)) {
        return [];
    }
    const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as Record<string, Record<string, string> | undefined>;
    const declared = new Set([pkg.dependencies, pkg.devDependencies, pkg.peerDependencies].flatMap((deps) => Object.keys(deps ?? {})));
    return PRELOADED_SDKS.filter((name) => declared.has(name)).flatMap((name) => {
        try {
            return ["--require", require.resolve(name, { paths: [root] })];
        } catch {
            return [];
        }
    });
}

/** The SDK and the provider SDKs whose load time dominates a plan. */
const PRELOADED_SDKS = ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/aws"];

/** The tsx loader that runs TypeScript without type-checking; a clear error when it is not installed. */
function tsxLoader(): string {
    try {
        return require.resolve("tsx/cjs");
    } catch {
        throw new Error("planning a TypeScript program needs tsx (npm install --save-dev tsx), which loads it without type-checking");
    }
}
