import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SCENARIO_NAMES } from "../../stacks/scenario";
import { plan, SECRET_PLACEHOLDER_PREFIX, StackResult } from "../../tools/plan";

/**
 * Golden renders: `plan` of every scenario stack, compared file by file with the copies
 * committed under test/golden/<stack>/, so every change to what the stacks render shows
 * up in review. After an intended change, refresh them with
 *
 *     UPDATE_GOLDEN=1 npx mocha test/golden/golden.test.ts
 *
 * and commit the differences. The renders are deterministic as they are (sorted keys,
 * ids and ARNs derived from resource names, no timestamps), so nothing is normalized
 * beyond what `plan` writes.
 */

const ROOT = path.resolve(__dirname, "../..");
const GOLDEN = __dirname;
const UPDATE = process.env.UPDATE_GOLDEN === "1";

function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
        .sort();
}

describe("golden renders of the scenario stacks", function () {
    this.timeout(180_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-golden-"));
    let results: StackResult[] = [];

    before(async () => {
        results = await plan({ outDir: out, placeholderSecrets: true, print: () => undefined, root: ROOT });
    });

    after(() => fs.rmSync(out, { force: true, recursive: true }));

    it("plans all six stacks without a failure", () => {
        assert.deepStrictEqual(
            results.map((r) => [r.stack, r.failures]),
            [...SCENARIO_NAMES].sort().map((stack) => [stack, []]),
        );
    });

    for (const stack of [...SCENARIO_NAMES].sort()) {
        it(`${stack} renders exactly as committed`, () => {
            const rendered = path.join(out, stack);
            const golden = path.join(GOLDEN, stack);
            if (UPDATE) {
                fs.rmSync(golden, { force: true, recursive: true });
                fs.cpSync(rendered, golden, { recursive: true });
            }
            const files = filesUnder(rendered);
            assert.deepStrictEqual(files, filesUnder(golden), `the files of ${stack} changed; refresh with UPDATE_GOLDEN=1 if intended`);
            for (const file of files) {
                assert.strictEqual(
                    fs.readFileSync(path.join(rendered, file), "utf8"),
                    fs.readFileSync(path.join(golden, file), "utf8"),
                    `${stack}/${file} changed; refresh with UPDATE_GOLDEN=1 if intended`,
                );
            }
        });
    }

    it("the README shows each stack's resource graph exactly as plan writes it (graph.md)", () => {
        const readmeFile = path.join(ROOT, "README.md");
        let readme = fs.readFileSync(readmeFile, "utf8");
        for (const stack of [...SCENARIO_NAMES].sort()) {
            const graph = fs.readFileSync(path.join(out, stack, "graph.md"), "utf8");
            const flowchart = graph.slice(graph.indexOf("```mermaid"));
            const section = new RegExp(`(<!-- graph:${stack} -->\n)([\\s\\S]*?)(<!-- /graph:${stack} -->)`);
            assert.match(readme, section, `README.md has no <!-- graph:${stack} --> … <!-- /graph:${stack} --> section`);
            if (UPDATE) {
                readme = readme.replace(section, (_, open: string, _old: string, close: string) => `${open}${flowchart}${close}`);
            }
            assert.strictEqual(section.exec(readme)![2], flowchart, `the README's graph of ${stack} is not what plan renders; refresh with UPDATE_GOLDEN=1`);
        }
        if (UPDATE) {
            fs.writeFileSync(readmeFile, readme);
        }
    });

    it("writes no secret value: placeholders never appear, secrets show as [secret]", () => {
        const leaks = filesUnder(out).filter((file) => fs.readFileSync(path.join(out, file), "utf8").includes(SECRET_PLACEHOLDER_PREFIX));
        assert.deepStrictEqual(leaks, []);
        for (const stack of ["postgres-ebs", "external-database"]) {
            const secret = filesUnder(path.join(out, stack)).find((f) => f.includes("/secret-"))!;
            assert.match(fs.readFileSync(path.join(out, stack, secret), "utf8"), /password: "\[secret\]"/);
        }
    });
});

describe("plan on a broken program", function () {
    this.timeout(120_000);

    it("exits 1, naming the invalid object and field and the program's error, never the secret", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-broken-"));
        const run = spawnSync(process.execPath, ["--require", "tsx/cjs", path.join(ROOT, "tools/cli.ts"), "plan", "--root", path.join(GOLDEN, "fixtures/broken"), "--out", out, "--placeholder-secrets"], {
            cwd: ROOT,
            encoding: "utf8",
        });
        fs.rmSync(out, { force: true, recursive: true });
        assert.strictEqual(run.status, 1, run.stderr);
        assert.ok(
            run.stdout.includes("FAILED: 1 schema violation(s):\n  - apps/v1 Deployment default/web (kubernetes:apps/v1:Deployment web) is not valid against the Kubernetes schema: spec.replicas must be integer\n"),
            run.stdout,
        );
        assert.ok(run.stdout.includes("=== throws ===\nthe program failed: the program gave up\n"), run.stdout);
        assert.match(run.stderr, /^(?:(?:invalid|throws): FAILED in [\d.]+ s\n){2}plan failed for invalid, throws \(2 stack\(s\), [\d.]+ s\)\n$/);
        assert.ok(run.stdout.includes('tokenOut: "[secret]"'));
        assert.ok(!`${run.stdout}${run.stderr}`.includes(SECRET_PLACEHOLDER_PREFIX));
    });
});
