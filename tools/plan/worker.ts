import { performance } from "perf_hooks";
import { loadProject } from "./project";
import { evaluateStack, EvaluateOptions, prepareEvaluationProcess } from "./evaluate";

/**
 * Evaluates stacks one after another in this process (Pulumi's mocks are process-global,
 * so stacks never run concurrently here; the SDK is loaded once for all of them). Started
 * by `plan` with `<project root> [--placeholder-secrets] <stack>…`; answers once per stack
 * over the IPC channel with `{ stack, ms, render }` or `{ stack, ms, error }` (`ms`: how
 * long the evaluation took). Only redacted data crosses the channel.
 */

function send(message: unknown): Promise<void> {
    return new Promise((resolve) => {
        if (process.send) {
            process.send(message, undefined, undefined, () => resolve());
        } else {
            process.stdout.write(`${JSON.stringify(message)}\n`);
            resolve();
        }
    });
}

function messageOf(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

let current: string | undefined;

// An error the program raises outside the awaited chain still belongs to the stack being evaluated.
async function failCurrent(err: unknown): Promise<void> {
    await send({ stack: current ?? "(none)", error: messageOf(err) });
    process.exit(1);
}

process.on("unhandledRejection", failCurrent);
process.on("uncaughtException", failCurrent);

async function main(root: string, stacks: readonly string[], options: EvaluateOptions): Promise<void> {
    prepareEvaluationProcess();
    const project = loadProject(root);
    for (const stack of stacks) {
        current = stack;
        const started = performance.now();
        try {
            const render = await evaluateStack(project, stack, options);
            await send({ stack, ms: performance.now() - started, render });
        } catch (err) {
            await send({ stack, ms: performance.now() - started, error: messageOf(err) });
        }
    }
    process.exit(0);
}

const [root, ...rest] = process.argv.slice(2);
const placeholderSecrets = rest.includes("--placeholder-secrets");
void main(
    root,
    rest.filter((a) => a !== "--placeholder-secrets"),
    { placeholderSecrets },
);
