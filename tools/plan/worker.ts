import { loadProject } from "./project";
import { evaluateStack } from "./evaluate";

/**
 * One stack's evaluation in its own process (Pulumi's mocks are process-global). Started
 * by `plan` with `<project root> <stack>`; answers once over the IPC channel with either
 * `{ render }` or `{ error }`. Only redacted data crosses the channel.
 */

let answered = false;

function send(message: unknown): void {
    if (answered) {
        return;
    }
    answered = true;
    if (process.send) {
        process.send(message, undefined, undefined, () => process.exit(0));
    } else {
        process.stdout.write(`${JSON.stringify(message)}\n`);
    }
}

function fail(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    send({ error: message });
}

process.on("unhandledRejection", fail);
process.on("uncaughtException", fail);

const [root, stack] = process.argv.slice(2);
evaluateStack(loadProject(root), stack).then((render) => send({ render }), fail);
