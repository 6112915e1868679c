import * as fs from "fs";
import { evaluateGate, formatGate, GateOptions, parseAllowList } from "./gate";
import { formatDiff } from "./markdown";
import { parsePreview, PreviewInputError } from "./preview";

export * from "./gate";
export * from "./markdown";
export * from "./preview";

/**
 * `diff` and `gate`: the CI half of the package CLI. Both read the document that
 * `pulumi preview --json` prints (a file, or `-` for stdin).
 *
 *   diff  prints a Markdown summary for the pull request; exits 0 (2 on unreadable input).
 *   gate  prints every data-destroying change; exits 0 pass, 1 blocked, 2 usage or
 *         unreadable input (a malformed document or a failed preview never passes).
 */

/** Environment variable with extra `--allow` patterns, comma- or newline-separated (a PR-label flow sets it). */
export const ALLOW_ENV = "STATEFUL_STACKS_GATE_ALLOW";
/** Environment variable that, when "true" or "1", acts as `--allow-retained-claims`. */
export const ALLOW_RETAINED_CLAIMS_ENV = "STATEFUL_STACKS_GATE_ALLOW_RETAINED_CLAIMS";

export interface GateCommand extends GateOptions {
    readonly command: "diff" | "gate";
    /** The preview document's path, or "-" for stdin. */
    readonly file: string;
    readonly allow: readonly string[];
    readonly dataTypes: readonly string[];
    readonly allowRetainedClaims: boolean;
}

/** Parses the arguments after `diff`/`gate`, merging the environment's overrides; throws a usage message. */
export function parseGateArgs(
    command: "diff" | "gate",
    args: readonly string[],
    env: Readonly<Record<string, string | undefined>> = {},
): GateCommand {
    const files: string[] = [];
    const allow: string[] = [];
    const dataTypes: string[] = [];
    let allowRetainedClaims = env[ALLOW_RETAINED_CLAIMS_ENV] === "true" || env[ALLOW_RETAINED_CLAIMS_ENV] === "1";
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === "--allow" || arg === "--data-type") {
            const value = args[++i];
            if (value === undefined || value === "" || value.startsWith("--")) {
                throw new Error(arg === "--allow" ? "--allow needs a URN or a glob" : "--data-type needs a type token");
            }
            (arg === "--allow" ? allow : dataTypes).push(value);
        } else if (arg === "--allow-retained-claims") {
            allowRetainedClaims = true;
        } else if (arg.startsWith("-") && arg !== "-") {
            throw new Error(`unknown option ${arg}`);
        } else {
            files.push(arg);
        }
    }
    if (files.length !== 1) {
        throw new Error(`${command} needs exactly one preview document (the output of \`pulumi preview --json\`, or - for stdin)`);
    }
    return { command, file: files[0], allow: [...allow, ...parseAllowList(env[ALLOW_ENV])], dataTypes, allowRetainedClaims };
}

/** What a command printed and its exit code. */
export interface CommandOutcome {
    readonly code: 0 | 1 | 2;
    readonly stdout: string;
    readonly stderr: string;
}

/** Reads a document: a path, or "-" for stdin. */
export function readDocument(file: string): string {
    return fs.readFileSync(file === "-" ? 0 : file, "utf8");
}

/** Runs `diff` or `gate` over a parsed command line; `read` gets the document's text. */
export function runGateCommand(command: GateCommand, read: (file: string) => string = readDocument): CommandOutcome {
    let text: string;
    try {
        text = read(command.file);
    } catch (err) {
        return { code: 2, stdout: "", stderr: `${command.command}: cannot read ${command.file}: ${(err as Error).message}\n` };
    }
    let doc;
    try {
        doc = parsePreview(text);
    } catch (err) {
        if (err instanceof PreviewInputError) {
            const problems = err.problems.map((p) => `  ${p}`).join("\n");
            return { code: 2, stdout: "", stderr: `${command.command}: ${command.file} is not a usable preview:\n${problems}\n` };
        }
        throw err;
    }
    const result = evaluateGate(doc, command);
    if (command.command === "diff") {
        return { code: 0, stdout: formatDiff(doc, result), stderr: "" };
    }
    return { code: result.blocked ? 1 : 0, stdout: formatGate(result), stderr: "" };
}
