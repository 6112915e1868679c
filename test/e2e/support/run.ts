import { execFile } from "child_process";

/** What a finished process left behind. */
export interface RunResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs a program without a shell and resolves with its exit code and output (never rejects on a non-zero exit). */
export function run(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        execFile(
            file,
            [...args],
            { cwd: options.cwd, env: options.env, maxBuffer: 256 * 1024 * 1024, timeout: options.timeoutMs ?? 0, killSignal: "SIGTERM" },
            (error, stdout, stderr) => {
                if (error && typeof error.code !== "number") {
                    // Not an exit code: the program could not be started, or it was killed.
                    if (error.killed || error.signal) {
                        resolve({ code: -1, stdout, stderr: `${stderr}\n(killed by ${error.signal ?? "timeout"})` });
                        return;
                    }
                    reject(error);
                    return;
                }
                resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
            },
        );
    });
}

/** The last `lines` lines of a text, for error messages. */
export function tail(text: string, lines = 40): string {
    return text.trimEnd().split("\n").slice(-lines).join("\n");
}
