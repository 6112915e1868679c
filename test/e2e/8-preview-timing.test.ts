import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PreviewDocument } from "../../tools/gate";
import { plan, PlannedResource } from "../../tools/plan";
import { REAL_ENGINE_FILE, RealEnginePreview, RealEngineRecord } from "../../tools/bench/real-engine";
import * as os from "os";
import { e2e, pulumi, PulumiError, stackFile } from "./support/context";
import { run } from "./support/run";
import { configArgs, STACK_NAMES, STACKS } from "./support/stacks";

/**
 * The real engine's side of the benchmark: `pulumi preview` of each scenario stack against
 * this run's control plane, next to `pulumi preview` of a bare-SDK program (plain
 * JavaScript, no component) that registers the same objects, both timed from the CLI's
 * start to its exit. The tier writes the times to bench/real-engine.json, which
 * `npm run bench` reads. Each stack is a new one (`timing-<stack>`, local mode, nothing
 * deployed), so the file needs nothing from the files before it.
 */

const BARE_PROGRAM = `// A bare-SDK program: the resources in resources.json, in order, with the SDK's own classes.
const pulumi = require("@pulumi/pulumi");
const k8s = require("@pulumi/kubernetes");
const resources = require("./resources.json");
const made = new Map();
const provider = resources.find((r) => r.type === "pulumi:providers:kubernetes");
function kubernetesClass(type) {
    const [, groupVersion, kind] = type.split(":");
    const [group, version] = groupVersion.split("/");
    return k8s[group.split(".")[0]]?.[version]?.[kind];
}
for (const r of resources) {
    const opts = { parent: r.parent ? made.get(r.parent) : undefined, protect: r.protect, retainOnDelete: r.retainOnDelete };
    if (r.type === "pulumi:providers:kubernetes") {
        made.set(r.urn, new k8s.Provider(r.name, r.inputs, opts));
    } else if (!r.custom) {
        made.set(r.urn, new pulumi.ComponentResource(r.type, r.name, {}, opts));
    } else {
        // The scenario's objects go through its provider, the namespace itself through the default one.
        const withProvider = provider && r.type !== "kubernetes:core/v1:Namespace" ? { ...opts, provider: made.get(provider.urn) } : opts;
        const Class = kubernetesClass(r.type);
        // A kind the SDK has no class for (e.g. storage.k8s.io/v1 VolumeAttributesClass): the
        // generic custom resource, or its server-side-apply patch when the type says so.
        const Generic = r.type.endsWith("Patch") ? k8s.apiextensions.CustomResourcePatch : k8s.apiextensions.CustomResource;
        made.set(r.urn, Class ? new Class(r.name, r.inputs, withProvider) : new Generic(r.name, r.inputs, withProvider));
    }
}
`;

/** A Pulumi project in `dir` whose program registers `resources` (parents first) with the bare SDK. */
function writeBareProject(dir: string, resources: readonly PlannedResource[]): void {
    fs.mkdirSync(dir, { recursive: true });
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const ordered: PlannedResource[] = [];
    const visit = (r: PlannedResource) => {
        if (ordered.includes(r)) {
            return;
        }
        if (r.parent && byUrn.has(r.parent)) {
            visit(byUrn.get(r.parent)!);
        }
        ordered.push(r);
    };
    resources.forEach(visit);
    const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
    const program = ordered.filter((r) => r.urn !== stackUrn).map((r) => ({ ...r, parent: r.parent === stackUrn ? undefined : r.parent }));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: bare-sdk\nruntime: nodejs\nmain: index.js\n");
    fs.writeFileSync(path.join(dir, "index.js"), BARE_PROGRAM);
    fs.writeFileSync(path.join(dir, "resources.json"), JSON.stringify(program));
    fs.symlinkSync(path.join(e2e().project, "node_modules"), path.join(dir, "node_modules"), "dir");
}

/** `<type> <namespace>/<name>` of every Kubernetes object a preview creates, sorted. */
function createdObjects(document: PreviewDocument): string[] {
    return document.steps
        .map((step) => step as unknown as { op: string; newState?: { type?: string; custom?: boolean; inputs?: { metadata?: { name?: string; namespace?: string } } } })
        .filter((s) => s.op === "create" && s.newState?.type?.startsWith("kubernetes:"))
        .map((s) => `${s.newState!.type} ${s.newState!.inputs?.metadata?.namespace ?? ""}/${s.newState!.inputs?.metadata?.name ?? ""}`)
        .sort();
}

/**
 * `pulumi preview --json` under `/usr/bin/time`: the wall time, and the CPU time of the CLI
 * with the language host and provider plugins it started and waited for.
 */
async function timedPreview(stack: string, cwd = e2e().project): Promise<{ ms: number; cpuMs: number; document: PreviewDocument }> {
    const { env, root } = e2e();
    const usage = path.join(root, `preview-time-${stack}-${path.basename(cwd)}.txt`);
    const args = ["preview", "--json", "-s", stack, "--non-interactive"];
    const started = Date.now();
    const result = await run("/usr/bin/time", ["-f", "cpu %U %S", "-o", usage, "pulumi", ...args], { cwd, env, timeoutMs: 300_000 });
    const ms = Date.now() - started;
    if (result.code !== 0) {
        throw new PulumiError(args, result);
    }
    const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(fs.readFileSync(usage, "utf8"));
    assert.ok(cpu, `no CPU time in ${usage}`);
    return { cpuMs: Math.round((Number(cpu[1]) + Number(cpu[2])) * 1000), document: JSON.parse(result.stdout) as PreviewDocument, ms };
}

describe("e2e: pulumi preview of each stack next to a bare-SDK program (bench/real-engine.json)", function () {
    const measured: Record<string, RealEnginePreview> = {};

    after(async function () {
        if (Object.keys(measured).length !== STACK_NAMES.length) {
            return; // a partial record would read as a full one
        }
        const cli = (await pulumi(["version"])).stdout.trim();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const provider = (require("@pulumi/kubernetes/package.json") as { version: string }).version;
        const record: RealEngineRecord = {
            cli,
            measuredBy: `test/e2e/8-preview-timing.test.ts on ${new Date().toISOString().slice(0, 10)}, one preview each against that run's local control plane, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)} at the end`,
            provider,
            stacks: Object.fromEntries(Object.keys(measured).sort().map((s) => [s, measured[s]])),
        };
        fs.mkdirSync(path.dirname(REAL_ENGINE_FILE), { recursive: true });
        fs.writeFileSync(REAL_ENGINE_FILE, `${JSON.stringify(record, null, 2)}\n`);
    });

    for (const stack of STACK_NAMES) {
        it(`${stack}: both previews create the same Kubernetes objects; times recorded`, async () => {
            const { project, root } = e2e();
            const name = `timing-${stack}`;
            fs.copyFileSync(stackFile(stack), stackFile(name));
            await pulumi(["stack", "init", name, "--secrets-provider", "passphrase"]);
            const { config, secrets } = STACKS[stack];
            await pulumi(["config", "set-all", "-s", name, ...configArgs({ localMode: "true", ...config }, secrets)]);
            const [planned] = await plan({ outDir: path.join(root, "timing-plan"), placeholderSecrets: true, print: () => undefined, root: project, stacks: [name] });
            assert.deepStrictEqual(planned.failures, []);
            const bareDir = path.join(root, `bare-${stack}`);
            writeBareProject(bareDir, planned.render!.resources);
            await pulumi(["stack", "init", name, "--secrets-provider", "passphrase"], { cwd: bareDir });

            const ours = await timedPreview(name);
            const bare = await timedPreview(name, bareDir);
            assert.deepStrictEqual(createdObjects(bare.document), createdObjects(ours.document));
            assert.ok(createdObjects(ours.document).length > 0);
            measured[stack] = { bareSdkPreviewCpuMs: bare.cpuMs, bareSdkPreviewMs: bare.ms, previewCpuMs: ours.cpuMs, previewMs: ours.ms };
            console.log(`      (${stack}: pulumi preview ${ours.ms} ms, CPU ${ours.cpuMs} ms; bare SDK ${bare.ms} ms, CPU ${bare.cpuMs} ms)`);
        });
    }
});
