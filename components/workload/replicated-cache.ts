import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EXPECT, isDns1123Label, isIanaServiceName, isPort, parseQuantity, sortKeys, standardLabels } from "../common/kubernetes";
import { Problem, ProblemList, throwIfProblems } from "../common/validation";
import { checkPositiveQuantity, isAbsolutePath, isImage } from "./container-checks";
import {
    hostAntiAffinity,
    restrictedContainerSecurityContext,
    restrictedPodSecurityContext,
    selectorLabels,
    skipAwaitMetadata,
    SpreadMode,
    zoneSpread,
} from "./pod-defaults";

type DeploymentSpec = k8s.types.input.apps.v1.DeploymentSpec;
type ServiceSpec = k8s.types.input.core.v1.ServiceSpec;
type PodDisruptionBudgetSpec = k8s.types.input.policy.v1.PodDisruptionBudgetSpec;

/** The cache servers ReplicatedCache has presets for. */
export type CacheEngine = "memcached" | "redis";

/** Image, port and port name of each engine preset. */
export const CACHE_ENGINE_PRESETS: Readonly<Record<CacheEngine, { readonly image: string; readonly port: number; readonly portName: string }>> = {
    memcached: { image: "memcached:1.6.39-alpine", port: 11211, portName: "memcache" },
    redis: { image: "redis:7.4.6-alpine", port: 6379, portName: "redis" },
};

/** An in-memory scratch volume (emptyDir with medium Memory); it counts against the memory limit. */
export interface CacheMemoryVolume {
    /** Where the volume is mounted in the cache container. @default "/cache" */
    readonly mountPath?: string;
    /** Largest size of the volume, a quantity such as "64Mi". Must not exceed `memory`. */
    readonly sizeLimit: string;
}

export interface ReplicatedCacheArgs {
    /** Namespace of the Deployment, Service and PodDisruptionBudget. Changing it replaces them (no data is held). */
    readonly namespace: string;
    /**
     * Engine preset: default image, port and arguments. Each replica is an independent
     * server; clients spread keys over the Service's endpoints or tolerate misses.
     * @default "memcached"
     */
    readonly engine?: CacheEngine;
    /** Container image. @default the engine's image ("memcached:1.6.39-alpine", "redis:7.4.6-alpine") */
    readonly image?: string;
    /**
     * Number of replicas, at least 2 (one per node: pod anti-affinity on the host name is
     * required, so the cluster needs at least this many schedulable nodes).
     * @default 3
     */
    readonly replicas?: number;
    /** Port the cache listens on and the Service exposes. @default 11211 for memcached, 6379 for redis */
    readonly port?: number;
    /** Name of the container and Service port (an IANA service name). @default "memcache" or "redis" */
    readonly portName?: string;
    /**
     * Container arguments. @default memcached: `-m <memory in MiB * 0.9> -p <port>`; redis:
     * `--port <port> --save "" --appendonly no --maxmemory <memory * 0.9> --maxmemory-policy allkeys-lru`
     */
    readonly args?: readonly string[];
    /** Memory request and limit of each replica (they are equal, so replicas are not evicted first). @default "256Mi" */
    readonly memory?: string;
    /** CPU request of each replica. @default "100m" */
    readonly cpu?: string;
    /** An optional memory-backed emptyDir. Never a persistent volume. @default none */
    readonly memoryVolume?: CacheMemoryVolume;
    /** Spread over availability zones. Replicas are always kept on different nodes. @default "preferred" */
    readonly zoneSpread?: SpreadMode;
    /**
     * Most replicas that a voluntary disruption (a node drain) may take down at once;
     * must be less than `replicas`.
     * @default 1
     */
    readonly maxUnavailable?: number;
    /**
     * Don't wait for the Deployment and the Service to become ready (the provider's
     * `pulumi.com/skipAwait` annotation on both; the PodDisruptionBudget is never awaited).
     * Use it when the pods cannot become ready during the update, e.g. on a control plane
     * without nodes. Changing it only changes the annotation; nothing is replaced.
     * @default false
     */
    readonly skipAwait?: boolean;
}

const DEFAULT_REPLICAS = 3;
const DEFAULT_MEMORY = "256Mi";
const DEFAULT_CPU = "100m";
const MIB = 2 ** 20;
const SPREAD_MODES: readonly SpreadMode[] = ["preferred", "required", "none"];
/** Checks every argument of a ReplicatedCache named `name` and returns every problem found. */
export function validateReplicatedCacheArgs(name: string, args: ReplicatedCacheArgs): Problem[] {
    const problems = new ProblemList();
    if (typeof name !== "string" || !isDns1123Label(name) || !/^[a-z]/.test(name)) {
        problems.add("name", name, "must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit");
    }
    if (args === undefined || args === null || typeof args !== "object") {
        problems.add("args", args, "must be an object");
        return [...problems.problems];
    }
    if (typeof args.namespace !== "string" || !isDns1123Label(args.namespace)) {
        problems.add("namespace", args.namespace, EXPECT.dns1123Label);
    }
    if (args.engine !== undefined && !(args.engine in CACHE_ENGINE_PRESETS)) {
        problems.add("engine", args.engine, `must be one of "memcached", "redis"`);
    }
    if (args.image !== undefined && !isImage(args.image)) {
        problems.add("image", args.image, "must be a container image reference such as \"memcached:1.6.39-alpine\"");
    }
    const replicas = args.replicas ?? DEFAULT_REPLICAS;
    if (!Number.isInteger(replicas) || replicas < 2 || replicas > 1000) {
        problems.add("replicas", args.replicas, "must be an integer from 2 to 1000: a replicated cache needs at least two replicas on different nodes");
    }
    if (args.port !== undefined && !isPort(args.port)) {
        problems.add("port", args.port, EXPECT.port);
    }
    if (args.portName !== undefined && (typeof args.portName !== "string" || !isIanaServiceName(args.portName))) {
        problems.add("portName", args.portName, EXPECT.portName);
    }
    if (args.args !== undefined) {
        if (!Array.isArray(args.args)) {
            problems.add("args", args.args, "must be a list of strings");
        } else {
            args.args.forEach((a, i) => {
                if (typeof a !== "string") {
                    problems.add(`args[${i}]`, a, "must be a string");
                }
            });
        }
    }
    const memoryBytes = checkPositiveQuantity(problems, "memory", args.memory ?? DEFAULT_MEMORY);
    checkPositiveQuantity(problems, "cpu", args.cpu, "must be a CPU quantity such as \"100m\" or \"0.5\"");
    if (args.memoryVolume !== undefined) {
        const volume = args.memoryVolume;
        if (volume.mountPath !== undefined && !isAbsolutePath(volume.mountPath)) {
            problems.add("memoryVolume.mountPath", volume.mountPath, "must be an absolute path without '..' or empty parts");
        }
        const size = checkPositiveQuantity(problems, "memoryVolume.sizeLimit", volume.sizeLimit);
        if (size !== undefined && memoryBytes !== undefined && size > memoryBytes) {
            problems.add("memoryVolume.sizeLimit", volume.sizeLimit, `must not exceed memory (${args.memory ?? DEFAULT_MEMORY}): a memory-backed volume counts against the container's memory limit`);
        }
    }
    if (args.zoneSpread !== undefined && !SPREAD_MODES.includes(args.zoneSpread)) {
        problems.add("zoneSpread", args.zoneSpread, `must be one of "preferred", "required", "none"`);
    }
    if (args.maxUnavailable !== undefined) {
        if (!Number.isInteger(args.maxUnavailable) || args.maxUnavailable < 1) {
            problems.add("maxUnavailable", args.maxUnavailable, "must be a positive integer");
        } else if (Number.isInteger(replicas) && args.maxUnavailable >= replicas) {
            problems.add("maxUnavailable", args.maxUnavailable, `must be less than replicas (${replicas}), so a drain never takes the whole cache down`);
        }
    }
    if (args.skipAwait !== undefined && typeof args.skipAwait !== "boolean") {
        problems.add("skipAwait", args.skipAwait, "must be true or false");
    }
    return [...problems.problems];
}

/** The container arguments of an engine preset, sized to 90% of the memory limit. */
export function defaultCacheArgs(engine: CacheEngine, port: number, memory: string): string[] {
    const budgetMib = Math.max(1, Math.floor(((parseQuantity(memory) ?? 0) * 0.9) / MIB));
    if (engine === "memcached") {
        return ["-m", String(budgetMib), "-p", String(port)];
    }
    return ["--port", String(port), "--save", "", "--appendonly", "no", "--maxmemory", `${budgetMib}mb`, "--maxmemory-policy", "allkeys-lru"];
}

/** Everything a ReplicatedCache renders, as plain objects. */
export interface ReplicatedCacheSpecs {
    readonly deployment: DeploymentSpec;
    readonly service: ServiceSpec;
    readonly disruptionBudget: PodDisruptionBudgetSpec;
}

/** Builds the Deployment, Service and PDB specs of a ReplicatedCache named `name`. */
export function buildReplicatedCacheSpecs(name: string, args: ReplicatedCacheArgs): ReplicatedCacheSpecs {
    const engine = args.engine ?? "memcached";
    const preset = CACHE_ENGINE_PRESETS[engine];
    const port = args.port ?? preset.port;
    const portName = args.portName ?? preset.portName;
    const memory = args.memory ?? DEFAULT_MEMORY;
    const selector = selectorLabels(name);
    const labels = standardLabels(name, "replicated-cache");
    const mountPath = args.memoryVolume?.mountPath ?? "/cache";
    const container: k8s.types.input.core.v1.Container = {
        args: [...(args.args ?? defaultCacheArgs(engine, port, memory))],
        image: args.image ?? preset.image,
        livenessProbe: { failureThreshold: 3, periodSeconds: 10, tcpSocket: { port: portName } },
        name: "cache",
        ports: [{ containerPort: port, name: portName, protocol: "TCP" }],
        readinessProbe: { periodSeconds: 5, tcpSocket: { port: portName } },
        resources: { limits: { memory }, requests: { cpu: args.cpu ?? DEFAULT_CPU, memory } },
        securityContext: restrictedContainerSecurityContext({ readOnlyRootFilesystem: true }),
        ...(args.memoryVolume ? { volumeMounts: [{ mountPath, name: "memory" }] } : {}),
    };
    const deployment: DeploymentSpec = {
        replicas: args.replicas ?? DEFAULT_REPLICAS,
        selector: { matchLabels: selector },
        strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: "RollingUpdate" },
        template: {
            metadata: { labels },
            spec: {
                affinity: hostAntiAffinity(selector, "required"),
                automountServiceAccountToken: false,
                containers: [container],
                securityContext: restrictedPodSecurityContext(),
                topologySpreadConstraints: zoneSpread(selector, args.zoneSpread ?? "preferred"),
                ...(args.memoryVolume ? { volumes: [{ emptyDir: { medium: "Memory", sizeLimit: args.memoryVolume.sizeLimit }, name: "memory" }] } : {}),
            },
        },
    };
    return sortKeys({
        deployment,
        disruptionBudget: { maxUnavailable: args.maxUnavailable ?? 1, selector: { matchLabels: selector } },
        service: { ports: [{ name: portName, port, protocol: "TCP", targetPort: portName }], selector, type: "ClusterIP" },
    });
}

/**
 * Metadata of the object named `<name><suffix>`: standard labels, explicit name and
 * namespace, and the skip-await annotation on objects the provider awaits when `skipAwait` is set.
 */
export function replicatedCacheMetadata(name: string, args: ReplicatedCacheArgs, suffix: string, awaited: boolean): k8s.types.input.meta.v1.ObjectMeta {
    return { ...skipAwaitMetadata(awaited && args.skipAwait), labels: standardLabels(name, "replicated-cache"), name: `${name}${suffix}`, namespace: args.namespace };
}

/**
 * Redundant in-memory state: a Deployment of at least two cache servers, never two on one
 * node, spread over zones, behind a ClusterIP Service, with a PodDisruptionBudget. Holds no
 * persistent volumes.
 */
export class ReplicatedCache extends pulumi.ComponentResource {
    public readonly deploymentName: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    /** `<name>.<namespace>.svc.cluster.local`. */
    public readonly serviceDnsName: pulumi.Output<string>;
    public readonly port: number;
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;
    public readonly disruptionBudget: k8s.policy.v1.PodDisruptionBudget;

    constructor(name: string, args: ReplicatedCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        throwIfProblems({ kind: "ReplicatedCache", name }, validateReplicatedCacheArgs(name, args));
        super("stateful-stacks:workload:ReplicatedCache", name, {}, opts);

        const specs = buildReplicatedCacheSpecs(name, args);
        this.port = args.port ?? CACHE_ENGINE_PRESETS[args.engine ?? "memcached"].port;
        this.deployment = new k8s.apps.v1.Deployment(name, { metadata: replicatedCacheMetadata(name, args, "", true), spec: specs.deployment }, { parent: this });
        this.service = new k8s.core.v1.Service(name, { metadata: replicatedCacheMetadata(name, args, "", true), spec: specs.service }, { parent: this });
        this.disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
            `${name}-pdb`,
            { metadata: replicatedCacheMetadata(name, args, "-pdb", false), spec: specs.disruptionBudget },
            { parent: this },
        );

        this.deploymentName = this.deployment.metadata.name;
        this.serviceName = this.service.metadata.name;
        this.serviceDnsName = pulumi.output(`${name}.${args.namespace}.svc.cluster.local`);
        this.registerOutputs({ deploymentName: this.deploymentName, serviceDnsName: this.serviceDnsName, serviceName: this.serviceName });
    }
}
