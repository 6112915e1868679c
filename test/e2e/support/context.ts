import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { ClusterEnv } from "./cluster";
import { Kube } from "./kube";
import { run, RunResult, tail } from "./run";

/** What the root hook set up for the tier: one control plane, one state backend, one project copy. */
export interface E2eContext {
    /** Temporary folder of this run (backend, project copy, cluster). */
    readonly root: string;
    /** The project copy the stacks run from. */
    readonly project: string;
    /** The file state backend folder (`PULUMI_BACKEND_URL=file://<backend>`). */
    readonly backend: string;
    readonly cluster: ClusterEnv;
    /** Environment of every CLI run: the toolchain's, the cluster's KUBECONFIG, the backend. */
    readonly env: NodeJS.ProcessEnv;
    readonly kube: Kube;
}

let current: E2eContext | undefined;

export function setContext(context: E2eContext | undefined): void {
    current = context;
}

export function e2e(): E2eContext {
    if (current === undefined) {
        throw new Error("the e2e root hook (test/e2e/support/hooks.ts) did not set up the tier; run it with `npm run e2e`");
    }
    return current;
}

/** A failed CLI run, with the output that explains it. */
export class PulumiError extends Error {
    constructor(readonly args: readonly string[], readonly result: RunResult) {
        super(`pulumi ${args.join(" ")} exited ${result.code}\n--- stdout (tail)\n${tail(result.stdout)}\n--- stderr (tail)\n${tail(result.stderr)}`);
        this.name = "PulumiError";
    }
}

/**
 * Runs the real Pulumi CLI (execFile, no shell) in the project copy, or in `cwd`. Rejects
 * with the output's tail unless the exit code is one of `expect` (default: 0).
 */
export async function pulumi(args: readonly string[], options: { cwd?: string; expect?: readonly number[] } = {}): Promise<RunResult> {
    const context = e2e();
    const all = [...args, "--non-interactive"];
    const result = await run("pulumi", all, { cwd: options.cwd ?? context.project, env: context.env, timeoutMs: 300_000 });
    if (!(options.expect ?? [0]).includes(result.code)) {
        throw new PulumiError(all, result);
    }
    return result;
}

/** A running CLI process (for interrupting it), and its result once it exits (never rejects on a non-zero exit). */
export function startPulumi(args: readonly string[], options: { cwd?: string } = {}): { child: ChildProcess; done: Promise<RunResult>; output: () => string } {
    const context = e2e();
    // Its own process group (signals go only where a test sends them); Pulumi gives its plugins groups of their own.
    const child = spawn("pulumi", [...args, "--non-interactive"], { cwd: options.cwd ?? context.project, detached: true, env: context.env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    const done = new Promise<RunResult>((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code, signal) =>
            resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString("utf8"), stderr: `${Buffer.concat(err).toString("utf8")}${signal ? `\n(killed by ${signal})` : ""}` }),
        );
    });
    return { child, done, output: () => Buffer.concat(out).toString("utf8") };
}

/** The stack's config file in a project folder. */
export function stackFile(stack: string, project = e2e().project): string {
    return path.join(project, "stacks", `Pulumi.${stack}.yaml`);
}
