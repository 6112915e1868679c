import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { evaluateGate, parsePreview, readDocument } from "../../tools/gate";

/**
 * The official fixtures: real previews of the scenario stacks, listed in
 * test/fixtures/preview/cases.json as { "<case>": { note, blocks } }. This suite is only
 * registered when the manifest exists, so it cannot pass vacuously before the fixtures land.
 */
const DIR = path.join(__dirname, "..", "fixtures", "preview");
const MANIFEST = path.join(DIR, "cases.json");

interface Case {
    readonly note: string;
    readonly blocks: boolean;
    /** The preview failed (the provider refused it); the gate refuses such a document. */
    readonly previewFails?: boolean;
}

if (fs.existsSync(MANIFEST)) {
    describe("gate: the scenario stacks' real previews (cases.json)", () => {
        const cases = JSON.parse(fs.readFileSync(MANIFEST, "utf8")) as Record<string, Case>;

        it("lists at least one case, each with a note, a verdict and a fixture", () => {
            assert.ok(Object.keys(cases).length > 0);
            for (const [name, c] of Object.entries(cases)) {
                assert.equal(typeof c.note, "string", name);
                assert.equal(typeof c.blocks, "boolean", name);
                assert.ok(fs.existsSync(path.join(DIR, `${name}.json`)), `${name}.json`);
            }
        });

        for (const [name, c] of Object.entries(cases)) {
            it(`${name}: ${c.note} — ${c.previewFails ? "the preview failed: refused" : c.blocks ? "blocks" : "passes"}`, () => {
                if (c.previewFails) {
                    assert.equal(c.blocks, true, "a failed preview is refused, so the case blocks");
                    assert.throws(() => parsePreview(readDocument(path.join(DIR, `${name}.json`))), /the preview failed/);
                    return;
                }
                const result = evaluateGate(parsePreview(readDocument(path.join(DIR, `${name}.json`))));
                const blocked = result.findings.filter((f) => f.verdict === "block").map((f) => `${f.op} ${f.urn}`);
                assert.equal(result.blocked, c.blocks, `blocked: ${JSON.stringify(blocked)}`);
            });
        }
    });
}
