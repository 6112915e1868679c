import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { sortKeys, standardLabels } from "../common/kubernetes";
import type { Container, EnvVar, ObjectMeta, VolumeMount } from "../common/kubernetes-types";
import { withExternalStores } from "../external/wiring";
import { buildEnvVars, ContainerEnvArgs } from "./container-env";
import { renderPodArgs, RenderedPodArgs } from "./pod-args";
import { podIdentityEnv, selectorLabels } from "./pod-defaults";
import { DEFAULT_REPLICAS, MAX_REPLICAS, StatefulWorkloadArgs, WorkloadVolume } from "./stateful-workload-args";
import { claimSpec, DELETION_PROPAGATION_ANNOTATION, podOwnerReference } from "./stateful-workload-claims";
import { dirname, ORDINAL_INIT_CONTAINER, resolveOrdinal, statefulSetNameOf } from "./stateful-workload-validate";

/** The `app.kubernetes.io/component` label of everything a StatefulWorkload renders. */
export const WORKLOAD_COMPONENT_LABEL = "stateful-workload";
/** The label the StatefulSet controller puts on each pod with its ordinal (Kubernetes ≥ 1.28). */
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
export { SKIP_AWAIT_ANNOTATION } from "./pod-defaults";

/** The workload's replica count, its default applied. */
export function replicasOf(args: Pick<StatefulWorkloadArgs, "replicas">): number {
    return args.replicas ?? DEFAULT_REPLICAS;
}

/** The stable names a workload renders. */
export interface StatefulWorkloadNames {
    readonly statefulSet: string;
    readonly headlessService: string;
    readonly clientService: string;
    readonly disruptionBudget: string;
    readonly container: string;
}

/** Names of the StatefulSet, its Services, budget and main container: all derived from the StatefulSet name. */
export function statefulWorkloadNames(name: string, args: Pick<StatefulWorkloadArgs, "statefulSetName" | "containerName">): StatefulWorkloadNames {
    const sts = statefulSetNameOf(name, args);
    return { statefulSet: sts, headlessService: `${sts}-headless`, clientService: sts, disruptionBudget: sts, container: args.containerName ?? sts };
}

/** Labels of every object and pod: the standard labels, a superset of the selector. */
export function workloadLabels(statefulSetName: string): Record<string, string> {
    return standardLabels(statefulSetName, WORKLOAD_COMPONENT_LABEL);
}

/** `<sts>-<i>.<headless>.<namespace>.svc.<domain>` for every ordinal; a RangeError beyond {@link MAX_REPLICAS} replicas. */
export function podDnsNames(names: StatefulWorkloadNames, replicas: number, namespace: string, clusterDomain = "cluster.local"): string[] {
    return ordinals(replicas).map((i) => `${names.statefulSet}-${i}.${names.headlessService}.${namespace}.svc.${clusterDomain}`);
}

/** `<volume>-<sts>-<i>` for every volume and ordinal, volume by volume; a RangeError beyond {@link MAX_REPLICAS} replicas. */
export function claimNames(statefulSetName: string, volumes: readonly Pick<WorkloadVolume, "name">[], replicas: number): string[] {
    return volumes.flatMap((v) => ordinals(replicas).map((i) => `${v.name}-${statefulSetName}-${i}`));
}

/** 0 … replicas - 1; refuses a count outside 0 … MAX_REPLICAS instead of allocating it. */
function ordinals(replicas: number): number[] {
    if (!Number.isSafeInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS) {
        throw new RangeError(`replicas must be an integer from 0 to ${MAX_REPLICAS}, got ${String(replicas)}`);
    }
    return Array.from({ length: replicas }, (_, i) => i);
}

/**
 * The pod arguments of a workload with every default applied, once: restricted
 * security, spread, ports, env, and the disruption budget that more than one replica
 * gets by default. Every builder reads them from here.
 */
export function renderWorkloadPod(name: string, args: StatefulWorkloadArgs): RenderedPodArgs {
    return renderPodArgs(args, selectorLabels(statefulSetNameOf(name, args)), replicasOf(args) > 1);
}

function objectMeta(objectName: string, names: StatefulWorkloadNames, args: StatefulWorkloadArgs, awaitable: boolean): ObjectMeta {
    return {
        ...(awaitable ? renderWorkloadPod(names.statefulSet, args).awaitMetadata : {}),
        labels: workloadLabels(names.statefulSet),
        name: objectName,
        namespace: args.namespace,
    };
}

/** Env of every container: identity, then the ordinal, then its own. */
function containerEnv(args: StatefulWorkloadArgs, own: ContainerEnvArgs): EnvVar[] {
    const ordinal = resolveOrdinal(args.ordinalEnvVar);
    const ordinalEnv: EnvVar[] = ordinal ? [{ name: ordinal.name, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${POD_INDEX_LABEL}']` } } }] : [];
    return [...podIdentityEnv(), ...ordinalEnv, ...buildEnvVars(own)];
}

function withOptional<T extends object>(base: T, optional: Record<string, unknown>): T {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const key of Object.keys(optional)) {
        const value = optional[key];
        if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
            out[key] = value;
        }
    }
    return sortKeys(out) as T;
}

function shiftedOrdinal(args: StatefulWorkloadArgs): { name: string; offset: number; file: string; dir: string } | undefined {
    const ordinal = resolveOrdinal(args.ordinalEnvVar);
    return ordinal && ordinal.offset !== 0 ? { ...ordinal, dir: dirname(ordinal.file) } : undefined;
}

function volumeMounts(args: StatefulWorkloadArgs): VolumeMount[] {
    const shifted = shiftedOrdinal(args);
    return [
        ...(args.volumes ?? []).map((v) => ({ mountPath: v.mountPath, name: v.name })),
        ...(shifted ? [{ mountPath: shifted.dir, name: ORDINAL_INIT_CONTAINER, readOnly: true }] : []),
    ];
}

/** The pod template's containers: main container and init containers (ordinal writer first). */
export function buildContainers(name: string, args: StatefulWorkloadArgs): { containers: Container[]; initContainers: Container[] } {
    const names = statefulWorkloadNames(name, args);
    const pod = renderWorkloadPod(name, args);
    const securityContext = pod.containerSecurityContext;
    const mounts = volumeMounts(args);
    const main: Container = withOptional(
        {
            env: containerEnv(args, args),
            image: args.image,
            name: names.container,
            ports: pod.containerPorts,
            securityContext,
        },
        {
            args: args.args,
            command: args.command,
            livenessProbe: pod.livenessProbe,
            readinessProbe: pod.readinessProbe,
            resources: pod.resources,
            startupProbe: pod.startupProbe,
            volumeMounts: mounts,
        },
    );
    const shifted = shiftedOrdinal(args);
    const ordinalWriter: Container[] = shifted
        ? [
              {
                  command: ["sh", "-c", `echo $((${shifted.name} + ${shifted.offset})) > ${shifted.file}`],
                  env: containerEnv(args, {}),
                  image: args.image,
                  name: ORDINAL_INIT_CONTAINER,
                  securityContext,
                  volumeMounts: [{ mountPath: shifted.dir, name: ORDINAL_INIT_CONTAINER }],
              },
          ]
        : [];
    const userInits = (args.initContainers ?? []).map((init) =>
        withOptional(
            { env: containerEnv(args, init), image: init.image ?? args.image, name: init.name, securityContext },
            { args: init.args, command: init.command, resources: init.resources, volumeMounts: mounts },
        ),
    );
    return { containers: [main], initContainers: [...ordinalWriter, ...userInits] };
}

/** The pod template: labels, annotations, security defaults, spread, scheduling and containers. */
export function buildPodTemplate(name: string, args: StatefulWorkloadArgs): k8s.types.input.core.v1.PodTemplateSpec {
    const names = statefulWorkloadNames(name, args);
    const pod = renderWorkloadPod(name, args);
    const { containers, initContainers } = buildContainers(name, args);
    const shifted = shiftedOrdinal(args);
    const spec = withOptional(
        {
            automountServiceAccountToken: pod.automountServiceAccountToken,
            containers,
            securityContext: pod.podSecurityContext,
        },
        {
            affinity: pod.affinity,
            initContainers,
            nodeSelector: pod.nodeSelector,
            serviceAccountName: pod.serviceAccountName,
            terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds,
            tolerations: pod.tolerations,
            topologySpreadConstraints: pod.topologySpreadConstraints,
            volumes: shifted ? [{ emptyDir: { medium: "Memory", sizeLimit: "1Mi" }, name: ORDINAL_INIT_CONTAINER }] : [],
        },
    );
    return {
        metadata: withOptional({ labels: workloadLabels(names.statefulSet) }, { annotations: pod.podAnnotations }),
        spec,
    };
}

/**
 * The pod template with the external stores wired in (env and envFrom on the main
 * container, checksum annotations, wait-for-store init containers first); the plain
 * template when there are none.
 */
export function buildWorkloadTemplate(name: string, args: StatefulWorkloadArgs): pulumi.Input<k8s.types.input.core.v1.PodTemplateSpec> {
    const template = buildPodTemplate(name, args);
    const stores = args.externalStores ?? [];
    if (stores.length === 0) {
        return template;
    }
    const namespace = typeof args.namespace === "string" ? args.namespace : undefined;
    return withExternalStores(template, stores, { containers: [statefulWorkloadNames(name, args).container], namespace });
}

/** The claim templates, one per volume, with the class's name (an Output for a component). */
export function buildVolumeClaimTemplates(volumes: readonly WorkloadVolume[]): k8s.types.input.core.v1.PersistentVolumeClaim[] {
    return volumes.map((volume) => ({ metadata: { name: volume.name }, spec: claimSpec(volume) }));
}

/**
 * The StatefulSet's metadata and spec (the `k8s.apps.v1.StatefulSet` args). Deleted, it
 * orphans its pods (`pulumi.com/deletionPropagationPolicy: orphan`): a replacement's new
 * set adopts them. Given the uid of the owner ConfigMap ({@link buildPodOwner}), it is that
 * object's dependent, so deleting the owner (only `pulumi destroy` or removing the
 * workload does) has the garbage collector delete the StatefulSet and its pods.
 */
export function buildStatefulSet(name: string, args: StatefulWorkloadArgs, ownerUid?: pulumi.Input<string>): k8s.apps.v1.StatefulSetArgs {
    const names = statefulWorkloadNames(name, args);
    const meta = objectMeta(names.statefulSet, names, args, true);
    const strategy = args.updateStrategy ?? { type: "RollingUpdate" };
    const updateStrategy =
        strategy.type === "OnDelete"
            ? { type: "OnDelete" }
            : { rollingUpdate: withOptional({ partition: strategy.partition ?? 0 }, { maxUnavailable: strategy.maxUnavailable }), type: "RollingUpdate" };
    return {
        metadata: sortKeys({
            ...meta,
            annotations: { ...meta.annotations, [DELETION_PROPAGATION_ANNOTATION]: "orphan" },
            ...(ownerUid !== undefined ? { ownerReferences: [podOwnerReference(names.statefulSet, ownerUid)] } : {}),
        }),
        spec: withOptional(
            {
                persistentVolumeClaimRetentionPolicy: {
                    whenDeleted: args.pvcRetention?.whenDeleted ?? "Retain",
                    whenScaled: args.pvcRetention?.whenScaled ?? "Retain",
                },
                podManagementPolicy: args.podManagementPolicy ?? "OrderedReady",
                replicas: replicasOf(args),
                selector: { matchLabels: selectorLabels(names.statefulSet) },
                serviceName: names.headlessService,
                template: buildWorkloadTemplate(name, args),
                updateStrategy,
            },
            { minReadySeconds: args.minReadySeconds, volumeClaimTemplates: buildVolumeClaimTemplates(args.volumes ?? []) },
        ),
    };
}

function servicePorts(name: string, args: StatefulWorkloadArgs): k8s.types.input.core.v1.ServicePort[] {
    return renderWorkloadPod(name, args).servicePorts;
}

/** The headless Service that gives each pod its DNS name; it lists pods before they are ready so members can find each other. */
export function buildHeadlessService(name: string, args: StatefulWorkloadArgs): k8s.core.v1.ServiceArgs {
    const names = statefulWorkloadNames(name, args);
    return {
        metadata: objectMeta(names.headlessService, names, args, true),
        spec: {
            clusterIP: "None",
            ports: servicePorts(name, args),
            publishNotReadyAddresses: true,
            selector: selectorLabels(names.statefulSet),
            type: "ClusterIP",
        },
    };
}

/** The ClusterIP Service that balances clients over the ready pods, or undefined when `clientService` is false. */
export function buildClientService(name: string, args: StatefulWorkloadArgs): k8s.core.v1.ServiceArgs | undefined {
    if (args.clientService === false) {
        return undefined;
    }
    const names = statefulWorkloadNames(name, args);
    return {
        metadata: objectMeta(names.clientService, names, args, true),
        spec: { ports: servicePorts(name, args), selector: selectorLabels(names.statefulSet), type: "ClusterIP" },
    };
}

/**
 * The PodDisruptionBudget (policy/v1), or undefined for none: `false`, or the default with
 * fewer than two replicas (a budget there would only block node drains).
 */
export function buildDisruptionBudget(name: string, args: StatefulWorkloadArgs): k8s.policy.v1.PodDisruptionBudgetArgs | undefined {
    const limit = renderWorkloadPod(name, args).disruptionBudget;
    if (limit === undefined) {
        return undefined;
    }
    const names = statefulWorkloadNames(name, args);
    return {
        metadata: objectMeta(names.disruptionBudget, names, args, false),
        spec: { ...limit, selector: { matchLabels: selectorLabels(names.statefulSet) } },
    };
}
