/**
 * One scaling measurement, in its own process (started by `scaling.ts`): N StatefulWorkloads
 * (3 replicas, one volume on one shared EbsStorageClass) under Pulumi's mocks, or the same
 * objects built with the bare SDK. Prints one JSON line:
 * `{ kind, n, ms, cpuMs, rssMb, loadMs, resources }`.
 *
 *   scaling-child.ts ours <n>
 *   scaling-child.ts sdk <n> <template.json>
 *   scaling-child.ts template <file>      writes one workload's objects (the bare SDK's input)
 *
 * `ms` runs from the first resource to the last registration answered (`disconnect`),
 * with the modules already loaded (`loadMs`); `rssMb` is the process's peak RSS.
 */
import * as fs from "fs";
import { performance } from "perf_hooks";

const loadStarted = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
import pulumi = require("@pulumi/pulumi");
// eslint-disable-next-line @typescript-eslint/no-require-imports
import k8s = require("@pulumi/kubernetes");

/** The name the template workload gets; every occurrence becomes the copy's name. */
export const TEMPLATE_NAME = "wkld-template";

/** One object of the template: what the component registered, by the bare SDK's constructor. */
export interface TemplateObject {
    readonly type: string;
    readonly name: string;
    /** The parent: "component" (the workload) or "stack". */
    readonly parent: "component" | "stack";
    readonly inputs: Record<string, unknown>;
    readonly dependsOnHeadless: boolean;
    readonly dependsOnStorageClass: boolean;
}

/** The template: the shared StorageClass, then one workload's component type and children. */
export interface Template {
    readonly storageClass: { readonly name: string; readonly inputs: Record<string, unknown> };
    readonly componentType: string;
    readonly children: readonly TemplateObject[];
}

const NAMESPACE = "bench";

function workloadArgs(storageClass: unknown): Record<string, unknown> {
    return {
        image: "postgres:16.4",
        namespace: NAMESPACE,
        ports: [{ name: "pg", port: 5432 }],
        replicas: 3,
        volumes: [{ mountPath: "/var/lib/postgresql/data", name: "data", size: "10Gi", storageClass }],
    };
}

async function minimalMocks(): Promise<void> {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({ id: args.custom ? `${args.name}-id` : undefined, state: args.inputs }),
            call: () => ({}),
        },
        "bench",
        "scaling",
        false,
    );
}

function ours(n: number): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EbsStorageClass, StatefulWorkload } = require("../../components") as typeof import("../../components");
    const storageClass = new EbsStorageClass("shared", {});
    for (let i = 0; i < n; i++) {
        new StatefulWorkload(`wkld-${i}`, workloadArgs(storageClass) as never);
    }
}

const constructors: Record<string, new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource> = {
    "kubernetes:apps/v1:StatefulSet": k8s.apps.v1.StatefulSet as never,
    "kubernetes:core/v1:Service": k8s.core.v1.Service as never,
    "kubernetes:policy/v1:PodDisruptionBudget": k8s.policy.v1.PodDisruptionBudget as never,
};

/** A bare-SDK workload: a plain ComponentResource with the template's children, renamed. */
class BareWorkload extends pulumi.ComponentResource {
    constructor(type: string, name: string, template: Template, storageClass: pulumi.Resource) {
        super(type, name, {}, {});
        const rename = (text: string) => text.split(TEMPLATE_NAME).join(name);
        let headless: pulumi.Resource | undefined;
        for (const child of template.children) {
            const inputs = JSON.parse(rename(JSON.stringify(child.inputs))) as never;
            const dependsOn = [...(child.dependsOnHeadless && headless ? [headless] : []), ...(child.dependsOnStorageClass ? [storageClass] : [])];
            const resource = new constructors[child.type](rename(child.name), inputs, { dependsOn, parent: this });
            if (child.name.endsWith("-headless")) {
                headless = resource;
            }
        }
        this.registerOutputs({});
    }
}

function sdk(n: number, template: Template): void {
    const storageClass = new k8s.storage.v1.StorageClass(template.storageClass.name, template.storageClass.inputs as never);
    for (let i = 0; i < n; i++) {
        new BareWorkload(template.componentType, `wkld-${i}`, template, storageClass);
    }
}

/** Renders one workload with the recording engine and keeps what the bare SDK must build. */
async function writeTemplate(file: string): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { installRecordingMocks } = require("../engine/mocks") as typeof import("../engine/mocks");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EbsStorageClass, StatefulWorkload } = require("../../components") as typeof import("../../components");
    const recorder = await installRecordingMocks({ project: "bench", stack: "scaling" });
    const storageClass = new EbsStorageClass("shared", {});
    const workload = new StatefulWorkload(TEMPLATE_NAME, workloadArgs(storageClass) as never);
    await pulumi.runtime.disconnect();
    const scRecord = recorder.resources.find((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass")!;
    const component = recorder.resources.find((r) => r.name === TEMPLATE_NAME && !r.custom)!;
    const headless = recorder.resources.find((r) => r.parent === component.urn && r.name.endsWith("-headless"))!;
    // In construction order (registrations answer in any order): the headless Service the StatefulSet waits for first.
    const rank = (r: { name: string; type: string }) => (r.name.endsWith("-headless") ? 0 : r.type === "kubernetes:apps/v1:StatefulSet" ? 1 : 2);
    const ordered = recorder.childrenOf(component.urn).sort((a, b) => rank(a) - rank(b));
    const children = ordered.map((r): TemplateObject => ({
        dependsOnHeadless: r.dependsOn.includes(headless.urn),
        dependsOnStorageClass: r.dependsOn.includes(scRecord.urn),
        inputs: r.inputs,
        name: r.name,
        parent: "component",
        type: r.type,
    }));
    void workload;
    const template: Template = { children, componentType: component.type, storageClass: { inputs: scRecord.inputs, name: scRecord.name } };
    fs.writeFileSync(file, JSON.stringify(template));
}

async function main(): Promise<void> {
    const [kind, arg, templateFile] = process.argv.slice(2);
    if (kind === "template") {
        await writeTemplate(arg);
        return;
    }
    const n = Number(arg);
    const template = kind === "sdk" ? (JSON.parse(fs.readFileSync(templateFile, "utf8")) as Template) : undefined;
    if (kind === "ours") {
        // The library loads before the clock starts, as the SDK did above.
        require("../../components");
    }
    if (process.env.BENCH_SOURCE_MAPS !== "1") {
        process.setSourceMapsEnabled(false);
    }
    const loadMs = performance.now() - loadStarted;
    await minimalMocks();
    let resources = 0;
    const monitor: any = pulumi.runtime.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: unknown, callback: unknown) => {
        resources++;
        return register(req, callback);
    };
    const cpu = process.cpuUsage();
    const started = performance.now();
    if (kind === "ours") {
        ours(n);
    } else {
        sdk(n, template!);
    }
    await pulumi.runtime.disconnect();
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify({ cpuMs: Math.round((used.user + used.system) / 1000), kind, loadMs: Math.round(loadMs), ms: Math.round(ms), n, resources, rssMb: Math.round(rssMb) })}\n`);
}

main().then(
    () => process.exit(0),
    (err) => {
        process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
    },
);
