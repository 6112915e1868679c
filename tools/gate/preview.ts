/**
 * The `pulumi preview --json` document, as Pulumi 3.248 writes it (`display.PreviewDigest`
 * in pkg/display/json.go, states as `apitype.ResourceV3`). Only the fields the gate and
 * the diff read are typed; the rest pass through untouched. Secret values arrive from the
 * engine as the string "[secret]" and are never unwrapped here.
 */

/** Every step op the engine knows (pkg/resource/deploy/step.go, `StepOps`). */
export const STEP_OPS = [
    "same",
    "create",
    "update",
    "delete",
    "replace",
    "create-replacement",
    "delete-replaced",
    "read",
    "read-replacement",
    "refresh",
    "discard",
    "discard-replaced",
    "remove-pending-replace",
    "import",
    "import-replacement",
    "diff",
] as const;

export type StepOp = (typeof STEP_OPS)[number];

/** A resource state (`apitype.ResourceV3`), the fields read here. */
export interface ResourceState {
    readonly urn: string;
    readonly type: string;
    readonly custom?: boolean;
    readonly id?: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly parent?: string;
    readonly protect?: boolean;
    readonly external?: boolean;
    readonly retainOnDelete?: boolean;
    readonly deletedWith?: string;
    readonly pendingReplacement?: boolean;
}

/** One entry of `detailedDiff`: kind is add, delete, update, add-replace, delete-replace, update-replace. */
export interface PropertyDiff {
    readonly kind: string;
    readonly inputDiff: boolean;
}

/** A step (`display.PreviewStep`). */
export interface PreviewStep {
    readonly op: StepOp;
    readonly urn: string;
    readonly provider?: string;
    readonly oldState?: ResourceState;
    readonly newState?: ResourceState;
    readonly diffReasons?: readonly string[];
    readonly replaceReasons?: readonly string[];
    readonly detailedDiff?: Readonly<Record<string, PropertyDiff>> | null;
}

/** A diagnostic (`display.PreviewDiagnostic`); severity is debug, info, infoerr, warning or error. */
export interface PreviewDiagnostic {
    readonly urn?: string;
    readonly message?: string;
    readonly severity?: string;
}

/** The whole document (`display.PreviewDigest`). */
export interface PreviewDocument {
    readonly config?: Readonly<Record<string, string>>;
    readonly steps: readonly PreviewStep[];
    readonly diagnostics?: readonly PreviewDiagnostic[];
    readonly duration?: number;
    readonly changeSummary?: Readonly<Record<string, number>>;
    readonly maybeCorrupt?: boolean;
}

/** The input is not a usable preview document (the CLI exits 2). */
export class PreviewInputError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(problems.join("\n"));
        this.name = "PreviewInputError";
    }
}

const KNOWN_OPS: ReadonlySet<string> = new Set(STEP_OPS);

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkState(where: string, state: unknown, problems: string[]): void {
    if (state === undefined) {
        return;
    }
    if (!isObject(state)) {
        problems.push(`${where} is not an object`);
        return;
    }
    if (typeof state.type !== "string" || state.type === "") {
        problems.push(`${where}.type is missing`);
    }
    for (const key of ["inputs", "outputs"]) {
        if (state[key] !== undefined && !isObject(state[key])) {
            problems.push(`${where}.${key} is not an object`);
        }
    }
    for (const key of ["retainOnDelete", "protect", "external"]) {
        if (state[key] !== undefined && typeof state[key] !== "boolean") {
            problems.push(`${where}.${key} is not a boolean`);
        }
    }
}

function checkStringList(where: string, value: unknown, problems: string[]): void {
    if (value !== undefined && (!Array.isArray(value) || value.some((v) => typeof v !== "string"))) {
        problems.push(`${where} is not a list of property names`);
    }
}

/**
 * Checks a parsed value against the document shape and returns it typed. Everything the
 * gate relies on is checked (a step it cannot read must not pass): `steps` is a list,
 * every step has a known `op` and a `urn`, states are objects with a `type`, reasons are
 * lists of names. A preview that reported an error diagnostic is refused too: the engine
 * stops generating steps at the first error, so its step list is incomplete.
 * Throws a PreviewInputError listing every problem.
 */
export function checkPreview(value: unknown): PreviewDocument {
    if (!isObject(value)) {
        throw new PreviewInputError(["the document is not a JSON object (expected the output of `pulumi preview --json`)"]);
    }
    const problems: string[] = [];
    if (!Array.isArray(value.steps)) {
        problems.push(value.steps === undefined
            ? "the document has no \"steps\" list (expected the output of `pulumi preview --json`)"
            : "\"steps\" is not a list");
    } else {
        value.steps.forEach((step: unknown, i: number) => {
            const where = `steps[${i}]`;
            if (!isObject(step)) {
                problems.push(`${where} is not an object`);
                return;
            }
            if (typeof step.op !== "string" || !KNOWN_OPS.has(step.op)) {
                problems.push(`${where}.op ${typeof step.op === "string" ? `"${step.op}" is not a step op Pulumi 3.248 writes` : "is missing"}`);
            }
            if (typeof step.urn !== "string" || !step.urn.startsWith("urn:pulumi:")) {
                problems.push(`${where}.urn is missing or is not a Pulumi URN`);
            }
            checkState(`${where}.oldState`, step.oldState, problems);
            checkState(`${where}.newState`, step.newState, problems);
            checkStringList(`${where}.diffReasons`, step.diffReasons, problems);
            checkStringList(`${where}.replaceReasons`, step.replaceReasons, problems);
            if (step.detailedDiff !== undefined && step.detailedDiff !== null && !isObject(step.detailedDiff)) {
                problems.push(`${where}.detailedDiff is not an object`);
            }
        });
    }
    if (value.diagnostics !== undefined && !Array.isArray(value.diagnostics)) {
        problems.push("\"diagnostics\" is not a list");
    } else {
        for (const d of (value.diagnostics ?? []) as unknown[]) {
            if (isObject(d) && d.severity === "error") {
                const message = typeof d.message === "string" ? d.message.trim().replace(/^error:\s*/, "").split("\n")[0] : "(no message)";
                problems.push(`the preview failed, its step list is incomplete: ${message}`);
            }
        }
    }
    if (value.changeSummary !== undefined && !isObject(value.changeSummary)) {
        problems.push("\"changeSummary\" is not an object");
    }
    if (problems.length) {
        throw new PreviewInputError(problems);
    }
    return value as unknown as PreviewDocument;
}

/** Parses the text of a `pulumi preview --json` document; throws a PreviewInputError. */
export function parsePreview(text: string): PreviewDocument {
    if (text.trim() === "") {
        throw new PreviewInputError(["the document is empty (did `pulumi preview --json` fail before printing?)"]);
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (err) {
        throw new PreviewInputError([`the document is not JSON: ${(err as Error).message}`]);
    }
    return checkPreview(value);
}

/** The parts of a URN: `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` (names may hold "::"). */
export interface UrnParts {
    readonly stack: string;
    readonly project: string;
    readonly type: string;
    readonly name: string;
}

export function splitUrn(urn: string): UrnParts {
    const parts = urn.split("::");
    const stack = (parts[0] ?? "").replace(/^urn:pulumi:/, "");
    const qualifiedType = parts[2] ?? "";
    return {
        stack,
        project: parts[1] ?? "",
        type: qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1),
        name: parts.slice(3).join("::"),
    };
}
