import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan, progressLine, StackResult } from "../../tools/plan";

/**
 * `plan` and secrets, as `pulumi preview` treats them: a secret the program requires and
 * the stack does not set fails that stack with the command to run; `--placeholder-secrets`
 * fills in exactly the secrets a program reads; stacks that read none never mention one.
 */

const ROOT = path.resolve(__dirname, "../..");
const BROKEN = path.join(ROOT, "test/golden/fixtures/broken");

function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe("plan: secrets as pulumi preview treats them", function () {
    this.timeout(180_000);
    const out = tempDir("plan-secrets-");
    after(() => fs.rmSync(out, { force: true, recursive: true }));

    let refused: StackResult[] = [];
    let filled: StackResult[] = [];
    const progress: string[] = [];
    before(async () => {
        refused = await plan({ outDir: path.join(out, "refused"), print: () => undefined, progress: (line) => progress.push(line), root: ROOT, stacks: ["postgres-ebs", "replicated-cache"] });
        filled = await plan({ outDir: path.join(out, "filled"), placeholderSecrets: true, print: () => undefined, root: ROOT, stacks: ["external-database", "postgres-ebs", "replicated-cache"] });
    });

    it("refuses a stack whose program requires an unset secret, with the exact command to set it", () => {
        assert.deepStrictEqual(refused[0].failures, [
            [
                "the program failed: it requires the secret stateful-stacks:dbPassword, which stack postgres-ebs does not set; set it with",
                "    pulumi config set --secret --stack postgres-ebs stateful-stacks:dbPassword <value>",
                "or plan with --placeholder-secrets to render it with a placeholder",
            ].join("\n"),
        ]);
        assert.deepStrictEqual(refused[0].files, []);
    });

    it("plans a stack that reads no secret without mentioning one, with or without placeholders", () => {
        for (const result of [refused[1], filled[2]]) {
            assert.deepStrictEqual([result.stack, result.failures, result.render?.placeholders], ["replicated-cache", [], []]);
            assert.ok(!fs.readFileSync(path.join(result.outDir, "plan.txt"), "utf8").includes("dbPassword"));
        }
    });

    it("with --placeholder-secrets, gives a placeholder to exactly the secrets each program reads", () => {
        assert.deepStrictEqual(
            filled.map((r) => [r.stack, r.failures, r.render?.placeholders]),
            [
                ["external-database", [], ["stateful-stacks:dbPassword"]],
                ["postgres-ebs", [], ["stateful-stacks:dbPassword"]],
                ["replicated-cache", [], []],
            ],
        );
        assert.match(fs.readFileSync(path.join(filled[1].outDir, "plan.txt"), "utf8"), /\nSecret config given placeholders \(values stay secret\): stateful-stacks:dbPassword\n$/);
    });

    it("reports each stack as it finishes, with its resources, files and time", () => {
        assert.deepStrictEqual(
            progress.map((line) => line.replace(/ [\d.]+ s\n$/, " <t> s")).sort(),
            ["postgres-ebs: FAILED in <t> s", "replicated-cache: 7 resources, 7 files in <t> s"],
        );
        assert.strictEqual(progressLine(refused[1]), `replicated-cache: 7 resources, 7 files in ${(refused[1].ms / 1000).toFixed(2)} s\n`);
        assert.ok(refused.every((r) => r.ms > 0));
    });

    it("treats a secure (encrypted) value in the stack file as set: a placeholder without the option", async () => {
        const project = tempDir("plan-secure-");
        try {
            fs.cpSync(BROKEN, project, { recursive: true });
            fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"));
            fs.writeFileSync(path.join(project, "Pulumi.throws.yaml"), "config:\n  broken:mode: throws\n  broken:token:\n    secure: v1:c2VjcmV0LW5vdC1yZWFkYWJsZS1vZmZsaW5l\n");
            const [result] = await plan({ outDir: path.join(project, "out"), print: () => undefined, root: project, stacks: ["throws"] });
            assert.deepStrictEqual(result.failures, ["the program failed: the program gave up"]);
        } finally {
            fs.rmSync(project, { force: true, recursive: true });
        }
    });

    it("npm run plan, the README's first command, asks for placeholders explicitly", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
        assert.strictEqual(manifest.scripts.plan, "node --require tsx/cjs tools/cli.ts plan --placeholder-secrets");
    });
});
