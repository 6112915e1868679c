import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PreviewDocument } from "../../../tools/gate";
import { e2e } from "./context";

/** Where the preview fixtures live. */
export const FIXTURES = path.resolve(__dirname, "..", "..", "fixtures", "preview");

/** Fixtures are (re)written only when asked: `UPDATE_FIXTURES=1 npm run e2e`. */
export const UPDATE_FIXTURES = process.env.UPDATE_FIXTURES === "1";

/**
 * A preview document without machine-specific content: `sourcePosition` and `stackTrace`
 * removed, this run's temporary folder, the home folder, the API server's port and owner
 * references' uids replaced by placeholders. Secrets are already `[secret]` in what the engine prints.
 */
export function sanitize(document: unknown): PreviewDocument {
    const { root, cluster } = e2e();
    const api = cluster.STATEFUL_STACKS_APISERVER;
    const clean = (value: unknown): unknown => {
        if (typeof value === "string") {
            return value.split(root).join("<e2e-tmp>").split(api).join("https://127.0.0.1:<port>").split(os.homedir()).join("<home>");
        }
        if (Array.isArray(value)) {
            return value.map(clean);
        }
        if (typeof value === "object" && value !== null) {
            return Object.fromEntries(
                Object.entries(value)
                    .filter(([k]) => k !== "sourcePosition" && k !== "stackTrace")
                    // An owner reference names its owner by the uid this cluster gave it.
                    .map(([k, v]) => [k, k === "ownerReferences" && Array.isArray(v) ? clean(v.map((r) => (typeof r === "object" && r !== null && "uid" in r ? { ...r, uid: "<owner-uid>" } : r))) : clean(v)]),
            );
        }
        return value;
    };
    return clean(document) as PreviewDocument;
}

/** `<type>::<name>` → the ops of its steps (sorted, joined with "+"), for every step that is not `same`. */
export function operations(document: PreviewDocument): Record<string, string> {
    const byResource: Record<string, string[]> = {};
    for (const step of document.steps) {
        if (step.op === "same") {
            continue;
        }
        const parts = step.urn.split("::");
        const type = parts[2].split("$").pop() as string;
        const key = `${type}::${parts[3]}`;
        (byResource[key] ??= []).push(step.op);
    }
    return Object.fromEntries(
        Object.keys(byResource)
            .sort()
            .map((k) => [k, byResource[k].sort().join("+")]),
    );
}

/**
 * What the program rendered, per step: the URN, the operation and the new state's type and
 * inputs (secrets are `[secret]`). Nothing here depends on the live cluster (UIDs, times
 * and the old state are left out), so a fixture whose rendered state differs from a live
 * preview's was made by other code: it is stale.
 */
export function rendered(document: PreviewDocument): { urn: string; op: string; type?: string; inputs?: unknown }[] {
    return document.steps
        .map((step) => {
            const s = step as unknown as { urn: string; op: string; newState?: { type?: string; inputs?: unknown } };
            return { urn: s.urn, op: s.op, type: s.newState?.type, inputs: s.newState?.inputs };
        })
        .sort((a, b) => (`${a.urn} ${a.op}` < `${b.urn} ${b.op}` ? -1 : `${a.urn} ${a.op}` > `${b.urn} ${b.op}` ? 1 : 0));
}

export interface CaseEntry {
    readonly note: string;
    readonly blocks: boolean;
    readonly previewFails: boolean;
    readonly apply: string;
    readonly lost: readonly string[];
    readonly provider?: string;
}

/** Writes `<case>.json`, formatted like the engine's own output. */
export function writeFixture(name: string, document: PreviewDocument): void {
    fs.writeFileSync(path.join(FIXTURES, `${name}.json`), `${JSON.stringify(document, null, 4)}\n`);
}

export function readFixture(name: string): PreviewDocument {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8")) as PreviewDocument;
}

/** Writes cases.json from the case table, keys in table order. */
export function writeManifest(cases: Readonly<Record<string, CaseEntry>>): void {
    fs.writeFileSync(path.join(FIXTURES, "cases.json"), `${JSON.stringify(cases, null, 4)}\n`);
}

export function readManifest(): Record<string, CaseEntry> {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES, "cases.json"), "utf8")) as Record<string, CaseEntry>;
}
