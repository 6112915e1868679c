import { evaluateGate, Finding, GateOptions, GateResult, opEffect, stepsByUrn } from "./gate";
import { PreviewDocument, PreviewStep, splitUrn, STEP_OPS, StepOp } from "./preview";

/**
 * `diff`: a Markdown summary of a preview for a pull-request comment. Deterministic (rows
 * sorted, no durations or times) and value-free: it names resources and changed property
 * keys, never property values, so nothing secret can reach the comment (the engine already
 * writes secrets as "[secret]"; this prints no values at all).
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

/**
 * Changed keys of a resource: replace reasons (marked), then detailed-diff keys, then diff
 * reasons; when the provider reported none, the top-level inputs whose old and new values
 * differ (keys starting with "__" are engine bookkeeping and left out).
 */
export function rowKeys(steps: readonly PreviewStep[]): { readonly replace: string[]; readonly changed: string[] } {
    const replace = new Set<string>();
    const changed = new Set<string>();
    for (const step of steps) {
        step.replaceReasons?.forEach((k) => replace.add(k));
        Object.keys(step.detailedDiff ?? {}).forEach((k) => changed.add(k));
        step.diffReasons?.forEach((k) => changed.add(k));
    }
    if (replace.size === 0 && changed.size === 0) {
        const update = steps.find((s) => s.oldState?.inputs && s.newState?.inputs);
        if (update) {
            const olds = update.oldState!.inputs!;
            const news = update.newState!.inputs!;
            for (const key of new Set([...Object.keys(olds), ...Object.keys(news)])) {
                if (!key.startsWith("__") && JSON.stringify(olds[key]) !== JSON.stringify(news[key])) {
                    changed.add(key);
                }
            }
        }
    }
    const topLevel = (k: string) => k.split(/[.[]/)[0];
    const replaceTop = new Set([...replace].map(topLevel));
    const rest = [...changed].filter((k) => !replace.has(k) && !replaceTop.has(topLevel(k)));
    return { replace: [...replace].sort(), changed: rest.sort() };
}

function code(text: string): string {
    return "`" + text.replace(/`/g, "'").replace(/\|/g, "\\|") + "`";
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

const VERDICT_CELL: Readonly<Record<Finding["verdict"], string>> = {
    block: "**blocks**",
    allow: "allowed",
    warn: "warning",
    retained: "kept",
};

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

/** Renders the Markdown summary; `gate` is the gate's result over the same document. */
export function formatDiff(doc: PreviewDocument, gate: GateResult): string {
    const groups = stepsByUrn(doc);
    const first = doc.steps[0];
    const lines: string[] = [];
    if (first) {
        const { stack, project } = splitUrn(first.urn);
        lines.push(`### Pulumi preview of ${code(project)} stack ${code(stack)}`);
    } else {
        lines.push("### Pulumi preview");
    }
    lines.push("");
    const counts = opCounts(doc, groups);
    if (counts.length) {
        lines.push("| op | count |", "| --- | ---: |");
        counts.forEach(([op, n]) => lines.push(`| ${op} | ${n} |`));
        lines.push("");
    }
    const byUrn = new Map(gate.findings.map((f) => [f.urn, f]));
    const rows = [...groups.entries()]
        .map(([urn, steps]) => ({ urn, steps, op: rowOp(steps) }))
        .filter((r) => r.op !== "same")
        .sort((a, b) => {
            const rank = (op: StepOp) => {
                const i = ROW_ORDER.indexOf(op);
                return i < 0 ? ROW_ORDER.length : i;
            };
            return rank(a.op) - rank(b.op) || (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0);
        });
    if (rows.length === 0) {
        lines.push("No resource changes.");
    } else {
        lines.push("| op | type | name | changed keys | data |", "| --- | --- | --- | --- | --- |");
        for (const row of rows) {
            const { type, name } = splitUrn(row.urn);
            const { replace, changed } = rowKeys(row.steps);
            const keys = [...replace.map((k) => `${code(k)} (replaces)`), ...changed.map(code)].join(", ");
            const finding = byUrn.get(row.urn);
            lines.push(`| ${row.op} | ${code(type)} | ${code(name)} | ${keys} | ${finding ? VERDICT_CELL[finding.verdict] : ""} |`);
        }
    }
    lines.push("");
    const blocks = gate.findings.filter((f) => f.verdict === "block");
    lines.push(blocks.length
        ? `**Data gate: blocked.** ${blocks.length} change${blocks.length === 1 ? "" : "s"} would destroy data.`
        : "**Data gate: passed.**" + (gate.findings.length ? " Notes:" : " No change destroys data."));
    if (gate.findings.length) {
        lines.push("");
        for (const f of gate.findings) {
            const allowed = f.allowedBy !== undefined ? ` (allowed by ${code(f.allowedBy)})` : "";
            lines.push(`- ${VERDICT_CELL[f.verdict]}: ${f.op} ${code(f.type)} ${code(f.name)}${allowed} — ${cell(f.reason)}`);
        }
    }
    return lines.join("\n") + "\n";
}

/** `formatDiff` with the gate evaluated here. */
export function diffMarkdown(doc: PreviewDocument, options: GateOptions = {}): string {
    return formatDiff(doc, evaluateGate(doc, options));
}
