import { readFileSync } from "fs";
import { dirname, join } from "path";
import { INT32_MAX, INT32_MIN, isDeferred, MAX_LIST_LENGTH, oneOfText, unknownFieldText } from "./checks";
import { EXPECT } from "./kubernetes";
import { ProblemList } from "./validation";

/**
 * Strict checks of the Kubernetes types a component passes through (probes, security
 * contexts, resources, tolerations, affinity) against the OpenAPI schema published in
 * the `kubernetes-models` package: types and formats from its validators, and, unlike
 * the API server's lenient decoding, every field the schema does not know refused (with
 * a "did you mean"). Nulls are refused too (leave the field out instead), and so are
 * Outputs and Promises inside such a value unless the caller allows them (a pod spec is
 * not secret: a value whose secretness is unknown must not be rendered into it).
 *
 * The package is large (22 MB): a model module is required only when a value of its
 * type is checked, so loading the library loads none of it.
 */

/**
 * The types that can be checked: pass-through core/v1 types by their model name, and
 * any object kind by `<group>/<version>/<Kind>` (`apps/v1/StatefulSet`, `v1/Service`).
 */
export type KubernetesModel =
    | "Affinity"
    | "PodSecurityContext"
    | "Probe"
    | "ResourceRequirements"
    | "SecurityContext"
    | "Toleration"
    | `${string}/${string}`;

interface AjvError {
    readonly instancePath: string;
    readonly keyword: string;
    readonly params: Record<string, unknown>;
}

type Validator = (data: unknown) => AjvError[];

const validators = new Map<KubernetesModel, Validator>();
const knownFields = new Map<string, boolean>();
const fieldNames = new Map<KubernetesModel, string[]>();

/** A value no schema type accepts: probing a field with it tells whether the schema knows the field. */
const PROBE = Symbol("schema-probe");

/** Deepest nesting checked; deeper values are refused (no Kubernetes type nests this deep). */
const MAX_DEPTH = 32;

function modelId(model: KubernetesModel): string {
    return model.includes("/") ? model : `v1/${model}`;
}

function modelName(model: KubernetesModel): string {
    return modelId(model).split("/").pop()!;
}

function modelFile(model: KubernetesModel): string {
    return require.resolve(`kubernetes-models/${modelId(model)}`);
}

function validatorOf(model: KubernetesModel): Validator {
    let validator = validators.get(model);
    if (!validator) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const Model = (require(modelFile(model)) as Record<string, new (data: unknown) => { validate(): void }>)[modelName(model)];
        validator = (data) => {
            try {
                new Model(data).validate();
                return [];
            } catch (err) {
                const errors = (err as { errors?: AjvError[] }).errors;
                if (!Array.isArray(errors)) {
                    throw err;
                }
                return errors;
            }
        };
        validators.set(model, validator);
    }
    return validator;
}

/**
 * Every property name that occurs in the compiled schema of `model` and the schemas it
 * refers to: the candidates for a "did you mean" (each is checked against the schema at
 * the place of the unknown field before it is suggested).
 */
function candidateFields(model: KubernetesModel): string[] {
    let names = fieldNames.get(model);
    if (names) {
        return names;
    }
    const found = new Set<string>();
    const seen = new Set<string>();
    const file = modelFile(model);
    const schema = /require\("((?:\.\.\/)+_schemas\/[A-Za-z0-9]+\.js)"\)/.exec(readFileSync(file, "utf8"));
    if (!schema) {
        fieldNames.set(model, []);
        return [];
    }
    const schemaFile = join(dirname(file), schema[1]);
    const schemaDir = dirname(schemaFile);
    const pending = [schemaFile];
    while (pending.length > 0) {
        const file = pending.pop()!;
        if (seen.has(file)) {
            continue;
        }
        seen.add(file);
        let source: string;
        try {
            source = readFileSync(file, "utf8");
        } catch {
            continue;
        }
        for (const match of source.matchAll(/parentDataProperty:"([A-Za-z0-9_$]+)"/g)) {
            found.add(match[1]);
        }
        for (const match of source.matchAll(/require\("\.\/([A-Za-z0-9]+\.js)"\)/g)) {
            pending.push(join(schemaDir, match[1]));
        }
    }
    names = [...found].sort();
    fieldNames.set(model, names);
    return names;
}

type Segment = string | number;

function pointer(segments: readonly Segment[]): string {
    return segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

function skeleton(segments: readonly Segment[], leaf: unknown): unknown {
    let value = leaf;
    for (let i = segments.length - 1; i >= 0; i--) {
        value = typeof segments[i] === "number" ? [value] : { [segments[i]]: value };
    }
    return value;
}

/** True when the schema of `model` has a field `key` in the object at `at` (list indices as 0). */
function isKnownField(model: KubernetesModel, at: readonly Segment[], key: string): boolean {
    const normalized = at.map((s) => (typeof s === "number" ? 0 : s));
    const cacheKey = `${model}${pointer(normalized)}#${key}`;
    let known = knownFields.get(cacheKey);
    if (known === undefined) {
        const target = pointer([...normalized, key]);
        known = validatorOf(model)(skeleton([...normalized, key], PROBE)).some((e) => e.instancePath === target);
        knownFields.set(cacheKey, known);
    }
    return known;
}

function toPath(base: string, segments: readonly Segment[]): string {
    let path = base;
    for (const s of segments) {
        path = typeof s === "number" ? `${path}[${s}]` : path === "" ? s : `${path}.${s}`;
    }
    return path;
}

function parsePointer(instancePath: string): Segment[] {
    if (instancePath === "") {
        return [];
    }
    return instancePath
        .slice(1)
        .split("/")
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function valueAt(root: unknown, segments: readonly Segment[]): unknown {
    let value = root;
    for (const s of segments) {
        if (value === null || typeof value !== "object") {
            return undefined;
        }
        value = (value as Record<string, unknown>)[s as string];
    }
    return value;
}

const TYPE_NAMES: Record<string, string> = { array: "a list", boolean: "true or false", integer: "an integer", number: "a number", object: "an object", string: "a string" };

/** One expectation for all schema errors at one place, worded like the rest of the package. */
function expectation(errors: readonly AjvError[]): string {
    const enumError = errors.find((e) => e.keyword === "enum");
    if (enumError) {
        return oneOfText((enumError.params.allowedValues as string[]) ?? []);
    }
    const format = errors.find((e) => e.keyword === "format")?.params.format;
    if (format === "int32") {
        return `must be an integer from ${INT32_MIN} to ${INT32_MAX}`;
    }
    if (format === "int64") {
        return "must be an integer";
    }
    if (format === "quantity") {
        return `${EXPECT.quantity}, given as a string`;
    }
    if (typeof format === "string") {
        return `must be in the "${format}" format`;
    }
    const types = errors.filter((e) => e.keyword === "type").map((e) => TYPE_NAMES[String(e.params.type)] ?? String(e.params.type));
    if (types.length > 0) {
        return `must be ${[...new Set(types)].join(" or ")}`;
    }
    return `is not valid for the Kubernetes schema (${errors.map((e) => e.keyword).join(", ")})`;
}

/**
 * A copy of `value` that the schema validators can read: Outputs and Promises dropped
 * (left to the API server), nulls, holes, cycles and too-deep nesting refused where they
 * are. Every object's fields are checked against the schema as the copy is made.
 */
function plainCopy(problems: ProblemList, model: KubernetesModel, base: string, value: unknown, at: Segment[], ancestors: Set<object>, allowOutputs: boolean): unknown {
    if (value === null) {
        problems.add(toPath(base, at), value, "must not be null; leave the field out instead");
        return undefined;
    }
    if (typeof value !== "object") {
        return value;
    }
    if (isDeferred(value)) {
        if (!allowOutputs) {
            problems.add(toPath(base, at), value, EXPECT.deferred);
        }
        return undefined;
    }
    if (ancestors.has(value)) {
        problems.add(toPath(base, at), "a cycle", "must not refer to itself");
        return undefined;
    }
    if (at.length >= MAX_DEPTH) {
        problems.add(toPath(base, at), "a deeper value", `must not nest deeper than ${MAX_DEPTH} levels`);
        return undefined;
    }
    ancestors.add(value);
    let copy: unknown;
    if (Array.isArray(value) && value.length > MAX_LIST_LENGTH) {
        problems.add(toPath(base, at), `${value.length} elements`, `must have at most ${MAX_LIST_LENGTH} elements`);
        copy = [];
    } else if (Array.isArray(value)) {
        const list: unknown[] = [];
        for (let i = 0; i < value.length; i++) {
            if (!(i in value)) {
                problems.add(toPath(base, [...at, i]), undefined, "must not be a hole: the list is sparse (an element was skipped or deleted)");
            } else if (!isDeferred(value[i]) || !allowOutputs) {
                list.push(plainCopy(problems, model, base, value[i], [...at, i], ancestors, allowOutputs));
            }
        }
        copy = list;
    } else {
        const object: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
            const field = (value as Record<string, unknown>)[key];
            if (field === undefined) {
                continue;
            }
            if (!isKnownField(model, at, key)) {
                const known = candidateFields(model).filter((name) => isKnownField(model, at, name));
                problems.add(toPath(base, [...at, key]), field, unknownFieldText(key, known));
                continue;
            }
            object[key] = plainCopy(problems, model, base, field, [...at, key], ancestors, allowOutputs);
        }
        copy = object;
    }
    ancestors.delete(value);
    return copy;
}

/** Options of {@link checkKubernetesValue}. */
export interface KubernetesValueRule {
    /**
     * Accept Outputs and Promises inside the value, unchecked (left to the API server).
     * @default false: refused, as not known at construction
     */
    readonly allowOutputs?: boolean;
}

/**
 * Checks a value of a pass-through Kubernetes type strictly against its schema, every
 * problem at its own path under `path`. True when nothing was wrong.
 */
export function checkKubernetesValue(problems: ProblemList, path: string, value: unknown, model: KubernetesModel, rule: KubernetesValueRule = {}): boolean {
    if (value === undefined) {
        return true;
    }
    const before = problems.size;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        problems.add(path, value, value === null ? "must not be null; leave the field out instead" : "must be an object");
        return false;
    }
    if (isDeferred(value)) {
        if (rule.allowOutputs) {
            return true;
        }
        problems.add(path, value, EXPECT.deferred);
        return false;
    }
    const copy = plainCopy(problems, model, path, value, [], new Set(), rule.allowOutputs ?? false);
    const byPlace = new Map<string, AjvError[]>();
    for (const error of validatorOf(model)(copy)) {
        const place = error.keyword === "required" ? `${error.instancePath}/${String(error.params.missingProperty)}` : error.instancePath;
        byPlace.set(place, [...(byPlace.get(place) ?? []), error]);
    }
    for (const [place, errors] of [...byPlace.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const segments = parsePointer(place);
        if (errors.every((e) => e.keyword === "required")) {
            problems.add(toPath(path, segments), undefined, "is required by the Kubernetes schema");
        } else {
            problems.add(toPath(path, segments), valueAt(copy, segments), expectation(errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "required")));
        }
    }
    return problems.size === before;
}
