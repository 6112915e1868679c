import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { plan } from "../plan";

/**
 * `npm run examples [name…]`: checks the standalone programs under `examples/` (all of them
 * when none is named) the way a user would run them, without installing anything: each
 * one's own files are there and it depends on this package by relative path; it
 * type-checks with its own tsconfig.json against this package's source; and it plans
 * offline (what `stateful-stacks plan` does in an installed example: its program under the
 * engine mocks, every Kubernetes object checked against the schema).
 *
 * `stateful-stacks` resolves to this repository through a scratch folder on NODE_PATH
 * (removed at the end), and everything else from the repository's own node_modules: one
 * copy of @pulumi/pulumi, no network. Exits 1 naming every problem, 2 for an unknown name.
 */

const root = path.resolve(__dirname, "../..");
const examplesDir = path.join(root, "examples");
const barrel = path.join(root, "components", "index.ts");
const REQUIRED_FILES = ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts", ".npmrc"];

/**
 * The TypeScript examples: folders of `examples/` holding a Pulumi.yaml, sorted. The YAML
 * programs (`examples/yaml-*`, through the component provider) run in the e2e tier
 * instead (test/e2e/9a-yaml.test.ts).
 */
export function listExamples(dir: string = examplesDir): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !entry.name.startsWith("yaml-") && fs.existsSync(path.join(dir, entry.name, "Pulumi.yaml")))
        .map((entry) => entry.name)
        .sort();
}

/** Problems with an example's files and manifest. */
export function layoutProblems(name: string, dir: string): string[] {
    const problems = REQUIRED_FILES.filter((file) => !fs.existsSync(path.join(dir, file))).map((file) => `${name}: ${file} is missing`);
    if (fs.existsSync(path.join(dir, "package.json"))) {
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        if (manifest.dependencies?.["stateful-stacks"] !== "file:../..") {
            problems.push(`${name}: package.json must depend on "stateful-stacks": "file:../.." (got ${JSON.stringify(manifest.dependencies?.["stateful-stacks"])})`);
        }
        for (const peer of ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/aws"]) {
            if (!manifest.dependencies?.[peer]) {
                problems.push(`${name}: package.json must depend on ${peer} (a peer dependency of stateful-stacks)`);
            }
        }
    }
    if (fs.existsSync(path.join(dir, ".npmrc")) && !/^install-links=true$/m.test(fs.readFileSync(path.join(dir, ".npmrc"), "utf8"))) {
        problems.push(`${name}: .npmrc must set install-links=true (a symlinked package would load a second @pulumi/pulumi)`);
    }
    return problems;
}

/**
 * Type-checks each example with its own tsconfig.json, `stateful-stacks` mapped to this
 * package's barrel. The programs share parsed files (the SDKs' declarations parse once).
 */
export function typeCheck(names: readonly string[]): string[] {
    const parsedFiles = new Map<string, ts.SourceFile | undefined>();
    const problems: string[] = [];
    for (const name of names) {
        const configFile = path.join(examplesDir, name, "tsconfig.json");
        const parsed = ts.getParsedCommandLineOfConfigFile(configFile, { paths: { "stateful-stacks": [barrel] } }, {
            ...ts.sys,
            onUnRecoverableConfigFileDiagnostic: (d) => problems.push(`${name}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`),
        });
        if (!parsed) {
            continue;
        }
        const options = { ...parsed.options, noEmit: true };
        const host = ts.createCompilerHost(options);
        const parse = host.getSourceFile.bind(host);
        host.getSourceFile = (fileName, languageVersion, ...rest) => {
            const key = `${typeof languageVersion === "object" ? languageVersion.languageVersion : languageVersion}:${fileName}`;
            if (!parsedFiles.has(key)) {
                parsedFiles.set(key, parse(fileName, languageVersion, ...rest));
            }
            return parsedFiles.get(key);
        };
        const program = ts.createProgram({ rootNames: parsed.fileNames, options, host });
        const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
        problems.push(
            ...diagnostics.map((d) => {
                const where = d.file && d.start !== undefined ? `${path.relative(root, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
                return `${name}: ${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
            }),
        );
    }
    return problems;
}

/** A folder that, on NODE_PATH, makes `require("stateful-stacks")` load this repository's barrel. */
function makeResolver(scratch: string): string {
    const modules = path.join(scratch, "node_modules");
    const pkg = path.join(modules, "stateful-stacks");
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, "package.json"), `${JSON.stringify({ name: "stateful-stacks", main: "index.js" })}\n`);
    fs.writeFileSync(path.join(pkg, "index.js"), `module.exports = require(${JSON.stringify(barrel)});\n`);
    return modules;
}

async function main(only: readonly string[]): Promise<number> {
    const started = Date.now();
    const known = listExamples();
    const unknown = only.filter((name) => !known.includes(name));
    if (unknown.length) {
        process.stderr.write(`examples: no example ${unknown.map((n) => `"${n}"`).join(", ")} (examples: ${known.join(", ")})\n`);
        return 2;
    }
    const names = only.length ? [...only] : known;
    const problems = only.length || names.length >= 3 ? [] : [`examples/ holds ${names.length} examples; at least three are expected`];
    problems.push(...names.flatMap((name) => layoutProblems(name, path.join(examplesDir, name))));

    const checked = Date.now();
    problems.push(...typeCheck(names));
    process.stdout.write(`type-checked ${names.length} examples (${names.join(", ")}) in ${((Date.now() - checked) / 1000).toFixed(1)} s\n`);

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "stateful-stacks-examples-"));
    try {
        process.env.NODE_PATH = [makeResolver(scratch), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
        const planned = Date.now();
        // One evaluation process per example, all at once: most of each is loading the SDK. An
        // example's required secrets get placeholders, as `npm run plan` gives the stacks.
        const outcomes = await Promise.all(names.map((name) => plan({ root: path.join(examplesDir, name), outDir: path.join(scratch, "out", name), concurrency: 1, placeholderSecrets: true })));
        process.stdout.write(`planned ${names.length} examples in ${((Date.now() - planned) / 1000).toFixed(1)} s\n`);
        names.forEach((name, index) => {
            const results = outcomes[index];
            for (const result of results) {
                problems.push(...result.failures.map((failure) => `${name} (stack ${result.stack}): ${failure}`));
                const components = result.render?.resources.filter((r) => r.type.startsWith("stateful-stacks:")).length ?? 0;
                if (result.render && components === 0) {
                    problems.push(`${name} (stack ${result.stack}): the program created no stateful-stacks component`);
                }
            }
            if (results.length === 0) {
                problems.push(`${name}: no stack config file (Pulumi.<stack>.yaml) to plan`);
            }
        });
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (problems.length) {
        process.stderr.write(`examples: ${problems.length} problem(s) (${seconds} s):\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
        return 1;
    }
    process.stderr.write(`examples: ${names.length} examples type-check and plan schema-valid (${seconds} s)\n`);
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err) => {
            process.stderr.write(`examples: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
            process.exit(1);
        },
    );
}
