import { strict as assert } from "assert";
import * as path from "path";
import { parseGateArgs, parsePreview, PreviewInputError, readDocument, runGateCommand } from "../../tools/gate";

const FIXTURES = path.join(__dirname, "..", "fixtures", "preview");

function problemsOf(text: string): readonly string[] {
    try {
        parsePreview(text);
    } catch (err) {
        assert.ok(err instanceof PreviewInputError);
        return err.problems;
    }
    assert.fail("the document was accepted");
}

const STEP = { op: "delete", urn: "urn:pulumi:dev::shop::kubernetes:core/v1:PersistentVolumeClaim::data" };

describe("gate: malformed documents are refused, every problem named", () => {
    const table: [string, string, string[]][] = [
        ["empty", "  \n", ["the document is empty (did `pulumi preview --json` fail before printing?)"]],
        ["not JSON", "Previewing update (dev):", ["the document is not JSON: Unexpected token 'P', \"Previewing\"... is not valid JSON"]],
        ["a list", "[]", ["the document is not a JSON object (expected the output of `pulumi preview --json`)"]],
        ["no steps", "{}", ["the document has no \"steps\" list (expected the output of `pulumi preview --json`)"]],
        ["steps not a list", '{"steps":{}}', ["\"steps\" is not a list"]],
        ["a step not an object", '{"steps":[1]}', ["steps[0] is not an object"]],
        ["missing op and urn", '{"steps":[{}]}', ["steps[0].op is missing", "steps[0].urn is missing or is not a Pulumi URN"]],
        ["unknown op", JSON.stringify({ steps: [{ ...STEP, op: "destroy" }] }), ["steps[0].op \"destroy\" is not a step op Pulumi 3.248 writes"]],
        ["bad states", JSON.stringify({ steps: [{ ...STEP, oldState: { inputs: [] , retainOnDelete: "yes" }, newState: 3 }] }),
            ["steps[0].oldState.type is missing", "steps[0].oldState.inputs is not an object", "steps[0].oldState.retainOnDelete is not a boolean", "steps[0].newState is not an object"]],
        ["bad reasons", JSON.stringify({ steps: [{ ...STEP, replaceReasons: "spec", diffReasons: [1], detailedDiff: [] }] }),
            ["steps[0].diffReasons is not a list of property names", "steps[0].replaceReasons is not a list of property names", "steps[0].detailedDiff is not an object"]],
        ["bad summary and diagnostics", JSON.stringify({ steps: [], diagnostics: {}, changeSummary: [] }), ["\"diagnostics\" is not a list", "\"changeSummary\" is not an object"]],
        ["a failed preview", JSON.stringify({ steps: [], diagnostics: [{ severity: "warning", message: "w" }, { severity: "error", message: "error: boom\nmore" }] }),
            ["the preview failed, its step list is incomplete: boom"]],
    ];
    for (const [name, text, problems] of table) {
        it(name, () => assert.deepEqual(problemsOf(text), problems));
    }

    it("refuses the real document of a failed preview", () => {
        assert.deepEqual(problemsOf(readDocument(path.join(FIXTURES, "engine-program-error.json"))), [
            "the preview failed, its step list is incomplete: Missing required configuration variable 'gate-fixture:password'",
        ]);
    });

    it("accepts every real document that did not fail", () => {
        for (const file of ["engine-no-changes", "engine-replace-delete-retained", "engine-replacement-steps", "engine-component-rename"]) {
            assert.ok(parsePreview(readDocument(path.join(FIXTURES, `${file}.json`))).steps.length > 0, file);
        }
    });
});

describe("gate: command line", () => {
    it("parses files, repeatable options and the environment", () => {
        assert.deepEqual(
            parseGateArgs("gate", ["p.json", "--allow", "*::a", "--data-type", "x:y:Z", "--allow", "*::b"], { STATEFUL_STACKS_GATE_ALLOW: "*::c,*::d" }),
            { command: "gate", inputs: [{ file: "p.json" }], allow: ["*::a", "*::b", "*::c", "*::d"], dataTypes: ["x:y:Z"], allowRetainedClaims: false },
        );
        assert.equal(parseGateArgs("diff", ["-", "--allow-retained-claims"]).allowRetainedClaims, true);
        assert.equal(parseGateArgs("diff", ["-"], { STATEFUL_STACKS_GATE_ALLOW_RETAINED_CLAIMS: "true" }).allowRetainedClaims, true);
        assert.equal(parseGateArgs("diff", ["-"], { STATEFUL_STACKS_GATE_ALLOW_RETAINED_CLAIMS: "no" }).allowRetainedClaims, false);
    });

    it("takes several documents, each with the --stack label before it", () => {
        assert.deepEqual(parseGateArgs("diff", ["--stack", "prod", "a.json", "b.json", "--stack", "dev", "c.json"]).inputs, [
            { file: "a.json", label: "prod" },
            { file: "b.json" },
            { file: "c.json", label: "dev" },
        ]);
    });

    const usage: [string[], string][] = [
        [[], "gate needs a preview document (the output of `pulumi preview --json`, or - for stdin), or several, one per stack"],
        [["-", "-"], "stdin (-) can be read only once"],
        [["a.json", "--allow"], "--allow needs a URN or a glob"],
        [["a.json", "--allow", "--data-type"], "--allow needs a URN or a glob"],
        [["a.json", "--data-type"], "--data-type needs a type token"],
        [["a.json", "--stack"], "--stack needs a label"],
        [["a.json", "--stack", "prod"], "--stack prod is not followed by a preview document"],
        [["--stack", "prod", "--stack", "dev", "a.json"], "--stack prod is not followed by a preview document"],
        [["a.json", "--yes"], "unknown option --yes"],
    ];
    for (const [args, message] of usage) {
        it(`refuses ${JSON.stringify(args)}`, () => assert.throws(() => parseGateArgs("gate", args), { message }));
    }

    it("exits 2 with a one-line reason when the document cannot be read or is malformed, for diff and gate alike", () => {
        for (const command of ["diff", "gate"] as const) {
            const missing = runGateCommand(parseGateArgs(command, ["nope.json"]), () => {
                throw new Error("ENOENT: no such file");
            });
            assert.deepEqual(missing, { code: 2, stdout: "", stderr: `${command}: cannot read nope.json: ENOENT: no such file\n` });
            const malformed = runGateCommand(parseGateArgs(command, ["p.json"]), () => '{"steps":[{}]}');
            assert.deepEqual(malformed, {
                code: 2,
                stdout: "",
                stderr: `${command}: p.json is not a usable preview: steps[0].op is missing; steps[0].urn is missing or is not a Pulumi URN\n`,
            });
        }
    });

    it("exits 2 with a one-line reason on the real document of a failed preview", () => {
        const file = path.join(FIXTURES, "engine-program-error.json");
        const outcome = runGateCommand(parseGateArgs("gate", [file]));
        assert.deepEqual(outcome, {
            code: 2,
            stdout: "",
            stderr: `gate: ${file} is not a usable preview: the preview failed, its step list is incomplete: Missing required configuration variable 'gate-fixture:password'\n`,
        });
    });

    it("with several documents, a failed one makes gate exit 2 and diff still write the comment, saying which stack failed", () => {
        const ok = path.join(FIXTURES, "postgres-ebs-image.json");
        const failed = path.join(FIXTURES, "engine-program-error.json");
        const gate = runGateCommand(parseGateArgs("gate", [ok, "--stack", "broken", failed]));
        assert.equal(gate.code, 2);
        assert.match(gate.stdout, /^== stack postgres-ebs\n/);
        assert.match(gate.stdout, /\n== stack broken: preview failed: .*Missing required configuration variable 'gate-fixture:password'\n$/);
        const diff = runGateCommand(parseGateArgs("diff", [ok, "--stack", "broken", failed]));
        assert.equal(diff.code, 2);
        assert.match(diff.stdout, /\| `broken` \| — \| \*\*preview failed\*\*: .*engine-program-error\.json is not a usable preview: the preview failed/);
        assert.match(diff.stdout, /### Stack `broken`: preview failed/);
        assert.equal(diff.stderr.split("\n").length, 2, diff.stderr);
    });
});
