import { blockCounts, blockSummary, evaluateGate, Finding, GateOptions, GateResult, opEffect, stepsByUrn, Verdict } from "./gate";
import { PreviewDocument, PreviewStep, splitUrn, STEP_OPS, StepOp } from "./preview";
import { valueChanges } from "./values";

/**
 * `diff`: a Markdown summary of one or more previews for a pull-request comment.
 * Deterministic (rows sorted, no durations or times). It shows old → new for every changed
 * property the engine reports; secrets stay `[secret]` (the engine writes them so, and a
 * Kubernetes Secret's data is never printed), values not known until the update are
 * `[unknown]` (tools/gate/values.ts), values are cut at one short line.
 */

/** Rows are ordered by how much they matter to a reviewer, then by URN. */
const ROW_ORDER: readonly StepOp[] = [
    "delete",
    "replace",
    "import-replacement",
    "remove-pending-replace",
    "update",
    "create",
    "import",
    "discard",
    "discard-replaced",
    "read",
    "read-replacement",
    "refresh",
    "diff",
];

/** The op a resource's row shows: replacement ops fold into `replace`. */
export function rowOp(steps: readonly PreviewStep[]): StepOp {
    if (steps.some((s) => opEffect(s.op) === "replace" && s.op !== "import-replacement")) {
        return "replace";
    }
    return steps.find((s) => s.op !== "same")?.op ?? "same";
}

function code(text: string): string {
    return "`" + text.replace(/`/g, "'").replace(/\|/g, "\\|") + "`";
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

const VERDICT_CELL: Readonly<Record<Verdict, string>> = {
    block: "**blocks**",
    allow: "allowed",
    warn: "warning",
    retained: "kept",
};

const SEVERITY: readonly Verdict[] = ["block", "allow", "warn", "retained"];

/** At most this many changes are listed in a row; the rest are counted. */
const MAX_CHANGES = 8;

function opCounts(doc: PreviewDocument, groups: Map<string, PreviewStep[]>): [string, number][] {
    const counts = new Map<string, number>();
    if (doc.changeSummary) {
        for (const [op, n] of Object.entries(doc.changeSummary)) {
            counts.set(op, n);
        }
    } else {
        for (const steps of groups.values()) {
            const op = rowOp(steps);
            counts.set(op, (counts.get(op) ?? 0) + 1);
        }
    }
    const rank = (op: string) => {
        const i = (STEP_OPS as readonly string[]).indexOf(op);
        return i < 0 ? STEP_OPS.length : i;
    };
    return [...counts.entries()].filter(([, n]) => n > 0).sort((a, b) => rank(a[0]) - rank(b[0]) || (a[0] < b[0] ? -1 : 1));
}

function changesCell(steps: readonly PreviewStep[], op: StepOp): string {
    const changes = valueChanges(steps);
    if (changes.length === 0 && op === "replace") {
        // The engine replaces the dependents of a resource replaced delete-before-replace.
        return "no property changed: replaced with a resource it depends on";
    }
    const shown = changes.slice(0, MAX_CHANGES).map((c) => {
        const text = `${code(c.path)}: ${code(c.old)} → ${code(c.new)}`;
        return c.replaces ? `${text} (replaces)` : text;
    });
    if (changes.length > MAX_CHANGES) {
        shown.push(`… and ${changes.length - MAX_CHANGES} more`);
    }
    return shown.join("<br>");
}

interface Row {
    readonly urn: string;
    readonly steps: PreviewStep[];
    readonly op: StepOp;
}

function changedRows(doc: PreviewDocument): Row[] {
    const rank = (op: StepOp) => {
        const i = ROW_ORDER.indexOf(op);
        return i < 0 ? ROW_ORDER.length : i;
    };
    return [...stepsByUrn(doc).entries()]
        .map(([urn, steps]) => ({ urn, steps, op: rowOp(steps) }))
        .filter((r) => r.op !== "same")
        .sort((a, b) => rank(a.op) - rank(b.op) || (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

function worstVerdicts(gate: GateResult): Map<string, Verdict> {
    const worst = new Map<string, Verdict>();
    for (const f of gate.findings) {
        const current = worst.get(f.urn);
        if (current === undefined || SEVERITY.indexOf(f.verdict) < SEVERITY.indexOf(current)) {
            worst.set(f.urn, f.verdict);
        }
    }
    return worst;
}

function gateLines(gate: GateResult): string[] {
    const lines: string[] = [];
    const summary = blockSummary(gate.findings);
    lines.push(summary
        ? `**Data gate: blocked.** ${summary}.`
        : "**Data gate: passed.**" + (gate.findings.length ? " Notes:" : " No change destroys data or weakens its protection."));
    gate.notes.forEach((n) => lines.push("", `_Note: ${cell(n)}._`));
    if (gate.findings.length) {
        lines.push("");
        for (const f of gate.findings) {
            lines.push(findingLine(f));
            if ((f.verdict === "block" || f.verdict === "warn") && f.remedy !== undefined) {
                lines.push(`  - instead: ${cell(f.remedy)}`);
            }
            if (f.verdict === "block" && f.accept !== undefined) {
                lines.push(`  - accept: ${cell(f.accept)}`);
            }
        }
    }
    return lines;
}

function findingLine(f: Finding): string {
    const allowed = f.allowedBy !== undefined ? ` (allowed by ${code(f.allowedBy)})` : "";
    return `- ${VERDICT_CELL[f.verdict]}: ${f.op} ${code(f.type)} ${code(f.name)}${allowed} — ${cell(f.reason)}`;
}

/** The stack a document previews, from its first URN. */
export function documentStack(doc: PreviewDocument): { readonly stack: string; readonly project: string } | undefined {
    const first = doc.steps[0];
    if (first === undefined) {
        return undefined;
    }
    const { stack, project } = splitUrn(first.urn);
    return { stack, project };
}

/** Renders the Markdown summary of one document; `gate` is the gate's result over it. */
export function formatDiff(doc: PreviewDocument, gate: GateResult, label?: string): string {
    const lines: string[] = [];
    const where = documentStack(doc);
    if (where) {
        lines.push(`### Pulumi preview of ${code(where.project)} stack ${code(label ?? where.stack)}`);
    } else {
        lines.push(label ? `### Pulumi preview of stack ${code(label)}` : "### Pulumi preview");
    }
    lines.push("");
    const counts = opCounts(doc, stepsByUrn(doc));
    if (counts.length) {
        lines.push("| op | count |", "| --- | ---: |");
        counts.forEach(([op, n]) => lines.push(`| ${op} | ${n} |`));
        lines.push("");
    }
    const worst = worstVerdicts(gate);
    const rows = changedRows(doc);
    if (rows.length === 0) {
        lines.push("No resource changes.");
    } else {
        lines.push("| op | type | name | changes | data |", "| --- | --- | --- | --- | --- |");
        for (const row of rows) {
            const { type, name } = splitUrn(row.urn);
            const verdict = worst.get(row.urn);
            lines.push(`| ${row.op} | ${code(type)} | ${code(name)} | ${changesCell(row.steps, row.op)} | ${verdict ? VERDICT_CELL[verdict] : ""} |`);
        }
    }
    lines.push("");
    lines.push(...gateLines(gate));
    return lines.join("\n") + "\n";
}

/** `formatDiff` with the gate evaluated here. */
export function diffMarkdown(doc: PreviewDocument, options: GateOptions = {}): string {
    return formatDiff(doc, evaluateGate(doc, options));
}

function mermaidLabel(text: string): string {
    return text.replace(/"/g, "#quot;").replace(/[<>]/g, "");
}

/**
 * A Mermaid graph of the changed resources and their parents (GitHub renders it in a
 * comment): one box per resource, an edge from each parent, blocking resources marked.
 * Undefined when nothing changed.
 */
export function mermaidGraph(doc: PreviewDocument, gate: GateResult): string | undefined {
    const rows = changedRows(doc);
    if (rows.length === 0) {
        return undefined;
    }
    const groups = stepsByUrn(doc);
    const parentOf = (urn: string): string | undefined => {
        const steps = groups.get(urn) ?? [];
        const parent = steps.map((s) => s.newState?.parent ?? s.oldState?.parent).find((p) => p !== undefined);
        return parent !== undefined && splitUrn(parent).type !== "pulumi:pulumi:Stack" ? parent : undefined;
    };
    const nodes = new Map<string, string>();
    const edges: string[] = [];
    const ops = new Map(rows.map((r) => [r.urn, r.op]));
    const add = (urn: string): string => {
        let id = nodes.get(urn);
        if (id === undefined) {
            id = `n${nodes.size}`;
            nodes.set(urn, id);
            const parent = parentOf(urn);
            if (parent !== undefined) {
                edges.push(`    ${add(parent)} --> ${id}`);
            }
        }
        return id;
    };
    rows.forEach((r) => add(r.urn));
    const worst = worstVerdicts(gate);
    const lines = ["```mermaid", "graph LR"];
    for (const [urn, id] of [...nodes.entries()].sort((a, b) => Number(a[1].slice(1)) - Number(b[1].slice(1)))) {
        const { type, name } = splitUrn(urn);
        const op = ops.get(urn);
        const shortType = type.slice(type.lastIndexOf(":") + 1);
        lines.push(`    ${id}["${mermaidLabel(`${shortType} ${name}${op ? ` (${op})` : ""}`)}"]`);
    }
    lines.push(...edges);
    const blocked = [...nodes.entries()].filter(([urn]) => worst.get(urn) === "block").map(([, id]) => id);
    if (blocked.length) {
        lines.push("    classDef block fill:#fdd,stroke:#c00", `    class ${blocked.join(",")} block`);
    }
    lines.push("```");
    return lines.join("\n") + "\n";
}

/** One stack's preview for a combined comment: a usable document, or why there is none. */
export type StackPreview =
    | { readonly label: string; readonly doc: PreviewDocument; readonly gate: GateResult }
    | { readonly label: string; readonly failure: string };

/** The comment's summary cell for one stack. */
function stackStatus(stack: StackPreview): { changes: string; gate: string } {
    if ("failure" in stack) {
        return { changes: "—", gate: `**preview failed**: ${cell(stack.failure)}` };
    }
    const rows = changedRows(stack.doc);
    const counts = new Map<string, number>();
    rows.forEach((r) => counts.set(r.op, (counts.get(r.op) ?? 0) + 1));
    const changes = rows.length ? [...counts.entries()].map(([op, n]) => `${n} ${op}`).join(", ") : "no changes";
    const summary = blockCounts(stack.gate.findings);
    const warnings = stack.gate.findings.filter((f) => f.verdict === "warn").length;
    return {
        changes,
        gate: summary ? `**blocked**: ${summary}` : warnings ? `passed, ${warnings} warning${warnings === 1 ? "" : "s"}` : "passed",
    };
}

/**
 * One comment for several stacks: a summary table (changes and the gate's verdict per
 * stack, a failed preview said as such), then each stack's section — blocked and failed
 * stacks open, the rest folded — with a Mermaid graph of its changed resources.
 */
export function formatComment(stacks: readonly StackPreview[]): string {
    const lines: string[] = [];
    const blocked = stacks.filter((s) => "gate" in s && s.gate.blocked).length;
    const failed = stacks.filter((s) => "failure" in s).length;
    const verdict = failed
        ? `**${failed} preview${failed === 1 ? "" : "s"} failed${blocked ? `, ${blocked} stack${blocked === 1 ? "" : "s"} blocked` : ""}.**`
        : blocked
            ? `**Data gate: ${blocked} stack${blocked === 1 ? "" : "s"} blocked.**`
            : "**Data gate: passed on every stack.**";
    lines.push(`## Pulumi preview: ${stacks.length} stack${stacks.length === 1 ? "" : "s"}`, "", verdict, "");
    lines.push("| stack | changes | data gate |", "| --- | --- | --- |");
    for (const stack of stacks) {
        const status = stackStatus(stack);
        lines.push(`| ${code(stack.label)} | ${status.changes} | ${status.gate} |`);
    }
    for (const stack of stacks) {
        lines.push("");
        if ("failure" in stack) {
            lines.push(`### Stack ${code(stack.label)}: preview failed`, "", `The preview did not produce a usable document: ${cell(stack.failure)}. The gate cannot judge it, so it fails (exit 2).`);
            continue;
        }
        const open = stack.gate.blocked ? " open" : "";
        const status = stackStatus(stack);
        lines.push(`<details${open}><summary>${cell(stack.label)}: ${status.changes}; gate ${stack.gate.blocked ? "blocked" : "passed"}</summary>`, "");
        lines.push(formatDiff(stack.doc, stack.gate, stack.label).trimEnd());
        const graph = mermaidGraph(stack.doc, stack.gate);
        if (graph) {
            lines.push("", graph.trimEnd());
        }
        lines.push("", "</details>");
    }
    return lines.join("\n") + "\n";
}
