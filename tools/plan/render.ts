import * as yaml from "js-yaml";

/**
 * Pure rendering for `plan`: the resource tree as `pulumi preview` prints it, per-type
 * counts, and the deterministic file names and contents written under `out/<stack>/`.
 * Everything here works on redacted data only.
 */

// This module and the CLI around it stay clear of @pulumi/pulumi (about 3 s to load): only
// the per-stack worker processes load the SDK. Hence a local key sorter and placeholder.

/** What the engine shows instead of a secret value. */
export const SECRET_PLACEHOLDER = "[secret]";

/** A copy of a JSON-like value with object keys sorted, recursively. */
export function sortKeys<T>(value: T): T {
    if (Array.isArray(value)) {
        return value.map(sortKeys) as unknown as T;
    }
    if (value !== null && typeof value === "object") {
        const source = value as Record<string, unknown>;
        return Object.fromEntries(Object.keys(source).sort().map((key) => [key, sortKeys(source[key])])) as T;
    }
    return value;
}

/** One resource of a planned stack, with its inputs redacted. */
export interface PlannedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent?: string;
    readonly custom: boolean;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    /** Inputs with every secret leaf replaced by `[secret]`. */
    readonly inputs: Record<string, unknown>;
}

/** A schema violation in one rendered Kubernetes object. */
export interface SchemaProblem {
    /** `apps/v1 StatefulSet db/pg`. */
    readonly object: string;
    /** The Pulumi resource that rendered it: `kubernetes:apps/v1:StatefulSet pg`. */
    readonly resource: string;
    /** The violated rule, with the field path as the validator gives it. */
    readonly message: string;
}

/** Everything `plan` learned about one stack. Contains no secret value. */
export interface StackRender {
    readonly stack: string;
    readonly project: string;
    readonly resources: readonly PlannedResource[];
    /** Stack outputs, secrets as `[secret]`. */
    readonly outputs: Record<string, unknown>;
    readonly schemaProblems: readonly SchemaProblem[];
    /** Config keys that got a secret placeholder. */
    readonly placeholders: readonly string[];
}

/**
 * Replaces every secret in `redacted` leaf by leaf: where the engine redacted a whole
 * map (`stringData: "[secret]"`), the keys of the plain value are kept and each value
 * becomes `[secret]`, so that a written Secret still has the shape Kubernetes expects.
 */
export function redactLeaves(plain: unknown, redacted: unknown): unknown {
    if (redacted === SECRET_PLACEHOLDER) {
        return maskAll(plain);
    }
    if (Array.isArray(redacted)) {
        return redacted.map((item, i) => redactLeaves(Array.isArray(plain) ? plain[i] : undefined, item));
    }
    if (redacted !== null && typeof redacted === "object") {
        const source = (plain ?? {}) as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(redacted as Record<string, unknown>)) {
            out[key] = redactLeaves(source[key], value);
        }
        return out;
    }
    return redacted;
}

function maskAll(plain: unknown): unknown {
    if (Array.isArray(plain)) {
        return plain.map(maskAll);
    }
    if (plain !== null && typeof plain === "object") {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(plain as Record<string, unknown>)) {
            out[key] = maskAll((plain as Record<string, unknown>)[key]);
        }
        return out;
    }
    return SECRET_PLACEHOLDER;
}

/** True for a resource whose inputs are a Kubernetes object sent to the API server. */
export function isKubernetesObject(resource: Pick<PlannedResource, "type" | "custom">): boolean {
    return resource.custom && resource.type.startsWith("kubernetes:") && !resource.type.startsWith("kubernetes:helm") && !resource.type.startsWith("kubernetes:yaml");
}

/** True for a provider resource (`pulumi:providers:aws`); they are configuration, not infrastructure. */
export function isProvider(resource: Pick<PlannedResource, "type">): boolean {
    return resource.type.startsWith("pulumi:providers:");
}

const FILE_SAFE = /[^a-z0-9._-]+/g;

/** Lower-case letters, digits, '.', '_' and '-' only; never empty, never starting with '.' (no `..`). */
function fileSafe(text: string): string {
    const safe = text.toLowerCase().replace(FILE_SAFE, "_");
    return safe === "" || safe.startsWith(".") ? `_${safe}` : safe;
}

/**
 * Where a resource is written under `out/<stack>/`: Kubernetes objects as
 * `kubernetes/<namespace or _cluster>/<kind>-<name>.yaml`, every other custom resource
 * as `<provider>/<module>-<type>-<name>.json` (`aws/kms-key-fast-key.json`).
 * Components are not written (their children are). Returns undefined for those.
 */
export function outputFileName(resource: PlannedResource): string | undefined {
    if (!resource.custom || isProvider(resource)) {
        return undefined;
    }
    if (isKubernetesObject(resource)) {
        const metadata = (resource.inputs.metadata ?? {}) as Record<string, unknown>;
        const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "_cluster";
        const name = typeof metadata.name === "string" ? metadata.name : `${resource.name}-auto-named`;
        const kind = typeof resource.inputs.kind === "string" ? resource.inputs.kind : resource.type.split(":").pop() ?? "object";
        return `kubernetes/${fileSafe(namespace)}/${fileSafe(kind)}-${fileSafe(name)}.yaml`;
    }
    const [provider, moduleAndType = "", typeName = ""] = resource.type.split(":");
    const module = moduleAndType.split("/")[0];
    return `${fileSafe(provider)}/${fileSafe(module)}-${fileSafe(typeName)}-${fileSafe(resource.name)}.json`;
}

/** YAML with sorted keys and no line folding, so that files diff cleanly. */
export function toYaml(value: unknown): string {
    return yaml.dump(sortKeys(value), { sortKeys: true, lineWidth: -1, noRefs: true, quotingType: "\"" });
}

/** JSON with sorted keys and a final newline. */
export function toJson(value: unknown): string {
    return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** The content of a resource's file (see {@link outputFileName}). */
export function fileContent(resource: PlannedResource, parentOf: (urn: string) => PlannedResource | undefined): string {
    if (isKubernetesObject(resource)) {
        return toYaml(resource.inputs);
    }
    const parent = resource.parent ? parentOf(resource.parent) : undefined;
    return toJson({
        inputs: resource.inputs,
        name: resource.name,
        parent: parent && parent.type !== "pulumi:pulumi:Stack" ? `${parent.type}::${parent.name}` : undefined,
        protect: resource.protect || undefined,
        retainOnDelete: resource.retainOnDelete || undefined,
        type: resource.type,
    });
}

/** Resources per type token, sorted by type. */
export function countByType(resources: readonly PlannedResource[]): Array<[string, number]> {
    const counts = new Map<string, number>();
    for (const r of resources) {
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

interface TreeRow {
    readonly prefix: string;
    readonly resource: PlannedResource;
}

/**
 * Orders resources as a tree under their parents, children sorted by type and name so
 * that the order does not depend on when asynchronous registrations arrived.
 */
export function treeRows(resources: readonly PlannedResource[]): TreeRow[] {
    const byParent = new Map<string, PlannedResource[]>();
    const urns = new Set(resources.map((r) => r.urn));
    const roots: PlannedResource[] = [];
    for (const r of resources) {
        if (r.parent && urns.has(r.parent)) {
            const list = byParent.get(r.parent) ?? [];
            list.push(r);
            byParent.set(r.parent, list);
        } else {
            roots.push(r);
        }
    }
    const order = (a: PlannedResource, b: PlannedResource): number => {
        const ka = `${a.type}\u0000${a.name}`;
        const kb = `${b.type}\u0000${b.name}`;
        return ka < kb ? -1 : ka > kb ? 1 : 0;
    };
    const rows: TreeRow[] = [];
    const walk = (r: PlannedResource, indent: string, branch: string): void => {
        rows.push({ prefix: `${indent}${branch}`, resource: r });
        const children = (byParent.get(r.urn) ?? []).sort(order);
        const childIndent = branch === "" ? indent : `${indent}${branch === "└─ " ? "   " : "│  "}`;
        children.forEach((child, i) => walk(child, childIndent, i === children.length - 1 ? "└─ " : "├─ "));
    };
    roots.sort(order).forEach((r) => walk(r, "", ""));
    return rows;
}

/** The text `plan` prints for a stack, modelled on `pulumi preview`. */
export function formatPlan(render: StackRender): string {
    const rows = treeRows(render.resources);
    const typeWidth = Math.max(4, ...rows.map((r) => r.prefix.length + r.resource.type.length));
    const nameWidth = Math.max(4, ...rows.map((r) => r.resource.name.length));
    const line = (type: string, name: string, op: string, mark: string): string =>
        ` ${mark}   ${type.padEnd(typeWidth)}  ${name.padEnd(nameWidth)}  ${op}`.trimEnd();
    const lines: string[] = [`Previewing stack ${render.stack} (project ${render.project}) with the offline plan: no cloud, no credentials`, ""];
    lines.push(line("Type", "Name", "Plan", " "));
    for (const row of rows) {
        const flags = [row.resource.protect ? "protected" : "", row.resource.retainOnDelete ? "retain-on-delete" : ""].filter(Boolean);
        const op = flags.length ? `create (${flags.join(", ")})` : "create";
        lines.push(line(`${row.prefix}${row.resource.type}`, row.resource.name, op, "+"));
    }
    lines.push("", "Outputs:");
    const outputs = render.outputs;
    const keys = Object.keys(outputs).sort();
    const keyWidth = Math.max(0, ...keys.map((k) => k.length));
    for (const key of keys) {
        lines.push(`    ${`${key}:`.padEnd(keyWidth + 1)} ${JSON.stringify(sortKeys(outputs[key]))}`);
    }
    if (keys.length === 0) {
        lines.push("    (none)");
    }
    lines.push("", "Resources:", `    + ${rows.length} to create`, "", "By type:");
    for (const [type, count] of countByType(render.resources)) {
        lines.push(`    ${String(count).padStart(3)}  ${type}`);
    }
    if (render.placeholders.length) {
        lines.push("", `Secret config given placeholders (values stay secret): ${render.placeholders.join(", ")}`);
    }
    return `${lines.join("\n")}\n`;
}

/** A Mermaid label: the engine's text with the characters Mermaid would read as syntax escaped. */
function mermaidLabel(text: string): string {
    return text.replace(/&/g, "#amp;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

/**
 * The stack's resources and their parents as a Mermaid flowchart (GitHub renders it), in
 * the order of the printed tree: one node per resource (type and name), an edge from each
 * parent to each child. Deterministic: node ids follow the tree order.
 */
export function mermaidFlowchart(render: StackRender): string {
    const rows = treeRows(render.resources);
    const ids = new Map(rows.map((row, i) => [row.resource.urn, `r${i}`]));
    const lines = ["flowchart TD"];
    for (const { resource } of rows) {
        const flags = [resource.protect ? "protected" : "", resource.retainOnDelete ? "retain-on-delete" : ""].filter(Boolean);
        const label = `${resource.type}<br/>${resource.name}${flags.length ? `<br/>(${flags.join(", ")})` : ""}`;
        const shape = resource.custom ? [`["`, `"]`] : [`(["`, `"])`];
        lines.push(`    ${ids.get(resource.urn)}${shape[0]}${mermaidLabel(label).replace(/#lt;br\/#gt;/g, "<br/>")}${shape[1]}`);
    }
    for (const { resource } of rows) {
        const parent = resource.parent ? ids.get(resource.parent) : undefined;
        if (parent) {
            lines.push(`    ${parent} --> ${ids.get(resource.urn)}`);
        }
    }
    return `\`\`\`mermaid\n${lines.join("\n")}\n\`\`\`\n`;
}

/** `graph.md`: the heading and the flowchart of {@link mermaidFlowchart}. */
export function mermaidGraph(render: StackRender): string {
    return `# ${render.stack}: resources and their parents\n\nComponents are rounded, custom resources square; an arrow goes from a parent to its child.\n\n${mermaidFlowchart(render)}`;
}
