import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks, Recorder, RecordedResource } from "../../tools/engine/mocks";
import { describeObject, KubernetesObject, validateKubernetesObject } from "../../tools/engine/schema";

/**
 * Test harness for component and stack tests. Mocks are installed (and awaited) by
 * `setup()` before any program module is imported; every registration is recorded.
 */

let recorderPromise: Promise<Recorder> | undefined;

/** Installs the recording mocks once per test process and returns the recorder. */
export function recorder(): Promise<Recorder> {
    recorderPromise ??= installRecordingMocks({ project: "stateful-stacks", stack: "test" });
    return recorderPromise;
}

/** Resolves an Output's value (the test-side equivalent of `apply`). */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
    return new Promise<T>((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}

/** Resolves once every registration started so far has reached the mock monitor. */
export async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setImmediate(resolve));
    }
}

/**
 * Runs `build` against a fresh recorder and resolves with everything it registered, once
 * the registrations have arrived. `build` may return Outputs to resolve first.
 */
export async function render(build: () => unknown): Promise<Recorder> {
    const rec = await recorder();
    rec.reset();
    const result = build();
    await settleOutputs(result);
    await settle();
    assert.deepStrictEqual(rec.errors, [], "the engine would refuse this program");
    return rec;
}

/**
 * Renders the one component `create` makes (after the recorder's mocks are set) and
 * waits for every output it exposes; returns the records and the component.
 */
export async function renderComponent<T extends object>(create: () => T): Promise<{ rec: Recorder; component: T }> {
    let component!: T;
    const rec = await render(() => {
        component = create();
        return component;
    });
    return { component, rec };
}

/** Every registration as `[type, name, parent URN]`, in registration order. */
export function registrations(rec: Recorder): (string | undefined)[][] {
    return rec.resources.map((r) => [r.type, r.name, r.parent]);
}

async function settleOutputs(result: unknown): Promise<void> {
    if (result === undefined || result === null || typeof result !== "object") {
        return;
    }
    const values = Object.values(result as Record<string, unknown>).filter((v) => pulumi.Output.isInstance(v));
    await Promise.all(values.map((v) => valueOf(v as pulumi.Output<unknown>)));
}

/** True for Kubernetes resources (their inputs are the object sent to the API server). */
export function isKubernetesResource(resource: RecordedResource): boolean {
    return resource.custom && resource.type.startsWith("kubernetes:") && !resource.type.startsWith("kubernetes:helm") && resource.type !== "pulumi:providers:kubernetes";
}

/** Asserts that every Kubernetes object registered is valid against the OpenAPI schema. */
export function assertSchemaValid(rec: Recorder): void {
    const failures: string[] = [];
    for (const resource of rec.resources.filter(isKubernetesResource)) {
        const object = resource.inputs as KubernetesObject;
        for (const problem of validateKubernetesObject(object)) {
            failures.push(`${describeObject(object)}: ${problem}`);
        }
    }
    assert.deepStrictEqual(failures, [], "rendered objects must validate against the Kubernetes OpenAPI schema");
}

/** Expects `fn` to throw an InputPropertiesError; returns its message and property paths. */
export function expectInvalid(fn: () => unknown): { message: string; paths: string[] } {
    try {
        fn();
    } catch (err) {
        if (!pulumi.InputPropertiesError.isInstance(err)) {
            throw err;
        }
        return { message: err.message, paths: err.errors.map((e) => e.propertyPath) };
    }
    assert.fail("expected the arguments to be refused");
}
