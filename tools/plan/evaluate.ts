import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks, RecordedResource, Recorder } from "../engine/mocks";
import { describeObject, KubernetesObject, validateKubernetesObject } from "../engine/schema";
import { loadStackConfig, ProjectInfo, StackConfig } from "./project";
import { isKubernetesObject, PlannedResource, redactLeaves, SchemaProblem, StackRender } from "./render";

/**
 * Readies a process that evaluates stacks: source maps off. The SDK takes a full stack
 * trace of every resource it registers (its source position, which the mocks discard);
 * with the TypeScript loader's source maps on, Node maps every frame of it, which was the
 * largest cost per resource. Errors keep their messages, which is all `plan` reports.
 */
export function prepareEvaluationProcess(): void {
    process.setSourceMapsEnabled(false);
}

/** How `evaluateStack` runs a stack. */
export interface EvaluateOptions {
    /**
     * Give the secrets the project declares (and the stack does not set) placeholders
     * instead of failing the way `pulumi preview` does when the program requires one.
     * Only the placeholders the program actually used are reported.
     * @default false
     */
    readonly placeholderSecrets?: boolean;
}

/**
 * Runs a stack's real program under the recording mocks, as the Node.js language host
 * would run it: config set first, then the entry module required inside the root
 * `pulumi:pulumi:Stack` resource, its exports becoming the stack outputs. The mocks are
 * process-global: stacks evaluated in one process run one after another, each with fresh
 * mocks and a freshly loaded program (see `worker.ts`).
 *
 * A secret the program requires and the stack leaves unset fails the stack with the
 * `pulumi config set --secret` command to run, unless `placeholderSecrets` is set.
 */
export async function evaluateStack(project: ProjectInfo, stack: string, options: EvaluateOptions = {}): Promise<StackRender> {
    const config = loadStackConfig(project, stack, options.placeholderSecrets ? project.secretKeys : []);
    const recorder = await installRecordingMocks({ project: project.name, stack });
    applyConfig(config);
    forgetProgramModules(project.root);
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const programExport = require(project.program);
            return programExport instanceof Function ? programExport() : programExport;
        });
    } catch (err) {
        // What the failed program registered settles against its own mocks, not the next stack's.
        await pulumi.runtime.disconnect().catch(() => undefined);
        const key = missingSecret(err);
        throw key === undefined ? err : new Error(missingSecretMessage(stack, key, options.placeholderSecrets === true));
    }
    await pulumi.runtime.disconnect();
    if (recorder.errors.length) {
        throw new Error(`the engine would refuse this program:\n  - ${recorder.errors.join("\n  - ")}`);
    }
    return summarize(project.name, stack, recorder, { ...config, placeholders: usedPlaceholders(recorder, config) });
}

/** The placeholders that reached a resource's inputs or outputs: the secrets the program read and used. */
function usedPlaceholders(recorder: Recorder, config: StackConfig): string[] {
    const seen = [...recorder.resources.map((r) => JSON.stringify(r.inputs)), ...[...recorder.outputs.values()].map((o) => JSON.stringify(o.values))].join("\n");
    return config.placeholders.filter((key) => seen.includes(config.values[key]));
}

/**
 * The qualified key of a secret the program required and found unset: the SDK's
 * `ConfigMissingError` (not exported; recognised by its `key` and `secret` fields).
 */
function missingSecret(err: unknown): string | undefined {
    if (err instanceof Error && /^Missing required configuration variable/.test(err.message)) {
        const { key, secret } = err as Error & { key?: unknown; secret?: unknown };
        return secret === true && typeof key === "string" ? key : undefined;
    }
    return undefined;
}

/**
 * Why a stack is refused when a secret it reads is not set, with the command that sets it
 * (and, without placeholders, the option that gives it one; with them, the key was not
 * declared secret in `Pulumi.yaml`, so it got none).
 */
export function missingSecretMessage(stack: string, key: string, placeholders: boolean): string {
    return [
        `it requires the secret ${key}, which stack ${stack} does not set; set it with`,
        `    pulumi config set --secret --stack ${stack} ${key} <value>`,
        placeholders
            ? `(--placeholder-secrets only fills in secrets that Pulumi.yaml declares: template.config.${key}.secret: true)`
            : "or plan with --placeholder-secrets to render it with a placeholder",
    ].join("\n");
}

/**
 * Drops the project's own modules (not its dependencies) from the module cache, so the
 * next stack runs the program from scratch, as a new language host process would.
 */
function forgetProgramModules(root: string): void {
    const prefix = root.endsWith(path.sep) ? root : `${root}${path.sep}`;
    for (const file of Object.keys(require.cache)) {
        if (file.startsWith(prefix) && !file.includes(`${path.sep}node_modules${path.sep}`) && !file.startsWith(__dirname)) {
            delete require.cache[file];
        }
    }
}

/** Sets the stack's config as the language host does, with secret keys marked. */
export function applyConfig(config: StackConfig): void {
    pulumi.runtime.setAllConfig({ ...config.values }, [...config.secretKeys]);
}

/** What the recorder saw, with secrets redacted leaf by leaf and every object schema-checked. */
export function summarize(project: string, stack: string, recorder: Recorder, config: StackConfig): StackRender {
    const resources = recorder.resources.map(plannedResource);
    const stackResource = recorder.resources.find((r) => r.type === "pulumi:pulumi:Stack" && !r.parent);
    const outputs = stackResource ? recorder.outputs.get(stackResource.urn) : undefined;
    return {
        stack,
        project,
        resources,
        outputs: outputs ? (redactLeaves(outputs.values, outputs.redacted) as Record<string, unknown>) : {},
        schemaProblems: recorder.resources.flatMap(schemaProblems),
        placeholders: config.placeholders,
    };
}

function plannedResource(r: RecordedResource): PlannedResource {
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent,
        custom: r.custom,
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        inputs: redactLeaves(r.inputs, r.redactedInputs) as Record<string, unknown>,
    };
}

/** Schema violations of a recorded Kubernetes object, checked on its real (unredacted) inputs. */
function schemaProblems(r: RecordedResource): SchemaProblem[] {
    if (!isKubernetesObject(r)) {
        return [];
    }
    const object = r.inputs as KubernetesObject;
    return validateKubernetesObject(object).map((message) => ({
        object: describeObject(object),
        resource: `${r.type} ${r.name}`,
        message: readableSchemaMessage(message),
    }));
}

/** `data/spec/replicas must be integer` → `spec.replicas must be integer`. */
export function readableSchemaMessage(message: string): string {
    const match = /^(data|metadata)(\/\S*)?\s(.*)$/s.exec(message);
    if (!match) {
        return message;
    }
    const segments = [...(match[1] === "metadata" ? ["metadata"] : []), ...(match[2] ?? "").split("/").filter((s) => s !== "")];
    const field = segments.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), "");
    return `${field || "the object"} ${match[3]}`;
}
