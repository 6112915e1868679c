import { loadProject } from "./project";
import { evaluateStack } from "./evaluate";

/**
 * Evaluates stacks one after another in this process (Pulumi's mocks are process-global,
 * so stacks never run concurrently here; the SDK is loaded once for all of them). Started
 * by `plan` with `<project root> <stack>…`; answers once per stack over the IPC channel
 * with `{ stack, render }` or `{ stack, error }`. Only redacted data crosses the channel.
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

async function main(root: string, stacks: readonly string[]): Promise<void> {
    const project = loadProject(root);
    for (const stack of stacks) {
        current = stack;
        try {
            await send({ stack, render: await evaluateStack(project, stack) });
        } catch (err) {
            await send({ stack, error: messageOf(err) });
        }
    }
    process.exit(0);
}

const [root, ...stacks] = process.argv.slice(2);
void main(root, stacks);
