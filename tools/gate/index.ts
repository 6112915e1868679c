import * as fs from "fs";
import * as path from "path";
import { evaluateGate, formatGate, GateOptions, GateResult, parseAllowList, stepsByUrn } from "./gate";
import { documentStack, formatComment, formatDiff, StackPreview } from "./markdown";
import { parsePreview, PreviewDocument, PreviewInputError } from "./preview";
import { ValueChange, valueChanges } from "./values";

export * from "./gate";
export * from "./markdown";
export * from "./preview";
export * from "./values";

/**
 * `diff` and `gate`: the CI half of the package CLI. Both read documents that
 * `pulumi preview --json` prints (files, or `-` for stdin), one per stack.
 *
 *   diff  prints a Markdown summary for the pull request: one document as a section,
 *         several (or any `--stack` label) as one comment with every stack; exits 0, or 2
 *         when a document is unreadable or a failed preview (the comment still says so).
 *   gate  prints every finding; exits 0 pass, 1 blocked, 2 usage or an unreadable or
 *         failed preview (a malformed document or a failed preview never passes).
 */

/** Environment variable with extra `--allow` patterns, comma- or newline-separated (a PR-label flow sets it). */
export const ALLOW_ENV = "STATEFUL_STACKS_GATE_ALLOW";
/** Environment variable that, when "true" or "1", acts as `--allow-retained-claims`. */
export const ALLOW_RETAINED_CLAIMS_ENV = "STATEFUL_STACKS_GATE_ALLOW_RETAINED_CLAIMS";

/** One document on the command line, with the stack label `--stack` gave it. */
export interface PreviewInput {
    /** The document's path, or "-" for stdin. */
    readonly file: string;
    readonly label?: string;
}

export interface GateCommand extends GateOptions {
    readonly command: "diff" | "gate";
    readonly inputs: readonly PreviewInput[];
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
    const inputs: PreviewInput[] = [];
    const allow: string[] = [];
    const dataTypes: string[] = [];
    let label: string | undefined;
    let allowRetainedClaims = env[ALLOW_RETAINED_CLAIMS_ENV] === "true" || env[ALLOW_RETAINED_CLAIMS_ENV] === "1";
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === "--allow" || arg === "--data-type" || arg === "--stack") {
            const value = args[++i];
            if (value === undefined || value === "" || value.startsWith("--")) {
                throw new Error(arg === "--allow" ? "--allow needs a URN or a glob" : arg === "--data-type" ? "--data-type needs a type token" : "--stack needs a label");
            }
            if (arg === "--stack") {
                if (label !== undefined) {
                    throw new Error(`--stack ${label} is not followed by a preview document`);
                }
                label = value;
            } else {
                (arg === "--allow" ? allow : dataTypes).push(value);
            }
        } else if (arg === "--allow-retained-claims") {
            allowRetainedClaims = true;
        } else if (arg.startsWith("-") && arg !== "-") {
            throw new Error(`unknown option ${arg}`);
        } else {
            inputs.push(label === undefined ? { file: arg } : { file: arg, label });
            label = undefined;
        }
    }
    if (label !== undefined) {
        throw new Error(`--stack ${label} is not followed by a preview document`);
    }
    if (inputs.length === 0) {
        throw new Error(`${command} needs a preview document (the output of \`pulumi preview --json\`, or - for stdin), or several, one per stack`);
    }
    if (inputs.filter((p) => p.file === "-").length > 1) {
        throw new Error("stdin (-) can be read only once");
    }
    return { command, inputs, allow: [...allow, ...parseAllowList(env[ALLOW_ENV])], dataTypes, allowRetainedClaims };
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

/** The stack label of a document: `--stack`, else the stack of its URNs, else the file name. */
function labelOf(input: PreviewInput, doc: PreviewDocument | undefined): string {
    return input.label ?? (doc ? documentStack(doc)?.stack : undefined) ?? (input.file === "-" ? "stdin" : path.basename(input.file).replace(/\.json$/, ""));
}

type Loaded =
    | { readonly input: PreviewInput; readonly label: string; readonly doc: PreviewDocument; readonly gate: GateResult }
    | { readonly input: PreviewInput; readonly label: string; readonly failure: string };

/** Reads, checks and judges one document; every failure becomes a one-line reason. */
function load(input: PreviewInput, options: GateOptions, read: (file: string) => string): Loaded {
    let text: string;
    try {
        text = read(input.file);
    } catch (err) {
        return { input, label: labelOf(input, undefined), failure: `cannot read ${input.file}: ${(err as Error).message}` };
    }
    let doc: PreviewDocument;
    try {
        doc = parsePreview(text);
    } catch (err) {
        const reason = err instanceof PreviewInputError ? err.problems.join("; ") : (err as Error).message;
        return { input, label: labelOf(input, undefined), failure: `${input.file} is not a usable preview: ${reason}` };
    }
    try {
        return { input, label: labelOf(input, doc), doc, gate: evaluateGate(doc, options) };
    } catch (err) {
        return { input, label: labelOf(input, doc), failure: `${input.file} could not be judged: ${(err as Error).message}` };
    }
}

function changesByUrn(doc: PreviewDocument): Map<string, ValueChange[]> {
    return new Map([...stepsByUrn(doc).entries()].map(([urn, steps]) => [urn, valueChanges(steps)]));
}

/** Runs `diff` or `gate` over a parsed command line; `read` gets a document's text. */
export function runGateCommand(command: GateCommand, read: (file: string) => string = readDocument): CommandOutcome {
    const loaded = command.inputs.map((input) => load(input, command, read));
    const failures = loaded.filter((l): l is Extract<Loaded, { failure: string }> => "failure" in l);
    const stderr = failures.map((f) => `${command.command}: ${f.failure}\n`).join("");
    const single = command.inputs.length === 1 && command.inputs[0].label === undefined;
    if (command.command === "diff") {
        if (single) {
            const only = loaded[0];
            return "failure" in only ? { code: 2, stdout: "", stderr } : { code: 0, stdout: formatDiff(only.doc, only.gate), stderr: "" };
        }
        const stacks: StackPreview[] = loaded.map((l) => ("failure" in l ? { label: l.label, failure: l.failure } : { label: l.label, doc: l.doc, gate: l.gate }));
        return { code: failures.length ? 2 : 0, stdout: formatComment(stacks), stderr };
    }
    const sections: string[] = [];
    let blocked = false;
    for (const l of loaded) {
        if ("failure" in l) {
            if (!single) {
                sections.push(`== stack ${l.label}: preview failed: ${l.failure}\n`);
            }
            continue;
        }
        blocked ||= l.gate.blocked;
        const printout = formatGate(l.gate, changesByUrn(l.doc));
        sections.push(single ? printout : `== stack ${l.label}\n${printout}`);
    }
    return { code: failures.length ? 2 : blocked ? 1 : 0, stdout: sections.join(single ? "" : "\n"), stderr };
}
