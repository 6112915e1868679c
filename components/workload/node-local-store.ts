import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EXPECT, isDns1123Label, isDns1123Subdomain, isEnvVarName, isIanaServiceName, isPort, sortKeys, standardLabels } from "../common/kubernetes";
import { Problem, ProblemList, throwIfProblems } from "../common/validation";
import { buildEnvVars, checkContainerEnv, ConfigMapKeyEnv, ContainerEnvArgs, looksLikeCredential, SecretKeyEnv } from "./container-env";
import {
    DEFAULT_FS_GROUP,
    DEFAULT_RUN_AS_USER,
    podIdentityEnv,
    restrictedContainerSecurityContext,
    restrictedPodSecurityContext,
    selectorLabels,
    skipAwaitMetadata,
} from "./pod-defaults";
import { checkPositiveQuantity, isAbsolutePath, isImage } from "./container-checks";

type DaemonSetSpec = k8s.types.input.apps.v1.DaemonSetSpec;
type ServiceSpec = k8s.types.input.core.v1.ServiceSpec;
type Container = k8s.types.input.core.v1.Container;

/** Lets the store's pods run on nodes with a matching taint. */
export interface NodeLocalToleration {
    /** Taint key; empty or absent matches every key (only with operator "Exists"). @default every key */
    readonly key?: string;
    /** @default "Equal" */
    readonly operator?: "Equal" | "Exists";
    /** Taint value; only with operator "Equal". @default "" */
    readonly value?: string;
    /** Taint effect to tolerate. @default every effect */
    readonly effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
    /** How long a NoExecute taint is tolerated before eviction. Only with effect "NoExecute". @default forever */
    readonly tolerationSeconds?: number;
}

/** A port of the store, published through the headless peer-discovery Service. */
export interface NodeLocalPort {
    /** An IANA service name. */
    readonly name: string;
    readonly port: number;
}

export interface NodeLocalStoreArgs {
    /**
     * Namespace of the DaemonSet and Service. Host volumes are refused by the "baseline" and
     * "restricted" Pod Security Standards, so it must allow "privileged" pods. Changing it
     * replaces the DaemonSet; the data stays on the nodes under `hostPath`, but the default
     * `hostPath` contains the namespace: without an explicit `hostPath`, the pods then start
     * on a new, empty directory.
     */
    readonly namespace: string;
    /** Container image of the store. */
    readonly image: string;
    /** Container command. @default the image's entrypoint */
    readonly command?: readonly string[];
    /** Container arguments. @default the image's command */
    readonly args?: readonly string[];
    /**
     * Literal environment variables, after POD_NAME, POD_NAMESPACE and NODE_NAME (which
     * cannot be reused), sorted by name together with `secretEnv` and `configMapEnv`; each
     * name once across the three. Never credentials: a name such as DB_PASSWORD or
     * API_TOKEN is refused here (see `StatefulWorkloadArgs.env`); use `secretEnv`.
     * @default []
     */
    readonly env?: readonly { readonly name: string; readonly value: string }[];
    /**
     * Environment variables read from keys of Secrets in `namespace`
     * (`valueFrom.secretKeyRef`), e.g. `{ REDIS_PASSWORD: { secretName: "store-auth", key:
     * "password" } }`. Names follow the rules of `env`.
     * @default none
     */
    readonly secretEnv?: Record<string, SecretKeyEnv>;
    /**
     * Environment variables read from keys of ConfigMaps in `namespace`
     * (`valueFrom.configMapKeyRef`). Names follow the rules of `env`.
     * @default none
     */
    readonly configMapEnv?: Record<string, ConfigMapKeyEnv>;
    /** Ports of the store, published through the headless Service. @default [] */
    readonly ports?: readonly NodeLocalPort[];
    /**
     * Node labels a node must carry to run the store (required, at least one). The store's
     * data lives on those nodes only; removing a label from a node stops its pod, the data stays.
     */
    readonly nodeSelector: Readonly<Record<string, string>>;
    /**
     * Directory on each node that holds the data, created if missing (hostPath
     * DirectoryOrCreate). System directories are refused. Changing it points the pods at a
     * new, empty directory (the old one stays on the nodes).
     * @default "/var/lib/stateful-stacks/<namespace>/<name>"
     */
    readonly hostPath?: string;
    /** Where the data directory is mounted in the container. @default "/data" */
    readonly mountPath?: string;
    /** Taints the pods tolerate (dedicated storage nodes are usually tainted). @default [] */
    readonly tolerations?: readonly NodeLocalToleration[];
    /** Memory request and limit. @default "256Mi" */
    readonly memory?: string;
    /** CPU request. @default "100m" */
    readonly cpu?: string;
    /**
     * Run an init container as root with only the CHOWN and FOWNER capabilities that hands the
     * host directory (created root-owned by the kubelet) to the non-root user 1000:1000.
     * @default true
     */
    readonly prepareHostPath?: boolean;
    /**
     * Also create a StorageClass for local PersistentVolumes on these nodes
     * (`kubernetes.io/no-provisioner`, WaitForFirstConsumer, Retain), for workloads that
     * claim the nodes' disks through PVCs. Its name must be a DNS-1123 subdomain.
     * @default no StorageClass
     */
    readonly localStorageClass?: boolean | { readonly storageClassName?: string };
    /**
     * Don't wait for the DaemonSet and the headless Service to become ready (the provider's
     * `pulumi.com/skipAwait` annotation on both; the StorageClass is never awaited). Use it
     * when the pods cannot become ready during the update, e.g. before any node carries the
     * `nodeSelector` labels. Changing it only changes the annotation; nothing is replaced.
     * @default false
     */
    readonly skipAwait?: boolean;
}

/** The variables every store container gets from the downward API; `env` cannot reuse them. */
export const NODE_LOCAL_RESERVED_ENV: readonly string[] = ["POD_NAME", "POD_NAMESPACE", "NODE_NAME"];

const DEFAULT_MOUNT_PATH = "/data";
/** Longest component name: the headless Service `<name>-peers` must be a 63-character label. */
export const NODE_LOCAL_MAX_NAME = 57;
const PREPARE_IMAGE = "busybox:1.37.0";
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?)$/;

/** Host directories that a store must never use (or, for the first list, be inside). */
const SYSTEM_TREES = ["/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/root", "/run", "/sbin", "/sys", "/usr", "/var/lib/containerd", "/var/lib/docker", "/var/lib/kubelet", "/var/log", "/var/run"];
const SYSTEM_DIRS = ["/", "/home", "/opt", "/tmp", "/var", "/var/lib"];

/** True for a label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export function isLabelKey(value: unknown): boolean {
    if (typeof value !== "string") {
        return false;
    }
    const slash = value.indexOf("/");
    const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
    const name = slash >= 0 ? value.slice(slash + 1) : value;
    return (prefix === undefined || isDns1123Subdomain(prefix)) && LABEL_NAME.test(name);
}

/** True for a label value: empty, or at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends. */
export function isLabelValue(value: unknown): boolean {
    return typeof value === "string" && LABEL_VALUE.test(value);
}

/** True when a host path is, or is inside, a directory the node itself depends on. */
export function isSystemHostPath(path: string): boolean {
    const clean = path.replace(/\/+$/, "") || "/";
    return SYSTEM_DIRS.includes(clean) || SYSTEM_TREES.some((tree) => clean === tree || clean.startsWith(`${tree}/`));
}

/** The default host directory of a store. */
export function defaultHostPath(name: string, namespace: string): string {
    return `/var/lib/stateful-stacks/${namespace}/${name}`;
}

function checkStringList(problems: ProblemList, path: string, value: unknown): void {
    if (value === undefined) {
        return;
    }
    if (!Array.isArray(value)) {
        problems.add(path, value, "must be a list of strings");
        return;
    }
    value.forEach((v, i) => {
        if (typeof v !== "string") {
            problems.add(`${path}[${i}]`, v, "must be a string");
        }
    });
}

/** Checks every argument of a NodeLocalStore named `name` and returns every problem found. */
export function validateNodeLocalStoreArgs(name: string, args: NodeLocalStoreArgs): Problem[] {
    const problems = new ProblemList();
    if (typeof name !== "string" || !isDns1123Label(name) || !/^[a-z]/.test(name) || name.length > NODE_LOCAL_MAX_NAME) {
        problems.add("name", name, `must be a DNS-1035 label of at most ${NODE_LOCAL_MAX_NAME} characters (the Service is "<name>-peers"): lower-case letters, digits and '-', starting with a letter and ending with a letter or digit`);
    }
    if (args === undefined || args === null || typeof args !== "object") {
        problems.add("args", args, "must be an object");
        return [...problems.problems];
    }
    if (typeof args.namespace !== "string" || !isDns1123Label(args.namespace)) {
        problems.add("namespace", args.namespace, EXPECT.dns1123Label);
    }
    if (!isImage(args.image)) {
        problems.add("image", args.image, "must be a container image reference such as \"nginx:1.27\"");
    }
    checkStringList(problems, "command", args.command);
    checkStringList(problems, "args", args.args);
    const literalEnv = new Map<string, string>();
    (Array.isArray(args.env) ? args.env : []).forEach((e, i) => {
        if (typeof e?.name !== "string" || !isEnvVarName(e.name)) {
            problems.add(`env[${i}].name`, e?.name, EXPECT.envVarName);
        } else if (NODE_LOCAL_RESERVED_ENV.includes(e.name)) {
            problems.add(`env[${i}].name`, e.name, `must not be one of the variables the workload sets itself (${NODE_LOCAL_RESERVED_ENV.join(", ")})`);
        } else if (literalEnv.has(e.name)) {
            problems.add(`env[${i}].name`, e.name, "must be unique among env");
        }
        if (typeof e?.value !== "string") {
            problems.add(`env[${i}].value`, e?.value, "must be a string");
        } else if (typeof e.name === "string" && looksLikeCredential(e.name)) {
            problems.addSecret(
                `env[${i}].value`,
                `must not be a literal value: ${e.name} names a credential, and credentials live only in Secrets; reference one with secretEnv.${e.name}: { secretName, key }`,
            );
        }
        if (typeof e?.name === "string") {
            literalEnv.set(e.name, "env");
        }
    });
    checkContainerEnv(problems, "", { configMapEnv: args.configMapEnv, secretEnv: args.secretEnv }, NODE_LOCAL_RESERVED_ENV, literalEnv);
    const portNames = new Set<string>();
    (Array.isArray(args.ports) ? args.ports : []).forEach((p, i) => {
        if (typeof p?.name !== "string" || !isIanaServiceName(p.name)) {
            problems.add(`ports[${i}].name`, p?.name, EXPECT.portName);
        } else if (portNames.has(p.name)) {
            problems.add(`ports[${i}].name`, p.name, "must be unique among ports");
        } else {
            portNames.add(p.name);
        }
        if (!isPort(p?.port)) {
            problems.add(`ports[${i}].port`, p?.port, EXPECT.port);
        }
    });
    const selector = args.nodeSelector;
    if (selector === undefined || selector === null || typeof selector !== "object" || Object.keys(selector).length === 0) {
        problems.add("nodeSelector", selector, "is required: at least one node label, so the store's data stays on nodes you chose (such as { \"stateful-stacks.io/storage\": \"local\" })");
    } else {
        for (const key of Object.keys(selector).sort()) {
            if (!isLabelKey(key)) {
                problems.add(`nodeSelector.${key}`, key, "key must be a label key: an optional DNS subdomain and '/', then at most 63 letters, digits, '-', '_' and '.'");
            }
            if (!isLabelValue(selector[key])) {
                problems.add(`nodeSelector.${key}`, selector[key], "must be a label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
            }
        }
    }
    if (args.hostPath !== undefined) {
        if (!isAbsolutePath(args.hostPath)) {
            problems.add("hostPath", args.hostPath, "must be an absolute path without '..', '.', spaces or empty parts");
        } else if (isSystemHostPath(args.hostPath)) {
            problems.add("hostPath", args.hostPath, "must not be a system directory or inside one (/etc, /var/lib/kubelet, ...); use a directory of its own such as /var/lib/stateful-stacks/<name>");
        }
    }
    if (args.mountPath !== undefined && (!isAbsolutePath(args.mountPath) || args.mountPath === "/")) {
        problems.add("mountPath", args.mountPath, "must be an absolute path other than '/', without '..' or empty parts");
    }
    (Array.isArray(args.tolerations) ? args.tolerations : []).forEach((t, i) => checkToleration(problems, `tolerations[${i}]`, t));
    checkPositiveQuantity(problems, "memory", args.memory);
    checkPositiveQuantity(problems, "cpu", args.cpu, "must be a CPU quantity such as \"100m\" or \"0.5\"");
    const sc = args.localStorageClass;
    if (sc !== undefined && typeof sc !== "boolean") {
        if (sc === null || typeof sc !== "object") {
            problems.add("localStorageClass", sc, "must be true, false or { storageClassName }");
        } else if (sc.storageClassName !== undefined && (typeof sc.storageClassName !== "string" || !isDns1123Subdomain(sc.storageClassName))) {
            problems.add("localStorageClass.storageClassName", sc.storageClassName, EXPECT.dns1123Subdomain);
        }
    }
    if (args.skipAwait !== undefined && typeof args.skipAwait !== "boolean") {
        problems.add("skipAwait", args.skipAwait, "must be true or false");
    }
    return [...problems.problems];
}

function checkToleration(problems: ProblemList, path: string, t: NodeLocalToleration): void {
    const operator = t?.operator ?? "Equal";
    if (operator !== "Equal" && operator !== "Exists") {
        problems.add(`${path}.operator`, t.operator, `must be "Equal" or "Exists"`);
    }
    if (t?.key !== undefined && t.key !== "" && !isLabelKey(t.key)) {
        problems.add(`${path}.key`, t.key, "must be a taint key: an optional DNS subdomain and '/', then at most 63 letters, digits, '-', '_' and '.'");
    }
    if ((t?.key === undefined || t.key === "") && operator !== "Exists") {
        problems.add(`${path}.key`, t?.key, `is required unless operator is "Exists"`);
    }
    if (operator === "Exists" && t?.value !== undefined && t.value !== "") {
        problems.add(`${path}.value`, t.value, `must be empty when operator is "Exists"`);
    }
    if (t?.value !== undefined && !isLabelValue(t.value)) {
        problems.add(`${path}.value`, t.value, "must be a taint value: at most 63 letters, digits, '-', '_' and '.'");
    }
    if (t?.effect !== undefined && !["NoSchedule", "PreferNoSchedule", "NoExecute"].includes(t.effect)) {
        problems.add(`${path}.effect`, t.effect, `must be one of "NoSchedule", "PreferNoSchedule", "NoExecute"`);
    }
    if (t?.tolerationSeconds !== undefined) {
        if (!Number.isInteger(t.tolerationSeconds) || t.tolerationSeconds < 0) {
            problems.add(`${path}.tolerationSeconds`, t.tolerationSeconds, "must be a non-negative integer");
        } else if (t.effect !== "NoExecute") {
            problems.add(`${path}.tolerationSeconds`, t.tolerationSeconds, `can only be given with effect "NoExecute"`);
        }
    }
}

/** The init container that hands the root-owned host directory to the store's non-root user. */
export function buildPrepareHostPathContainer(): Container {
    return {
        command: ["sh", "-c", `chown ${DEFAULT_RUN_AS_USER}:${DEFAULT_FS_GROUP} /data && chmod 0750 /data`],
        image: PREPARE_IMAGE,
        name: "prepare-host-path",
        resources: { limits: { memory: "16Mi" }, requests: { cpu: "10m", memory: "16Mi" } },
        securityContext: restrictedContainerSecurityContext({
            capabilities: { add: ["CHOWN", "FOWNER"], drop: ["ALL"] },
            readOnlyRootFilesystem: true,
            runAsGroup: 0,
            runAsNonRoot: false,
            runAsUser: 0,
        }),
        volumeMounts: [{ mountPath: "/data", name: "data" }],
    };
}

/** The storage class name a NodeLocalStore creates, or undefined when it creates none. */
export function nodeLocalStorageClassName(name: string, args: NodeLocalStoreArgs): string | undefined {
    const sc = args.localStorageClass;
    if (sc === undefined || sc === false) {
        return undefined;
    }
    return (sc === true ? undefined : sc.storageClassName) ?? `${name}-local`;
}

/** The store's own variables in the shape the env builder takes. */
function nodeLocalEnvArgs(args: NodeLocalStoreArgs): ContainerEnvArgs {
    return {
        configMapEnv: args.configMapEnv,
        env: Object.fromEntries((args.env ?? []).map((e) => [e.name, e.value])),
        secretEnv: args.secretEnv,
    };
}

/**
 * Metadata of the object named `objectName`: standard labels, explicit name and
 * namespace, and the skip-await annotation on objects the provider awaits when `skipAwait` is set.
 */
export function nodeLocalMetadata(name: string, args: NodeLocalStoreArgs, objectName: string, awaited: boolean): k8s.types.input.meta.v1.ObjectMeta {
    return { ...skipAwaitMetadata(awaited && args.skipAwait), labels: standardLabels(name, "node-local-store"), name: objectName, namespace: args.namespace };
}

/** Everything a NodeLocalStore renders, as plain objects. */
export interface NodeLocalStoreSpecs {
    readonly daemonSet: DaemonSetSpec;
    readonly service: ServiceSpec;
    /** The local-volume StorageClass, when asked for (without metadata). */
    readonly storageClass?: { provisioner: string; reclaimPolicy: string; volumeBindingMode: string };
}

/** Builds the DaemonSet, headless Service and optional StorageClass of a NodeLocalStore named `name`. */
export function buildNodeLocalStoreSpecs(name: string, args: NodeLocalStoreArgs): NodeLocalStoreSpecs {
    const selector = selectorLabels(name);
    const memory = args.memory ?? "256Mi";
    const ports = args.ports ?? [];
    const container: Container = {
        env: [...podIdentityEnv(), { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }, ...buildEnvVars(nodeLocalEnvArgs(args))],
        image: args.image,
        name: "store",
        resources: { limits: { memory }, requests: { cpu: args.cpu ?? "100m", memory } },
        securityContext: restrictedContainerSecurityContext(),
        volumeMounts: [{ mountPath: args.mountPath ?? DEFAULT_MOUNT_PATH, name: "data" }],
        ...(args.command ? { command: [...args.command] } : {}),
        ...(args.args ? { args: [...args.args] } : {}),
        ...(ports.length > 0 ? { ports: ports.map((p) => ({ containerPort: p.port, name: p.name, protocol: "TCP" })) } : {}),
    };
    const tolerations = (args.tolerations ?? []).map((t) => ({ operator: t.operator ?? "Equal", ...t }));
    const daemonSet: DaemonSetSpec = {
        selector: { matchLabels: selector },
        template: {
            metadata: { labels: standardLabels(name, "node-local-store") },
            spec: {
                automountServiceAccountToken: false,
                containers: [container],
                nodeSelector: { ...args.nodeSelector },
                securityContext: restrictedPodSecurityContext(),
                volumes: [{ hostPath: { path: args.hostPath ?? defaultHostPath(name, args.namespace), type: "DirectoryOrCreate" }, name: "data" }],
                ...(args.prepareHostPath === false ? {} : { initContainers: [buildPrepareHostPathContainer()] }),
                ...(tolerations.length > 0 ? { tolerations } : {}),
            },
        },
        updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: "RollingUpdate" },
    };
    const service: ServiceSpec = {
        clusterIP: "None",
        publishNotReadyAddresses: true,
        selector,
        ...(ports.length > 0 ? { ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: "TCP", targetPort: p.name })) } : {}),
    };
    const storageClass = nodeLocalStorageClassName(name, args)
        ? { provisioner: "kubernetes.io/no-provisioner", reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer" }
        : undefined;
    return sortKeys({ daemonSet, service, ...(storageClass ? { storageClass } : {}) });
}

/**
 * Persistent storage on labelled nodes: a DaemonSet that runs only on nodes carrying the
 * given labels, each pod keeping its data in a host directory of its node, updated one
 * node at a time, with a headless Service for peer discovery and optionally a local-volume
 * StorageClass.
 */
export class NodeLocalStore extends pulumi.ComponentResource {
    public readonly daemonSetName: pulumi.Output<string>;
    public readonly headlessServiceName: pulumi.Output<string>;
    /** `<name>-peers.<namespace>.svc.cluster.local`: resolves to every ready and unready pod. */
    public readonly peerDnsName: pulumi.Output<string>;
    /** The host directory that holds the data on each node. */
    public readonly hostPath: string;
    public readonly storageClassName?: pulumi.Output<string>;
    public readonly daemonSet: k8s.apps.v1.DaemonSet;
    public readonly headlessService: k8s.core.v1.Service;
    public readonly storageClass?: k8s.storage.v1.StorageClass;

    constructor(name: string, args: NodeLocalStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        throwIfProblems({ kind: "NodeLocalStore", name }, validateNodeLocalStoreArgs(name, args));
        super("stateful-stacks:workload:NodeLocalStore", name, {}, opts);

        const specs = buildNodeLocalStoreSpecs(name, args);
        const labels = standardLabels(name, "node-local-store");
        this.hostPath = args.hostPath ?? defaultHostPath(name, args.namespace);
        this.daemonSet = new k8s.apps.v1.DaemonSet(name, { metadata: nodeLocalMetadata(name, args, name, true), spec: specs.daemonSet }, { parent: this });
        this.headlessService = new k8s.core.v1.Service(
            `${name}-peers`,
            { metadata: nodeLocalMetadata(name, args, `${name}-peers`, true), spec: specs.service },
            { parent: this },
        );
        const storageClassName = nodeLocalStorageClassName(name, args);
        if (storageClassName !== undefined && specs.storageClass) {
            this.storageClass = new k8s.storage.v1.StorageClass(
                `${name}-local`,
                { metadata: { labels, name: storageClassName }, ...specs.storageClass },
                { parent: this },
            );
            this.storageClassName = this.storageClass.metadata.name;
        }

        this.daemonSetName = this.daemonSet.metadata.name;
        this.headlessServiceName = this.headlessService.metadata.name;
        this.peerDnsName = pulumi.output(`${name}-peers.${args.namespace}.svc.cluster.local`);
        this.registerOutputs({
            daemonSetName: this.daemonSetName,
            headlessServiceName: this.headlessServiceName,
            peerDnsName: this.peerDnsName,
            storageClassName: this.storageClassName,
        });
    }
}
