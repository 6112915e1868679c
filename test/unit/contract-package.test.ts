import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { relative } from "../support/imports";

/**
 * The package as a consumer installs it: peer dependencies, what loads with the library,
 * how it builds from git, its license and version. The installs themselves (tarball and
 * git URL into a scratch consumer) are checked by tools/ci/pack-check.sh.
 */

const root = path.resolve(__dirname, "../..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const run = promisify(execFile);
const PEERS = ["@pulumi/aws", "@pulumi/kubernetes", "@pulumi/pulumi"];

/**
 * In a fresh Node.js process: loads the three peer dependencies first, then the library's
 * barrel, and prints the files that the barrel loaded on top of them.
 */
const PROBE = `
const before = new Set(Object.keys(require.cache));
for (const peer of ${JSON.stringify(PEERS)}) require(peer);
const peers = new Set(Object.keys(require.cache));
require(${JSON.stringify(path.join(root, "components/index.ts"))});
const added = Object.keys(require.cache).filter((file) => !peers.has(file));
process.stdout.write(JSON.stringify({ peers: [...peers].filter((f) => !before.has(f)).length, added }));
`;

describe("contract: the package", () => {
    let loaded: { peers: number; added: string[] };

    before(async function () {
        this.timeout(120_000);
        const { stdout } = await run(process.execPath, ["--require", "tsx/cjs", "-e", PROBE], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
        loaded = JSON.parse(stdout);
    });

    it("require(\"stateful-stacks\") loads only the library's own modules on top of its peer dependencies", () => {
        assert.ok(loaded.peers > 100, `the probe loaded only ${loaded.peers} modules for the peers`);
        const own = loaded.added.map((file) => relative(root, file));
        assert.ok(own.includes("components/index.ts"), "the probe did not load the barrel");
        assert.deepStrictEqual(
            own.filter((file) => !file.startsWith("components/")),
            [],
        );
    });

    it("require(\"stateful-stacks\") loads none of the CLI's dependencies", () => {
        const cliOnly = loaded.added.filter((file) => /[\\/]node_modules[\\/](js-yaml|kubernetes-models|@kubernetes-models)[\\/]/.test(file));
        assert.deepStrictEqual(cliOnly, []);
        for (const dep of ["js-yaml", "kubernetes-models"]) {
            assert.ok(manifest.dependencies[dep], `${dep} is no longer a dependency: drop it from this test`);
        }
    });

    it("takes @pulumi/pulumi, @pulumi/kubernetes and @pulumi/aws as peer dependencies only, developed against pinned versions", () => {
        assert.deepStrictEqual(Object.keys(manifest.peerDependencies).sort(), PEERS);
        assert.deepStrictEqual(
            Object.keys(manifest.dependencies).filter((dep) => dep.startsWith("@pulumi/")),
            [],
        );
        for (const peer of PEERS) {
            assert.match(manifest.devDependencies[peer], /^\d+\.\d+\.\d+$/, `${peer}: the development version is pinned`);
        }
    });

    it("builds when installed from git (prepare), and ships the build, LICENSE and CHANGELOG.md", () => {
        assert.strictEqual(manifest.scripts.prepare, "npm run build");
        assert.strictEqual(manifest.scripts.prepack, undefined, "prepare already runs before npm pack; prepack would build twice");
        assert.ok(manifest.devDependencies.typescript, "prepare needs typescript (npm installs a git dependency's devDependencies to prepare it)");
        for (const file of ["bin/components/**", "bin/tools/**", "LICENSE", "CHANGELOG.md", "README.md"]) {
            assert.ok(manifest.files.includes(file), `"files" does not ship ${file}`);
        }
        assert.deepStrictEqual(Object.keys(manifest.exports).sort(), [".", "./package.json"]);
    });

    it("is licensed Apache-2.0, with the license text", () => {
        assert.strictEqual(manifest.license, "Apache-2.0");
        const license = fs.readFileSync(path.join(root, "LICENSE"), "utf8");
        assert.match(license, /^\s*Apache License\s+Version 2\.0, January 2004\s+http:\/\/www\.apache\.org\/licenses\//);
        assert.match(license, /END OF TERMS AND CONDITIONS/);
    });

    it("has a changelog with a versioning policy and an entry for the current version", () => {
        const changelog = fs.readFileSync(path.join(root, "CHANGELOG.md"), "utf8");
        assert.match(changelog, /^## Versioning policy$/m);
        assert.match(changelog, new RegExp(`^## \\[${manifest.version.replace(/\./g, "\\.")}\\]`, "m"));
    });

    for (const flag of ["--version", "-V"]) {
        it(`stateful-stacks ${flag} prints the package version`, async function () {
            this.timeout(60_000);
            const { stdout } = await run(process.execPath, ["--require", "tsx/cjs", path.join(root, "tools/cli.ts"), flag], { cwd: root });
            assert.strictEqual(stdout, `${manifest.version}\n`);
        });
    }
});
