import * as pulumi from "@pulumi/pulumi";
import { checkBoolean, checkImage, checkList, checkObject, checkString, isDeferred, isPlainObject } from "../common/checks";
import { checkLabel } from "../common/kubernetes";
import type { Container, EnvFromSource, EnvVar, PodTemplateSpec } from "../common/kubernetes-types";
import { Problem, ProblemList } from "../common/validation";
import { restrictedContainerSecurityContext } from "../common/pod-security";
import { ExternalStore, externalStoreChecksumAnnotation } from "./external-store";

/** Image of the wait-for-store init container: it only needs a shell and `nc`. */
export const DEFAULT_WAIT_IMAGE = "busybox:1.37.0";

/** Seconds between connection attempts of the wait-for-store init container. */
const WAIT_INTERVAL_SECONDS = 2;

export interface ExternalStoreWiringOptions {
    /**
     * Namespace of the consuming pods. A pod can only reference a ConfigMap or Secret in its
     * own namespace, so stores in another namespace are refused when this is given.
     * @default not checked
     */
    readonly namespace?: string;
    /**
     * Add one init container per store that waits until one of its hosts accepts a TCP
     * connection on its port (`until nc -z host port`).
     * @default true
     */
    readonly waitForStores?: boolean;
    /** Image of the wait-for-store init containers. @default "busybox:1.37.0" */
    readonly waitImage?: string;
}

/** What to add to a pod template so its containers can reach the given stores. */
export interface ExternalStoreWiring {
    /** Env vars of every store (references only), in store order. */
    readonly env: pulumi.Output<EnvVar[]>;
    /** The stores' ConfigMaps as envFrom sources, in store order. */
    readonly envFrom: pulumi.Output<EnvFromSource[]>;
    /** One checksum annotation per store (`stateful-stacks.io/store-<name>-checksum`), keys sorted. */
    readonly annotations: pulumi.Output<Record<string, string>>;
    /** Wait-for-store init containers, in store order (empty when `waitForStores` is false). */
    readonly initContainers: pulumi.Output<Container[]>;
}

/** The plain facts about a store that the pod-template side needs. */
export interface StoreEndpoint {
    readonly storeName: string;
    readonly namespace: string;
    readonly hosts: readonly string[];
    readonly port: number;
    readonly envPrefix: string;
}

/** Refuses store lists that cannot be wired into one pod: one problem per store, at `externalStores[i]`. */
export function externalStoreWiringProblems(stores: readonly StoreEndpoint[], namespace?: string): Problem[] {
    const problems = new ProblemList();
    const names = new Map<string, number>();
    const prefixes = new Map<string, number>();
    stores.forEach((store, i) => {
        const path = `externalStores[${i}]`;
        const sameName = names.get(store.storeName);
        if (sameName !== undefined) {
            problems.add(path, store.storeName, `has the same name as externalStores[${sameName}]; their checksum annotations would collide`);
        } else {
            names.set(store.storeName, i);
        }
        const samePrefix = prefixes.get(store.envPrefix);
        if (samePrefix !== undefined) {
            problems.add(`${path}.envPrefix`, store.envPrefix, `is also used by externalStores[${samePrefix}]; give each store its own envPrefix`);
        } else {
            prefixes.set(store.envPrefix, i);
        }
        if (namespace !== undefined && store.namespace !== namespace) {
            problems.add(`${path}.namespace`, store.namespace, `must be the pods' namespace "${namespace}": pods can only read ConfigMaps and Secrets of their own namespace`);
        }
    });
    return [...problems.problems];
}

const WIRING_OPTION_NAMES = ["namespace", "waitForStores", "waitImage"];
const WITH_STORES_OPTION_NAMES = [...WIRING_OPTION_NAMES, "containers"];

/**
 * Checks what {@link externalStoreWiring} and {@link withExternalStores} are given: a
 * list of ExternalStore components (no holes, nulls or other values) and options with
 * known keys only (a "did you mean" for near misses), each of the right type.
 */
export function externalStoreWiringInputProblems(stores: unknown, opts: unknown, withContainers = false): Problem[] {
    const problems = new ProblemList({ root: "opts" });
    checkList(problems, "externalStores", stores, (path, store) => {
        if (!(store instanceof ExternalStore)) {
            problems.add(path, store, "must be an ExternalStore");
        }
    });
    if (opts !== undefined && checkObject(problems, "opts", opts, withContainers ? WITH_STORES_OPTION_NAMES : WIRING_OPTION_NAMES, "must be an object of wiring options")) {
        if (opts.namespace !== undefined) {
            checkLabel(problems, "opts.namespace", opts.namespace);
        }
        checkBoolean(problems, "opts.waitForStores", opts.waitForStores);
        checkImage(problems, "opts.waitImage", opts.waitImage);
        if (withContainers) {
            checkList(problems, "opts.containers", opts.containers, (path, container) => {
                checkString(problems, path, container, { nonEmpty: true });
            });
        }
    }
    return [...problems.problems];
}

function throwIfWiringProblems(problems: readonly Problem[], heading = "these external stores cannot be wired into one pod"): void {
    if (problems.length > 0) {
        throw new pulumi.InputPropertiesError({
            message: `${heading}:\n${problems.map((p) => `  - ${p.path}: ${p.expected} (got ${p.value})`).join("\n")}`,
            errors: problems.map((p) => ({ propertyPath: p.path, reason: `${p.expected} (got ${p.value})` })),
        });
    }
}

const EXPECT_TEMPLATE = "must be a pod template: an object whose spec.containers is a list of at least one container";

/**
 * Checks the pod template given to {@link withExternalStores}: an object with
 * `spec.containers`, a list of at least one container (objects). A template that is an
 * Output or a Promise is checked when its value is known.
 */
export function podTemplateProblems(template: unknown): Problem[] {
    const problems = new ProblemList({ root: "template" });
    if (isDeferred(template)) {
        return [];
    }
    if (!isPlainObject(template)) {
        problems.add("template", template, EXPECT_TEMPLATE);
        return [...problems.problems];
    }
    const spec = template.spec;
    if (isDeferred(spec)) {
        return [];
    }
    if (!isPlainObject(spec)) {
        problems.add("template.spec", spec, EXPECT_TEMPLATE);
        return [...problems.problems];
    }
    if (isDeferred(spec.containers)) {
        return [];
    }
    if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
        problems.add("template.spec.containers", spec.containers, "must be a list of at least one container");
        return [...problems.problems];
    }
    checkList(problems, "template.spec.containers", spec.containers, (path, container) => {
        if (!isDeferred(container) && !isPlainObject(container)) {
            problems.add(path, container, "must be a container (an object with a name and an image)");
        }
    });
    return [...problems.problems];
}

const WITH_STORES_HEADING = "withExternalStores cannot wire these external stores into the pod template";

/** The shell script that waits until one of the hosts accepts a TCP connection on `port`. */
export function waitForStoreScript(hosts: readonly string[], port: number): string {
    const probes = hosts.map((h) => `nc -z -w 2 ${h} ${port}`).join(" || ");
    return `until ${probes}; do echo "waiting for ${hosts.join(",")}:${port}"; sleep ${WAIT_INTERVAL_SECONDS}; done`;
}

/** The conventional unprivileged user and group id ("nobody"). */
const NOBODY = 65534;

/** Name of a store's wait-for-store init container (a DNS-1123 label). */
export function waitForStoreContainerName(storeName: string): string {
    return `wait-for-${storeName}`.slice(0, 63).replace(/-+$/, "");
}

/** The wait-for-store init container of one store. */
export function buildWaitForStoreContainer(store: StoreEndpoint, image: string = DEFAULT_WAIT_IMAGE): Container {
    return {
        command: ["sh", "-c", waitForStoreScript(store.hosts, store.port)],
        image,
        name: waitForStoreContainerName(store.storeName),
        resources: { limits: { memory: "16Mi" }, requests: { cpu: "10m", memory: "16Mi" } },
        // busybox runs as root by default: name a non-root user, or the kubelet refuses
        // the container in pods that do not set one.
        securityContext: restrictedContainerSecurityContext({ readOnlyRootFilesystem: true, runAsGroup: NOBODY, runAsUser: NOBODY }),
    };
}

/**
 * What to add to a pod template so that its containers can reach the given stores: env,
 * envFrom, the checksum annotations that roll the pods whenever a store's data changes, and
 * wait-for-store init containers. Throws, listing every problem, when `stores` is not a
 * list of ExternalStore components, an option is unknown or of the wrong type, two stores
 * share a name or envPrefix, or a store is in another namespace than `opts.namespace`.
 */
export function externalStoreWiring(stores: readonly ExternalStore[], opts: ExternalStoreWiringOptions = {}): ExternalStoreWiring {
    return wire(stores, opts, false);
}

function wire(stores: readonly ExternalStore[], opts: ExternalStoreWiringOptions, withContainers: boolean): ExternalStoreWiring {
    const inputProblems = externalStoreWiringInputProblems(stores, opts, withContainers);
    throwIfWiringProblems(inputProblems);
    throwIfWiringProblems(externalStoreWiringProblems(stores, opts.namespace));
    const waitImage = opts.waitImage ?? DEFAULT_WAIT_IMAGE;
    const checksums = stores.map((s) => s.checksum);
    return {
        annotations: pulumi.all(checksums).apply((values) => {
            const pairs = stores.map((s, i) => [externalStoreChecksumAnnotation(s.storeName), values[i]] as const);
            return Object.fromEntries([...pairs].sort(([a], [b]) => (a < b ? -1 : 1)));
        }),
        env: pulumi.all(stores.map((s) => s.env)).apply((lists) => lists.flat() as EnvVar[]),
        envFrom: pulumi.all(stores.map((s) => s.envFrom)).apply((lists) => lists.flat() as EnvFromSource[]),
        initContainers: pulumi.output(opts.waitForStores === false ? [] : stores.map((s) => buildWaitForStoreContainer(s, waitImage))),
    };
}

/** Which containers of a template receive the stores' env. */
export interface WithExternalStoresOptions extends ExternalStoreWiringOptions {
    /** Names of the containers that get the env; init containers never do. @default every container */
    readonly containers?: readonly string[];
}

/**
 * Returns a copy of a pod template (for a Deployment, a StatefulSet, a Job) with the stores
 * wired in: their env added to the containers, their checksums as annotations, and the
 * wait-for-store init containers placed before the template's own. The template is not changed.
 */
export function withExternalStores(
    template: pulumi.Input<PodTemplateSpec>,
    stores: readonly ExternalStore[],
    opts: WithExternalStoresOptions = {},
): pulumi.Output<PodTemplateSpec> {
    throwIfWiringProblems(podTemplateProblems(template), WITH_STORES_HEADING);
    const wiring = wire(stores, opts, true);
    return pulumi
        .all([pulumi.output(template), wiring.env, wiring.envFrom, wiring.annotations, wiring.initContainers])
        .apply(([t, env, envFrom, annotations, initContainers]) => {
            // A computed template is checked once its value is known.
            throwIfWiringProblems(podTemplateProblems(t), WITH_STORES_HEADING);
            const spec = t.spec ?? { containers: [] };
            const wanted = (c: { name: string }) => opts.containers === undefined || opts.containers.includes(c.name);
            return {
                ...t,
                metadata: { ...t.metadata, annotations: { ...(t.metadata?.annotations ?? {}), ...annotations } },
                spec: {
                    ...spec,
                    containers: spec.containers.map((c) =>
                        wanted(c) ? { ...c, env: [...(c.env ?? []), ...env], envFrom: [...(c.envFrom ?? []), ...envFrom] } : c,
                    ),
                    initContainers: [...initContainers, ...(spec.initContainers ?? [])],
                },
            } as PodTemplateSpec;
        });
}
