import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks, loadProject, loadStackConfig, qualifyKey, secretPlaceholder, withConfig } from "../../tools/plan/project";

const scratchRoots: string[] = [];
after(() => scratchRoots.splice(0).forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

/** A scratch project: `files` maps relative paths to contents. Removed after the file's tests. */
function scratch(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-project-"));
    scratchRoots.push(root);
    for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), content);
    }
    return root;
}

const PROJECT = "name: demo\nruntime: nodejs\nmain: app/index.ts\nstackConfigDir: app\ntemplate:\n  config:\n    demo:apiToken:\n      secret: true\n    demo:region:\n      description: not secret\n";

describe("plan: reading a Pulumi project", () => {
    it("finds the program, the stack config folder and the declared secret keys", () => {
        const root = scratch({ "Pulumi.yaml": PROJECT, "app/index.ts": "", "app/Pulumi.b.yaml": "", "app/Pulumi.a.yml": "", "app/notes.yaml": "" });
        const project = loadProject(root);
        assert.deepStrictEqual(project, {
            name: "demo",
            program: path.join(root, "app/index.ts"),
            root,
            secretKeys: ["demo:apiToken"],
            stackConfigDir: path.join(root, "app"),
        });
        assert.deepStrictEqual(listStacks(project), ["a", "b"]);
    });

    it("resolves a main folder to its index file, and defaults to the project folder", () => {
        const root = scratch({ "Pulumi.yaml": "name: demo\nmain: src/\n", "src/index.js": "" });
        assert.strictEqual(loadProject(root).program, path.join(root, "src/index.js"));
        const flat = scratch({ "Pulumi.yaml": "name: flat\n", "index.ts": "" });
        assert.strictEqual(loadProject(flat).program, path.join(flat, "index.ts"));
        assert.strictEqual(loadProject(flat).stackConfigDir, flat);
    });

    const refused: Array<[string, Record<string, string>, (root: string) => string]> = [
        ["no Pulumi.yaml", { "index.ts": "" }, (root) => `no Pulumi project here: ${path.join(root, "Pulumi.yaml")} does not exist`],
        ["no name", { "Pulumi.yaml": "runtime: nodejs\n" }, (root) => `${path.join(root, "Pulumi.yaml")}: "name" must be the project name`],
        ["a missing main", { "Pulumi.yaml": "name: x\nmain: gone.ts\n" }, (root) => `the project's main ${path.join(root, "gone.ts")} does not exist`],
        ["a main folder without index", { "Pulumi.yaml": "name: x\nmain: src\n", "src/app.ts": "" }, (root) => `the project's main folder ${path.join(root, "src")} has no index.ts or index.js`],
    ];
    for (const [what, files, message] of refused) {
        it(`refuses a project with ${what}`, () => {
            const root = scratch(files);
            assert.throws(() => loadProject(root), { message: message(root) });
        });
    }

    it("passes config as the language host does: strings as they are, the rest as JSON, keys qualified", () => {
        const root = scratch({
            "Pulumi.yaml": PROJECT,
            "app/index.ts": "",
            "app/Pulumi.dev.yaml": "config:\n  demo:count: 3\n  flag: true\n  demo:hosts:\n    - a\n    - b\n  aws:region: eu-west-1\n  demo:password:\n    secure: v1:AAAA\n",
        });
        const config = loadStackConfig(loadProject(root), "dev");
        assert.deepStrictEqual(config, {
            placeholders: ["demo:apiToken", "demo:password"],
            secretKeys: ["demo:apiToken", "demo:password"],
            stack: "dev",
            values: {
                "aws:region": "eu-west-1",
                "demo:apiToken": "plan-placeholder-secret:dev:demo:apiToken",
                "demo:count": "3",
                "demo:flag": "true",
                "demo:hosts": '["a","b"]',
                "demo:password": "plan-placeholder-secret:dev:demo:password",
            },
        });
    });

    it("keeps a declared secret that the stack sets, and still marks it secret", () => {
        const root = scratch({ "Pulumi.yaml": PROJECT, "app/index.ts": "", "app/Pulumi.dev.yaml": "config:\n  demo:apiToken: given\n" });
        const config = loadStackConfig(loadProject(root), "dev");
        assert.deepStrictEqual([config.values["demo:apiToken"], config.secretKeys, config.placeholders], ["given", ["demo:apiToken"], []]);
    });

    it("names the known stacks when a stack has no config file", () => {
        const root = scratch({ "Pulumi.yaml": PROJECT, "app/index.ts": "", "app/Pulumi.dev.yaml": "" });
        assert.throws(() => loadStackConfig(loadProject(root), "prod"), { message: `no config file for stack "prod" in ${path.join(root, "app")} (stacks: dev)` });
    });

    it("qualifies bare keys and overrides config for tests", () => {
        assert.strictEqual(qualifyKey("demo", "count"), "demo:count");
        assert.strictEqual(qualifyKey("demo", "aws:region"), "aws:region");
        const base = { placeholders: [], secretKeys: [], stack: "dev", values: { "demo:a": "1", "demo:b": "2" } };
        assert.deepStrictEqual(withConfig(base, "demo", { a: undefined, c: [1, 2], d: "x" }).values, { "demo:b": "2", "demo:c": "[1,2]", "demo:d": "x" });
        assert.deepStrictEqual(withConfig(base, "demo", { token: "t" }, true).secretKeys, ["demo:token"]);
        assert.strictEqual(secretPlaceholder("dev", "demo:token"), "plan-placeholder-secret:dev:demo:token");
    });
});
