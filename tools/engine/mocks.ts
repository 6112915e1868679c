import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

/**
 * The in-process engine that tests and the offline `plan` run programs under: Pulumi's
 * own mock monitor, wrapped so that every registration is recorded with its parent,
 * options and which of its inputs are secret.
 */

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One resource as the engine saw it. */
export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    /** URN of the parent, or undefined for a root resource. */
    readonly parent?: string;
    /** Inputs with secrets unwrapped, for asserting values. */
    readonly inputs: Record<string, any>;
    /** Inputs with every secret replaced by `[secret]`, for printing and writing. */
    readonly redactedInputs: Record<string, any>;
    /** Dotted paths of every secret input (`data.password`). */
    readonly secretPaths: readonly string[];
    /** The state the mock returned: inputs plus emulated provider outputs. */
    readonly state: Record<string, any>;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly dependsOn: readonly string[];
    readonly ignoreChanges: readonly string[];
    readonly replaceOnChanges: readonly string[];
    readonly deleteBeforeReplace: boolean;
    /** For each top-level input, the URNs its value was computed from (sorted). */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** Answers a provider function call that a program is allowed to make. */
export type CallHandler = (inputs: Record<string, any>) => Record<string, any>;

export interface RecordingMocksOptions {
    readonly project?: string;
    readonly stack?: string;
    /** Provider functions the program may call, by token; any other call fails. */
    readonly calls?: Record<string, CallHandler>;
    /** Run as a preview (unknown outputs stay unknown). @default false */
    readonly preview?: boolean;
}

/** The outputs a resource registered (components and the root stack), by URN. */
export interface RecordedOutputs {
    /** Outputs with secrets unwrapped, for asserting values. */
    readonly values: Record<string, any>;
    /** Outputs with every secret replaced by `[secret]`, for printing and writing. */
    readonly redacted: Record<string, any>;
    /** Dotted paths of every secret output. */
    readonly secretPaths: readonly string[];
}

/** The registrations made since the mocks were installed (or last reset). */
export class Recorder {
    readonly resources: RecordedResource[] = [];
    /** What `registerOutputs` reported, by URN (the root stack's are the stack outputs). */
    readonly outputs = new Map<string, RecordedOutputs>();
    /** Problems the engine would have refused: duplicate URNs, unmocked calls. */
    readonly errors: string[] = [];
    private readonly urns = new Set<string>();

    reset(): void {
        this.resources.length = 0;
        this.errors.length = 0;
        this.urns.clear();
        this.outputs.clear();
    }

    /** Records a registration; returns an error text when the engine would refuse it. */
    add(resource: RecordedResource): string | undefined {
        if (this.urns.has(resource.urn)) {
            const message = `duplicate resource URN ${resource.urn}`;
            this.errors.push(message);
            return message;
        }
        this.urns.add(resource.urn);
        this.resources.push(resource);
        return undefined;
    }

    /** Every recorded resource of a type token, in registration order. */
    ofType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource with this type and name; throws if there is not exactly one. */
    get(type: string, name: string): RecordedResource {
        const found = this.resources.filter((r) => r.type === type && r.name === name);
        if (found.length !== 1) {
            const known = this.resources.map((r) => `${r.type}::${r.name}`).join(", ");
            throw new Error(`expected one ${type} named ${name}, found ${found.length} (registered: ${known})`);
        }
        return found[0];
    }

    /** The children of a resource (by URN), in registration order. */
    childrenOf(urn: string): RecordedResource[] {
        return this.resources.filter((r) => r.parent === urn);
    }
}

/** A deterministic short hex digest: stable names and ids, no randomness. */
export function shortHash(text: string, length = 8): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

const ACCOUNT = "123456789012";
const REGION = "us-east-1";

/**
 * Emulates what providers add to a resource's state: Kubernetes auto-naming of
 * `metadata.name` and the API server's `metadata.uid` (deterministic, UUID-shaped),
 * and deterministic ids and ARNs for AWS resources.
 */
export function emulateProvider(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, any> } {
    if (type.startsWith("kubernetes:")) {
        const metadata = { ...(inputs.metadata ?? {}) };
        if (!metadata.name) {
            metadata.name = `${name}-${shortHash(`${type}::${name}`)}`;
        }
        const uid = shortHash(`uid::${type}::${name}`, 32);
        metadata.uid = `${uid.slice(0, 8)}-${uid.slice(8, 12)}-${uid.slice(12, 16)}-${uid.slice(16, 20)}-${uid.slice(20)}`;
        const namespaced = metadata.namespace !== undefined;
        const id = namespaced ? `${metadata.namespace}/${metadata.name}` : metadata.name;
        return { id, state: { ...inputs, metadata } };
    }
    if (type.startsWith("aws:")) {
        const digest = shortHash(`${type}::${name}`, 17);
        switch (type) {
            case "aws:kms/key:Key": {
                const keyId = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(12, 15)}-8${digest.slice(15, 17)}0-${shortHash(name, 12)}`;
                return { id: keyId, state: { ...inputs, keyId, arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}` } };
            }
            case "aws:efs/fileSystem:FileSystem": {
                const id = `fs-${digest}`;
                return { id, state: { ...inputs, arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${id}`, dnsName: `${id}.efs.${REGION}.amazonaws.com` } };
            }
            case "aws:ec2/securityGroup:SecurityGroup": {
                const id = `sg-${digest}`;
                return { id, state: { ...inputs, arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${id}` } };
            }
            case "aws:efs/mountTarget:MountTarget": {
                const id = `fsmt-${digest}`;
                return { id, state: { ...inputs, ipAddress: "10.0.0.10" } };
            }
            default: {
                const id = `${name}-${shortHash(type)}`;
                const service = type.split(":")[1].split("/")[0];
                return { id, state: { ...inputs, arn: `arn:aws:${service}:${REGION}:${ACCOUNT}:${name}` } };
            }
        }
    }
    return { id: `${name}-id`, state: { ...inputs } };
}

interface Decoded {
    readonly plain: any;
    readonly redacted: any;
}

/** Decodes the wire form of inputs, keeping track of which values are secret. */
function decode(value: any, path: string, secretPaths: string[]): Decoded {
    if (Array.isArray(value)) {
        const items = value.map((v, i) => decode(v, `${path}[${i}]`, secretPaths));
        return { plain: items.map((d) => d.plain), redacted: items.map((d) => d.redacted) };
    }
    if (value !== null && typeof value === "object") {
        if (value[SIG_KEY] === SECRET_SIG) {
            secretPaths.push(path);
            const inner = decode(value.value, path, []);
            return { plain: inner.plain, redacted: "[secret]" };
        }
        if (value[SIG_KEY] !== undefined) {
            const deserialized = pulumi.runtime.deserializeProperty(value);
            return { plain: deserialized, redacted: deserialized };
        }
        const plain: Record<string, any> = {};
        const redacted: Record<string, any> = {};
        for (const key of Object.keys(value)) {
            if (value[key] === undefined) {
                continue;
            }
            const d = decode(value[key], path ? `${path}.${key}` : key, secretPaths);
            plain[key] = d.plain;
            redacted[key] = d.redacted;
        }
        return { plain, redacted };
    }
    if (value === UNKNOWN) {
        return { plain: undefined, redacted: "[unknown]" };
    }
    return { plain: value, redacted: value };
}

function propertyDependencies(req: any): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    const map = req.getPropertydependenciesMap();
    for (const key of [...map.keys()].sort()) {
        result[key] = [...map.get(key).getUrnsList()].sort();
    }
    return result;
}

function urnFor(parent: string, type: string, name: string): string {
    let qualified = type;
    if (parent) {
        const parentType = parent.split("::")[2].split("$").pop();
        qualified = `${parentType}$${type}`;
    }
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

/**
 * Installs Pulumi's mocks with a recorder in front of them. Must be awaited before any
 * program module is imported, so that resources register against the mock monitor.
 */
export async function installRecordingMocks(options: RecordingMocksOptions = {}): Promise<Recorder> {
    const recorder = new Recorder();
    const calls = options.calls ?? {};
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const { id, state } = emulateProvider(args.type, args.name, args.inputs);
                return { id: args.custom ? id : undefined, state };
            },
            call: (args) => {
                const handler = calls[args.token];
                if (!handler) {
                    const message = `unmocked provider function ${args.token} was called`;
                    recorder.errors.push(message);
                    throw new Error(message);
                }
                return handler(args.inputs);
            },
        },
        options.project ?? "stateful-stacks",
        options.stack ?? "test",
        options.preview ?? false,
    );
    const monitor: any = pulumi.runtime.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, res?: any) => void) => {
        const secretPaths: string[] = [];
        const decoded = decode(req.getObject()?.toJavaScript() ?? {}, "", secretPaths);
        const type: string = req.getType();
        const name: string = req.getName();
        const parent: string = req.getParent();
        const urn = urnFor(parent, type, name);
        const custom: boolean = req.getCustom();
        const { state } = emulateProvider(type, name, decoded.plain);
        const error = recorder.add({
            urn,
            type,
            name,
            custom,
            parent: parent || undefined,
            inputs: decoded.plain,
            redactedInputs: decoded.redacted,
            secretPaths,
            state,
            protect: Boolean(req.getProtect()),
            retainOnDelete: Boolean(req.getRetainondelete()),
            dependsOn: req.getDependenciesList(),
            ignoreChanges: req.getIgnorechangesList(),
            replaceOnChanges: req.getReplaceonchangesList(),
            deleteBeforeReplace: Boolean(req.getDeletebeforereplace()),
            propertyDependencies: propertyDependencies(req),
        });
        if (error) {
            callback(new Error(error));
            return;
        }
        register(req, callback);
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: any, res?: any) => void) => {
        const secretPaths: string[] = [];
        const decoded = decode(req.getOutputs()?.toJavaScript() ?? {}, "", secretPaths);
        recorder.outputs.set(req.getUrn(), { values: decoded.plain, redacted: decoded.redacted, secretPaths });
        registerOutputs(req, callback);
    };
    return recorder;
}
