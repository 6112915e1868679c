import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";

/**
 * The scripted part of .github/workflows/preview.yml, run here: each `run:` script is taken
 * from the workflow file as it is and run by bash with the env the workflow gives it, in a
 * scratch workspace that holds this repository's tools. `pulumi` and `gh` are stand-ins on
 * PATH that serve the committed preview fixtures and record the comment API calls; the
 * values GitHub computes from expressions (labels, the stack list) are given per test.
 */
const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(ROOT, "test", "fixtures", "preview");
const WORKFLOW = path.join(ROOT, ".github", "workflows", "preview.yml");

interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly env?: Record<string, string>;
    readonly with?: Record<string, unknown>;
}

interface Workflow {
    readonly on: { pull_request: { types: string[] } };
    readonly env: Record<string, string>;
    readonly jobs: Record<string, { steps: Step[]; strategy?: { matrix: Record<string, unknown> } }>;
}

const workflow = yaml.load(fs.readFileSync(WORKFLOW, "utf8")) as Workflow;

function step(job: string, id: string): Step {
    const found = workflow.jobs[job].steps.find((s) => s.id === id || s.name === id);
    assert.ok(found?.run, `${job}: no run step ${id}`);
    return found;
}

/** A scratch workspace: the repository's tools and modules linked in, stand-ins for pulumi and gh on PATH. */
function workspace(): { dir: string; bin: string; log: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-workflow-"));
    for (const name of ["tools", "components", "node_modules", "package.json", "tsconfig.json"]) {
        fs.symlinkSync(path.join(ROOT, name), path.join(dir, name));
    }
    const bin = path.join(dir, ".bin");
    fs.mkdirSync(bin);
    const log = path.join(dir, ".calls");
    // pulumi preview --json --show-sames --stack S: prints $FAKE_PREVIEWS/S.json (or nothing) and exits $FAKE_STATUS_<S with _>.
    fs.writeFileSync(path.join(bin, "pulumi"), [
        "#!/usr/bin/env bash",
        `echo "pulumi $*" >> "${log}"`,
        'stack=""; while [ $# -gt 0 ]; do [ "$1" = --stack ] && stack=$2; shift; done',
        '[ -f "$FAKE_PREVIEWS/$stack.json" ] && cat "$FAKE_PREVIEWS/$stack.json"',
        'var="FAKE_STATUS_${stack//-/_}"; echo "error: preview of $stack" >&2; exit "${!var:-0}"',
        "",
    ].join("\n"), { mode: 0o755 });
    // gh api ...: records the call; listing comments answers $FAKE_COMMENTS.
    fs.writeFileSync(path.join(bin, "gh"), [
        "#!/usr/bin/env bash",
        `printf 'gh %s\\n' "$*" >> "${log}"`,
        'if [[ "$*" == *"--paginate"* ]]; then printf "%s" "$FAKE_COMMENTS"; fi',
        "",
    ].join("\n"), { mode: 0o755 });
    return { dir, bin, log };
}

interface Ran {
    readonly status: number | null;
    readonly stdout: string;
    readonly outputs: Record<string, string>;
}

/** Runs a step's script as the runner does (bash -e), with the workflow's env, the step's plain env and `env`. */
function run(ws: { dir: string; bin: string }, s: Step, env: Record<string, string>): Ran {
    const output = path.join(ws.dir, ".github-output");
    fs.writeFileSync(output, "");
    const plain = Object.fromEntries(Object.entries({ ...workflow.env, ...(s.env ?? {}) }).filter(([, v]) => !String(v).includes("${{")));
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", s.run!], {
        cwd: ws.dir,
        encoding: "utf8",
        env: {
            PATH: `${ws.bin}:${process.env.PATH}`,
            HOME: process.env.HOME,
            GITHUB_OUTPUT: output,
            GITHUB_STEP_SUMMARY: path.join(ws.dir, ".step-summary"),
            ...plain,
            ...env,
        },
    });
    const outputs = Object.fromEntries(fs.readFileSync(output, "utf8").split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    return { status: result.status, stdout: result.stdout + result.stderr, outputs };
}

const SIX = ["external-database", "node-local-store", "postgres-ebs", "replicated-cache", "shared-content-efs", "zookeeper-ensemble"];

describe("workflow: preview.yml, its scripts run over the committed fixtures", function () {
    this.timeout(60_000);
    let ws: ReturnType<typeof workspace>;
    before(() => {
        ws = workspace();
    });
    after(() => fs.rmSync(ws.dir, { recursive: true, force: true }));

    it("runs on pull requests, also when a label is added or removed; uses pulumi/actions v7 with its PR comment edited in place", () => {
        assert.deepEqual(workflow.on.pull_request.types, ["opened", "synchronize", "reopened", "labeled", "unlabeled"]);
        const pulumi = workflow.jobs.preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.equal(pulumi?.uses, "pulumi/actions@v7");
        assert.deepEqual([pulumi?.with?.command, pulumi?.with?.["comment-on-pr"], pulumi?.with?.["edit-pr-comment"]], ["preview", true, true]);
    });

    it("no run script holds an expression: every GitHub value reaches it through env", () => {
        for (const job of Object.values(workflow.jobs)) {
            for (const s of job.steps) {
                assert.ok(!s.run?.includes("${{"), s.id ?? s.name ?? s.uses);
            }
        }
    });

    it("lists the six stacks from stacks/Pulumi.<stack>.yaml, or takes STACKS", () => {
        fs.symlinkSync(path.join(ROOT, "stacks"), path.join(ws.dir, "stacks"));
        const listed = run(ws, step("stacks", "list"), {});
        assert.equal(listed.status, 0, listed.stdout);
        assert.deepEqual(JSON.parse(listed.outputs.list), SIX);
        assert.deepEqual(JSON.parse(run(ws, step("stacks", "list"), { STACKS: "a b" }).outputs.list), ["a", "b"]);
        const none = run(ws, step("stacks", "list"), { STACK_CONFIG_DIR: "nowhere" });
        assert.equal(none.status, 1);
        assert.match(none.stdout, /::error::no stacks: no Pulumi.<stack>.yaml in nowhere and STACKS is empty/);
    });

    it("per stack: the preview's document and exit status are kept, a failed preview does not stop the job there", () => {
        const previews = path.join(ws.dir, ".fixtures");
        fs.mkdirSync(previews);
        fs.copyFileSync(path.join(FIXTURES, "provider-4.32-postgres-ebs-volume-resize.json"), path.join(previews, "postgres-ebs.json"));
        fs.copyFileSync(path.join(FIXTURES, "engine-program-error.json"), path.join(previews, "external-database.json"));
        const ok = run(ws, step("preview", "preview"), { STACK: "postgres-ebs", FAKE_PREVIEWS: previews });
        assert.equal(ok.status, 0, ok.stdout);
        assert.equal(ok.outputs.status, "0");
        assert.equal(fs.readFileSync(path.join(ws.dir, "previews", "postgres-ebs.json"), "utf8"), fs.readFileSync(path.join(previews, "postgres-ebs.json"), "utf8"));
        assert.match(fs.readFileSync(ws.log, "utf8"), /^pulumi preview --json --show-sames --stack postgres-ebs$/m);
        const failed = run(ws, step("preview", "preview"), { STACK: "external-database", FAKE_PREVIEWS: previews, FAKE_STATUS_external_database: "255" });
        assert.equal(failed.status, 0, failed.stdout);
        assert.equal(failed.outputs.status, "255");
        assert.match(failed.stdout, /::warning::pulumi preview of external-database exited 255/);
    });

    it("per stack: the gate exits 1 on a block, 0 with the data-loss-ok label's allow-all, 2 on the failed preview", () => {
        const gate = step("preview", "gate");
        const blocked = run(ws, gate, { STACK: "postgres-ebs", STATEFUL_STACKS_GATE_ALLOW: "", STATEFUL_STACKS_GATE_ALLOW_RETAINED_CLAIMS: "false" });
        assert.equal(blocked.status, 1, blocked.stdout);
        assert.match(blocked.stdout, /gate: blocked: 1 change blocks: 1 replaces or deletes a StatefulSet \(its claims are kept\)\./);
        assert.match(fs.readFileSync(path.join(ws.dir, ".step-summary"), "utf8"), /### Data-loss gate: postgres-ebs \(exit 1\)/);
        assert.equal(run(ws, gate, { STACK: "postgres-ebs", STATEFUL_STACKS_GATE_ALLOW: "*", STATEFUL_STACKS_GATE_ALLOW_RETAINED_CLAIMS: "false" }).status, 0);
        assert.equal(run(ws, gate, { STACK: "postgres-ebs", STATEFUL_STACKS_GATE_ALLOW: "", STATEFUL_STACKS_GATE_ALLOW_RETAINED_CLAIMS: "true" }).status, 0);
        const failed = run(ws, gate, { STACK: "external-database", STATEFUL_STACKS_GATE_ALLOW: "", STATEFUL_STACKS_GATE_ALLOW_RETAINED_CLAIMS: "false" });
        assert.equal(failed.status, 2);
        assert.match(failed.stdout, /^gate: previews\/external-database.json is not a usable preview: the preview failed, its step list is incomplete: Missing required configuration variable 'gate-fixture:password'$/m);
    });

    it("one comment for every stack: blocked, passed, failed and missing previews; the gate's status for the last step", () => {
        const previews = path.join(ws.dir, "previews");
        const copies: Record<string, string> = {
            "node-local-store": "node-local-store-host-path",
            "replicated-cache": "replicated-cache-replicas",
            "zookeeper-ensemble": "zookeeper-ensemble-replicas",
        };
        for (const [stack, fixture] of Object.entries(copies)) {
            fs.copyFileSync(path.join(FIXTURES, `${fixture}.json`), path.join(previews, `${stack}.json`));
        }
        const env = { STACK_LIST: JSON.stringify(SIX), STATEFUL_STACKS_GATE_ALLOW: "", STATEFUL_STACKS_GATE_ALLOW_RETAINED_CLAIMS: "false", LABEL_DATA_LOSS_OK: "false" };
        const comment = run(ws, step("comment", "comment"), env);
        assert.equal(comment.status, 0, comment.stdout);
        assert.equal(comment.outputs.status, "2");
        const text = fs.readFileSync(path.join(ws.dir, "comment.md"), "utf8");
        assert.deepEqual(text.split("\n").slice(0, 14), [
            "<!-- stateful-stacks:preview -->",
            "## Pulumi preview: 6 stacks",
            "",
            "**2 previews failed, 1 stack blocked.**",
            "",
            "| stack | changes | data gate |",
            "| --- | --- | --- |",
            "| `external-database` | — | **preview failed**: previews/external-database.json is not a usable preview: the preview failed, its step list is incomplete: Missing required configuration variable 'gate-fixture:password' |",
            "| `node-local-store` | 1 update | passed |",
            "| `postgres-ebs` | 1 replace | **blocked**: 1 replaces or deletes a StatefulSet (its claims are kept) |",
            "| `replicated-cache` | 1 update | passed |",
            "| `shared-content-efs` | — | **preview failed**: previews/shared-content-efs.json is not a usable preview: the document is empty (did `pulumi preview --json` fail before printing?) |",
            "| `zookeeper-ensemble` | 1 update, 4 create | passed |",
            "",
        ]);
        assert.match(text, /`spec.volumeClaimTemplates\[0\].spec.resources.requests.storage`: `50Gi` → `80Gi` \(replaces\)/);
        assert.match(text, /### Stack `shared-content-efs`: preview failed/);
        const accepted = run(ws, step("comment", "comment"), { ...env, STATEFUL_STACKS_GATE_ALLOW: "*", LABEL_DATA_LOSS_OK: "true" });
        assert.equal(accepted.outputs.status, "2", "a failed preview is never accepted by a label");
        assert.match(fs.readFileSync(path.join(ws.dir, "comment.md"), "utf8"), /^<!-- stateful-stacks:preview -->\n> The `data-loss-ok` label is set: every block below is accepted\.\n/);
        fs.copyFileSync(path.join(FIXTURES, "external-database-password-rotation.json"), path.join(previews, "external-database.json"));
        fs.copyFileSync(path.join(FIXTURES, "shared-content-efs-web-replicas.json"), path.join(previews, "shared-content-efs.json"));
        assert.equal(run(ws, step("comment", "comment"), env).outputs.status, "1");
        assert.equal(run(ws, step("comment", "comment"), { ...env, STATEFUL_STACKS_GATE_ALLOW_RETAINED_CLAIMS: "true" }).outputs.status, "0");
    });

    it("the sticky comment is updated when one exists, posted otherwise", () => {
        const post = step("comment", "Post or update the sticky comment");
        const env = { GH_TOKEN: "t", PR: "7", REPO: "o/r" };
        fs.writeFileSync(ws.log, "");
        assert.equal(run(ws, post, { ...env, FAKE_COMMENTS: "" }).stdout.trim(), "posted a new comment");
        assert.equal(run(ws, post, { ...env, FAKE_COMMENTS: "42\n" }).stdout.trim(), "updated comment 42");
        assert.deepEqual(fs.readFileSync(ws.log, "utf8").trim().split("\n"), [
            'gh api repos/o/r/issues/7/comments --paginate --jq .[] | select(.body | startswith("<!-- stateful-stacks:preview -->")) | .id',
            "gh api --method POST repos/o/r/issues/7/comments -F body=@comment.md",
            'gh api repos/o/r/issues/7/comments --paginate --jq .[] | select(.body | startswith("<!-- stateful-stacks:preview -->")) | .id',
            "gh api --method PATCH repos/o/r/issues/comments/42 -F body=@comment.md",
        ]);
    });

    it("the job fails on a block (1) and on a failed preview (2)", () => {
        const last = step("comment", "Fail on a block or a failed preview");
        assert.deepEqual(["0", "1", "2"].map((status) => run(ws, last, { STATUS: status }).status), [0, 1, 2]);
    });
});

interface Action {
    readonly inputs: Record<string, { default?: string; required?: boolean }>;
    readonly outputs: Record<string, { value: string }>;
    readonly runs: { using: string; steps: Step[] };
}

describe("action.yml: the composite gate action, its script run over the committed fixtures", function () {
    this.timeout(60_000);
    const action = yaml.load(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8")) as Action;
    const judge = action.runs.steps.find((s) => s.id === "gate")!;
    let ws: ReturnType<typeof workspace>;
    before(() => {
        ws = workspace();
    });
    after(() => fs.rmSync(ws.dir, { recursive: true, force: true }));

    /** The step's env as GitHub computes it from the inputs (their defaults, then `given`). */
    const inputs = (given: Record<string, string>) => {
        const values: Record<string, string> = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ""]));
        Object.assign(values, given);
        const env: Record<string, string> = { STATEFUL_STACKS_GATE_CLI: `node --require tsx/cjs ${path.join(ROOT, "tools", "cli.ts")}` };
        for (const [name, expression] of Object.entries(judge.env ?? {})) {
            const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(expression);
            assert.ok(input, `${name}: ${expression}`);
            env[name] = values[input[1]];
        }
        return env;
    };

    it("is a composite action whose inputs are the preview, allow globs, data types and allow-retained-claims; no script holds an expression", () => {
        assert.equal(action.runs.using, "composite");
        assert.deepEqual(Object.keys(action.inputs), ["preview", "allow", "data-types", "allow-retained-claims", "comment-file", "fail-on-block", "version"]);
        assert.equal(action.inputs.preview.required, true);
        assert.deepEqual(Object.keys(action.outputs), ["verdict", "exit-code", "comment-file"]);
        for (const s of action.runs.steps) {
            assert.ok(!s.run?.includes("${{"), s.name);
        }
    });

    it("passes, blocks and fails with the gate's exit code and verdict; fail-on-block false keeps the step green", () => {
        const fixture = (name: string) => path.join(FIXTURES, `${name}.json`);
        const pass = run(ws, judge, inputs({ preview: fixture("postgres-ebs-image") }));
        assert.deepEqual([pass.status, pass.outputs.verdict, pass.outputs["exit-code"]], [0, "pass", "0"]);
        const blocked = run(ws, judge, inputs({ preview: fixture("provider-4.32-postgres-ebs-volume-resize") }));
        assert.deepEqual([blocked.status, blocked.outputs.verdict], [1, "blocked"]);
        assert.match(blocked.stdout, /gate: blocked: 1 change blocks/);
        const kept = run(ws, judge, inputs({ preview: fixture("provider-4.32-postgres-ebs-volume-resize"), "fail-on-block": "false" }));
        assert.deepEqual([kept.status, kept.outputs.verdict, kept.outputs["exit-code"]], [0, "blocked", "1"]);
        assert.equal(run(ws, judge, inputs({ preview: fixture("provider-4.32-postgres-ebs-volume-resize"), "allow-retained-claims": "true" })).outputs.verdict, "pass");
        assert.equal(run(ws, judge, inputs({ preview: fixture("provider-4.32-postgres-ebs-volume-resize"), allow: "*::nothing,\n*StatefulSet::postgres" })).outputs.verdict, "pass");
        const failed = run(ws, judge, inputs({ preview: fixture("engine-program-error"), "fail-on-block": "false" }));
        assert.deepEqual([failed.outputs.verdict, failed.outputs["exit-code"]], ["failed", "2"]);
    });

    it("takes several previews, one per line with <stack>=<path> labels, data types one per line, and writes the comment", () => {
        const preview = [
            `  postgres-ebs=${path.join(FIXTURES, "provider-4.32-postgres-ebs-volume-resize.json")}`,
            "",
            `zk=${path.join(FIXTURES, "zookeeper-ensemble-replicas.json")}  `,
            path.join(FIXTURES, "engine-replace-delete-retained.json"),
        ].join("\n");
        const comment = path.join(ws.dir, "comment.md");
        const ran = run(ws, judge, inputs({ preview, "data-types": "pulumi-nodejs:dynamic/stateful:Volume\n", "comment-file": comment, "fail-on-block": "false" }));
        assert.deepEqual([ran.outputs.verdict, ran.outputs["comment-file"]], ["blocked", comment]);
        const text = fs.readFileSync(comment, "utf8");
        assert.match(text, /^## Pulumi preview: 3 stacks\n/);
        assert.match(text, /\| `zk` \| 1 update, 4 create \| passed \|/);
        assert.match(text, /\| `dev` \| 2 delete, 1 replace, 2 update, 1 create \| \*\*blocked\*\*: 2 destroy data \|/);
        assert.match(ran.stdout, /^== stack postgres-ebs$/m);
    });
});
