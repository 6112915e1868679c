/**
 * Validation of rendered Kubernetes objects against the Kubernetes OpenAPI schema, as
 * published in the `kubernetes-models` package (generated from the upstream OpenAPI
 * document). Used by the tests on every render and by `plan` before it writes anything.
 */

interface ModelClass {
    new (data: Record<string, unknown>): { validate(): void };
}

/** A Kubernetes object as rendered: apiVersion, kind, metadata and the rest. */
export interface KubernetesObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
    readonly [key: string]: unknown;
}

/**
 * Kinds that are not in the core OpenAPI document (CRDs). Their fields are checked by
 * the rules given here, taken from the CRD's published schema; metadata is checked
 * against the core ObjectMeta schema.
 */
const CUSTOM_KINDS: Record<string, (object: KubernetesObject) => string[]> = {
    "snapshot.storage.k8s.io/v1/VolumeSnapshotClass": (object) => {
        const problems: string[] = [];
        if (typeof object.driver !== "string" || object.driver === "") {
            problems.push("driver is required and must be a non-empty string");
        }
        if (object.deletionPolicy !== "Delete" && object.deletionPolicy !== "Retain") {
            problems.push("deletionPolicy must be one of Delete, Retain");
        }
        const parameters = object.parameters;
        if (parameters !== undefined) {
            const values = typeof parameters === "object" && parameters !== null ? Object.values(parameters) : [undefined];
            if (values.some((v) => typeof v !== "string")) {
                problems.push("parameters must map strings to strings");
            }
        }
        return problems;
    },
    // GA in Kubernetes 1.34, after the kubernetes-models release in use: the rules of the
    // upstream type (driverName required; 1 to 512 parameters, non-empty keys, string values).
    "storage.k8s.io/v1/VolumeAttributesClass": (object) => {
        const problems: string[] = [];
        const unknown = Object.keys(object).filter((k) => !["apiVersion", "driverName", "kind", "metadata", "parameters"].includes(k));
        if (unknown.length > 0) {
            problems.push(`unknown fields: ${unknown.sort().join(", ")}`);
        }
        if (typeof object.driverName !== "string" || object.driverName === "") {
            problems.push("driverName is required and must be a non-empty string");
        }
        const parameters = object.parameters;
        const entries = typeof parameters === "object" && parameters !== null && !Array.isArray(parameters) ? Object.entries(parameters) : undefined;
        if (entries === undefined || entries.length === 0 || entries.length > 512 || entries.some(([k, v]) => k === "" || typeof v !== "string")) {
            problems.push("parameters must map 1 to 512 non-empty keys to strings");
        }
        return problems;
    },
};

function loadModel(apiVersion: string, kind: string): ModelClass | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const models = require(`kubernetes-models/${apiVersion}`) as Record<string, ModelClass | undefined>;
        return models[kind];
    } catch {
        return undefined;
    }
}

function validateMetadata(object: KubernetesObject): string[] {
    if (object.metadata === undefined) {
        return ["metadata is required"];
    }
    const { ObjectMeta } = require("@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta") as Record<string, ModelClass>;
    try {
        new ObjectMeta(object.metadata as Record<string, unknown>).validate();
        return [];
    } catch (err) {
        return splitAjvMessage(err).map((m) => m.replace(/^data\//, "metadata/"));
    }
}

function splitAjvMessage(err: unknown): string[] {
    const message = err instanceof Error ? err.message : String(err);
    return message.split(/, (?=data)/).map((m) => m.trim());
}

/**
 * Validates one object. Returns the schema violations as `path message` texts (empty
 * when valid); an unknown apiVersion/kind is itself a violation.
 */
export function validateKubernetesObject(object: KubernetesObject): string[] {
    const key = `${object.apiVersion}/${object.kind}`;
    const custom = CUSTOM_KINDS[key];
    if (custom) {
        return [...validateMetadata(object), ...custom(object)];
    }
    const Model = loadModel(object.apiVersion, object.kind);
    if (!Model) {
        return [`no OpenAPI schema is known for ${key}`];
    }
    try {
        new Model({ ...object }).validate();
        return [];
    } catch (err) {
        return splitAjvMessage(err);
    }
}

/** Describes an object for messages: `apps/v1 StatefulSet db/pg`. */
export function describeObject(object: KubernetesObject): string {
    const ns = object.metadata?.namespace ? `${object.metadata.namespace}/` : "";
    return `${object.apiVersion} ${object.kind} ${ns}${object.metadata?.name ?? "(unnamed)"}`;
}
