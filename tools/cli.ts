#!/usr/bin/env node
import * as fs from "fs";
import * as path from "path";
import { parseGateArgs, runGateCommand } from "./gate";
import { plan } from "./plan";

/**
 * The package CLI.
 *
 *   stateful-stacks plan [stack…] [--out <dir>] [--root <dir>] [--placeholder-secrets]
 *
 * `plan` renders stacks offline: each stack's program runs with its config under the
 * in-process engine (Pulumi mocks), the resource tree is printed as `pulumi preview`
 * would, every Kubernetes object is checked against the OpenAPI schema, and the objects
 * (YAML), other resources' inputs (JSON) and a Mermaid graph of the resources are written
 * under `<out>/<stack>/`. Each stack is reported on stderr as it finishes, with its time,
 * and the total at the end. Like `pulumi preview`, a stack whose program requires a
 * secret that its config does not set fails with the `pulumi config set --secret`
 * command to run; `--placeholder-secrets` gives such secrets a placeholder instead.
 * Exits 1 when a program fails or an object is invalid, 2 on a usage error.
 *
 *   stateful-stacks diff [--stack <label>] <preview.json>… [--allow <urn-glob>]… [--data-type <type>]… [--allow-retained-claims]
 *   stateful-stacks gate [--stack <label>] <preview.json>… [same options]
 *
 * `diff` and `gate` read the output of `pulumi preview --json`, one document per stack
 * (see `gate/`): `diff` prints a Markdown summary for a pull request (several documents:
 * one comment with every stack); `gate` exits 1 when a change would destroy data or
 * weaken its protection, 2 on a usage error or a document it cannot read.
 *
 *   stateful-stacks --version   (or -V)
 *
 * prints the package's version.
 */

const USAGE = `usage: stateful-stacks plan [stack…] [--out <dir>] [--root <dir>] [--placeholder-secrets]
       stateful-stacks diff [--stack <label>] <preview.json>… [gate options]
       stateful-stacks gate [--stack <label>] <preview.json>… [gate options]
       stateful-stacks --version

  plan   render stacks offline (all stacks with a Pulumi.<stack>.yaml when none is named)
         --out <dir>   where <stack>/ folders are written (default: <root>/out)
         --root <dir>  the folder holding Pulumi.yaml (default: the current directory)
         --placeholder-secrets  a secret the program requires and the stack does not
                       set gets a placeholder (default: the stack fails with the
                       \`pulumi config set --secret\` command to run)
  diff   Markdown summary of \`pulumi preview --json\` documents (- reads stdin); several
         documents (or a --stack label) make one PR comment with every stack
  gate   exit 1 when a preview destroys or replaces something that holds data, or
         weakens its protection (Retain → Delete, backups off, retainOnDelete/protect
         dropped, a scale-down that deletes claims)
         --stack <label>          the stack label of the document that follows
         --allow <urn-or-glob>    accept that resource's block (repeatable; also
                                  STATEFUL_STACKS_GATE_ALLOW, comma-separated)
         --data-type <type>       treat this type token as data-holding too (repeatable)
         --allow-retained-claims  a StatefulSet whose claims are retained only warns
                                  (also STATEFUL_STACKS_GATE_ALLOW_RETAINED_CLAIMS=true)
         exit codes: 0 pass, 1 blocked, 2 usage or unreadable/failed preview
`;

/**
 * The version in the package's own package.json: the nearest one above this file that is
 * named stateful-stacks (`tools/` from source, `bin/tools/` once built).
 */
export function packageVersion(from: string = __dirname): string {
    for (let dir = from; ; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) {
            const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
            if (manifest.name === "stateful-stacks" && typeof manifest.version === "string") {
                return manifest.version;
            }
        }
        if (path.dirname(dir) === dir) {
            throw new Error(`no package.json of stateful-stacks above ${from}`);
        }
    }
}

/** Parsed command line of `plan`. */
export interface PlanCommand {
    readonly stacks: string[];
    readonly outDir?: string;
    readonly root?: string;
    /** `--placeholder-secrets`. */
    readonly placeholderSecrets: boolean;
}

/** Parses the arguments after `plan`; throws a usage message on anything unknown. */
export function parsePlanArgs(args: readonly string[]): PlanCommand {
    const stacks: string[] = [];
    let outDir: string | undefined;
    let root: string | undefined;
    let placeholderSecrets = false;
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg === "--placeholder-secrets") {
            placeholderSecrets = true;
        } else if (arg === "--out" || arg === "--root") {
            const value = args[++i];
            if (value === undefined || value.startsWith("--")) {
                throw new Error(`${arg} needs a folder`);
            }
            if (arg === "--out") {
                outDir = value;
            } else {
                root = value;
            }
        } else if (arg.startsWith("-")) {
            throw new Error(`unknown option ${arg}`);
        } else {
            stacks.push(arg);
        }
    }
    return { stacks, outDir, root, placeholderSecrets };
}

async function main(argv: readonly string[]): Promise<number> {
    const [command, ...rest] = argv;
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
    }
    if (command === "--version" || command === "-V") {
        process.stdout.write(`${packageVersion()}\n`);
        return 0;
    }
    if (command === "diff" || command === "gate") {
        let parsed;
        try {
            parsed = parseGateArgs(command, rest, process.env);
        } catch (err) {
            process.stderr.write(`${(err as Error).message}\n${USAGE}`);
            return 2;
        }
        const outcome = runGateCommand(parsed);
        process.stdout.write(outcome.stdout);
        process.stderr.write(outcome.stderr);
        return outcome.code;
    }
    if (command !== "plan") {
        process.stderr.write(`unknown command "${command}"\n${USAGE}`);
        return 2;
    }
    let parsed: PlanCommand;
    try {
        parsed = parsePlanArgs(rest);
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n${USAGE}`);
        return 2;
    }
    const started = Date.now();
    const results = await plan({ ...parsed, progress: (line) => process.stderr.write(line) });
    const failed = results.filter((r) => r.failures.length > 0);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (failed.length) {
        process.stderr.write(`plan failed for ${failed.map((r) => r.stack).join(", ")} (${results.length} stack(s), ${seconds} s)\n`);
        return 1;
    }
    process.stderr.write(`planned ${results.length} stack(s) in ${seconds} s\n`);
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err) => {
            process.stderr.write(`stateful-stacks: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exit(1);
        },
    );
}
