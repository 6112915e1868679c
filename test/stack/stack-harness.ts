import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Recorder } from "../../tools/engine/mocks";
import { applyConfig } from "../../tools/plan/evaluate";
import { loadProject, loadStackConfig, secretPlaceholder, withConfig } from "../../tools/plan/project";
import { recorder, render, valueOf } from "../support/pulumi";

/**
 * Renders a scenario stack under the test mocks with the stack's real config file
 * (`stacks/Pulumi.<stack>.yaml`), optionally changed. The mocks are installed and awaited
 * before the program modules are imported.
 */

export const ROOT = path.resolve(__dirname, "../..");
export const PROJECT = "stateful-stacks";

export interface RenderedStack {
    readonly rec: Recorder;
    /** The stack outputs, resolved. */
    readonly outputs: Record<string, any>;
}

/** The placeholder the secret config `key` gets in `stack` (what the tests search for). */
export function placeholder(stack: string, key: string): string {
    return secretPlaceholder(stack, `${PROJECT}:${key}`);
}

/** Renders `stack` with its config file, `overrides` set on top (undefined removes a key). */
export async function renderStack(stack: string, overrides: Readonly<Record<string, unknown>> = {}): Promise<RenderedStack> {
    await recorder();
    const project = loadProject(ROOT);
    applyConfig(withConfig(loadStackConfig(project, stack), PROJECT, overrides));
    // Required only now, after the mocks: the program must never see a real engine.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runScenario } = require("../../stacks/scenarios") as typeof import("../../stacks/scenarios");
    let exported: Record<string, unknown> = {};
    const rec = await render(() => {
        exported = runScenario(stack);
        return exported;
    });
    const outputs: Record<string, any> = {};
    for (const [key, value] of Object.entries(exported)) {
        outputs[key] = pulumi.Output.isInstance(value) ? await valueOf(value) : value;
    }
    return { rec, outputs };
}

/** The inputs of the one Kubernetes object of `type` named `name` (the Pulumi resource name). */
export function objectOf(rec: Recorder, type: string, name: string): Record<string, any> {
    return rec.get(type, name).inputs;
}

/** Every resource type token registered, sorted, with counts. */
export function typeCounts(rec: Recorder): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of rec.resources) {
        counts[r.type] = (counts[r.type] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}
