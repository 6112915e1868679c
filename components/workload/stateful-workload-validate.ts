import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkLabel, checkStorageSize, checkSubdomain, EXPECT, GIB, isDns1123Subdomain, isEnvVarName, isIanaServiceName, isPort, parseQuantity } from "../common/kubernetes";
import { isKnown, Problem, ProblemList } from "../common/validation";
import { EBS_LIMITS, EBS_VOLUME_TYPES } from "../storage/ebs-limits";
import { ExternalStore } from "../external/external-store";
import { externalStoreWiringProblems, waitForStoreContainerName } from "../external/wiring";
import { EbsStorageClass } from "../storage/ebs-storage-class";
import { EfsStorageClass } from "../storage/efs-storage-class";
import { checkContainerEnv } from "./container-env";
import {
    ACCESS_MODES,
    StatefulWorkloadArgs,
    WorkloadInitContainer,
    WorkloadVolume,
} from "./stateful-workload-args";

/** Longest StatefulSet name: the controller-revision-hash label `<name>-<10 chars>` must fit in 63. */
export const MAX_STATEFUL_SET_NAME = 52;

/** The init container that writes the shifted ordinal; its name is reserved. */
export const ORDINAL_INIT_CONTAINER = "pod-ordinal";
/** Default file holding the shifted ordinal. */
export const DEFAULT_ORDINAL_FILE = "/var/run/pod-ordinal/ordinal";

const STATEFUL_SET_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const SHELL_SAFE_PATH = /^[A-Za-z0-9._/-]+$/;
const PERCENT = /^(\d{1,3})%$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const RESERVED_ENV = ["POD_NAME", "POD_NAMESPACE"];

const EXPECT_STS_NAME = `must be a DNS-1123 label starting with a letter, at most ${MAX_STATEFUL_SET_NAME} characters (the controller-revision-hash label must fit in 63, and the Services are named after it)`;

/** How a volume's `storageClass` was given. */
export type StorageClassRef =
    | { readonly kind: "ebs"; readonly storageClass: EbsStorageClass }
    | { readonly kind: "efs"; readonly storageClass: EfsStorageClass }
    | { readonly kind: "name"; readonly name: string }
    | { readonly kind: "invalid" };

/** Tells an EBS class, an EFS class and a class name apart. */
export function classifyStorageClass(storageClass: unknown): StorageClassRef {
    if (typeof storageClass === "string") {
        return { kind: "name", name: storageClass };
    }
    if (storageClass instanceof EbsStorageClass) {
        return { kind: "ebs", storageClass };
    }
    if (storageClass instanceof EfsStorageClass) {
        return { kind: "efs", storageClass };
    }
    return { kind: "invalid" };
}

/** The ordinal settings with their defaults applied, or undefined when none were asked for. */
export function resolveOrdinal(ordinal: StatefulWorkloadArgs["ordinalEnvVar"]): { name: string; offset: number; file: string } | undefined {
    if (ordinal === undefined) {
        return undefined;
    }
    if (typeof ordinal === "string") {
        return { name: ordinal, offset: 0, file: DEFAULT_ORDINAL_FILE };
    }
    return { name: ordinal.name, offset: ordinal.offset ?? 0, file: ordinal.file ?? DEFAULT_ORDINAL_FILE };
}

function isInteger(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

function isIntOrPercent(value: unknown, min: number): boolean {
    if (typeof value === "string") {
        const match = PERCENT.exec(value);
        return match !== null && Number(match[1]) >= min && Number(match[1]) <= 100;
    }
    return isInteger(value, min);
}

function checkInteger(problems: ProblemList, path: string, value: unknown, min: number, max?: number): void {
    if (value !== undefined && !isInteger(value, min, max)) {
        problems.add(path, value, max === undefined ? `must be an integer ≥ ${min}` : `must be an integer from ${min} to ${max}`);
    }
}

function checkOneOf(problems: ProblemList, path: string, value: unknown, allowed: readonly string[]): void {
    if (value !== undefined && !allowed.includes(value as string)) {
        problems.add(path, value, `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
    }
}

function checkAbsolutePath(problems: ProblemList, path: string, value: unknown): value is string {
    if (typeof value !== "string" || !value.startsWith("/") || value.split("/").includes("..") || value.includes(":") || value === "/") {
        problems.add(path, value, "must be an absolute path other than \"/\", without \"..\" or \":\"");
        return false;
    }
    return true;
}

function checkResources(problems: ProblemList, path: string, resources: k8s.types.input.core.v1.ResourceRequirements | undefined): void {
    for (const group of ["limits", "requests"] as const) {
        const map: unknown = resources?.[group];
        if (map === null || typeof map !== "object" || pulumi.Output.isInstance(map)) {
            continue;
        }
        for (const key of Object.keys(map).sort()) {
            const value = (map as Record<string, unknown>)[key];
            if (isKnown(value) && (typeof value !== "string" || parseQuantity(value) === undefined || parseQuantity(value)! < 0)) {
                problems.add(`${path}.${group}.${key}`, value, `${EXPECT.quantity}, given as a string`);
            }
        }
    }
}

function checkProbe(problems: ProblemList, path: string, probe: k8s.types.input.core.v1.Probe | undefined, portNames: readonly string[]): void {
    if (!isKnown(probe)) {
        return;
    }
    const handlers = (["exec", "grpc", "httpGet", "tcpSocket"] as const).filter((h) => probe[h] !== undefined);
    if (handlers.length !== 1) {
        problems.add(path, handlers, "must have exactly one of exec, grpc, httpGet, tcpSocket");
    }
    for (const handler of ["httpGet", "tcpSocket"] as const) {
        const action = probe[handler] as { port?: unknown } | undefined;
        if (action === undefined || !isKnown(action) || !isKnown(action.port)) {
            continue;
        }
        const port = action.port;
        if (typeof port === "string" ? !portNames.includes(port) : !isPort(port)) {
            problems.add(`${path}.${handler}.port`, port, `must be one of the port names (${portNames.join(", ") || "none"}) or a number from 1 to 65535`);
        }
    }
}

function checkSecurity(problems: ProblemList, args: StatefulWorkloadArgs): void {
    const pod = args.securityContext?.pod;
    const container = args.securityContext?.container;
    const podNonRoot = pod?.runAsNonRoot ?? true;
    if (pod?.runAsUser === 0 && podNonRoot === true) {
        problems.add("securityContext.pod.runAsUser", 0, "cannot be 0 while runAsNonRoot is true; set securityContext.pod.runAsNonRoot: false to run as root");
    }
    if (container?.runAsUser === 0 && (container.runAsNonRoot ?? true) === true) {
        problems.add("securityContext.container.runAsUser", 0, "cannot be 0 while runAsNonRoot is true; set securityContext.container.runAsNonRoot: false to run as root");
    }
}

function checkVolume(problems: ProblemList, path: string, volume: WorkloadVolume): void {
    checkLabel(problems, `${path}.name`, volume.name);
    checkAbsolutePath(problems, `${path}.mountPath`, volume.mountPath);
    const bytes = checkStorageSize(problems, `${path}.size`, volume.size);
    const ref = classifyStorageClass(volume.storageClass);
    if (ref.kind === "invalid") {
        problems.add(`${path}.storageClass`, volume.storageClass, "must be an EbsStorageClass, an EfsStorageClass or a StorageClass name");
    } else if (ref.kind === "name") {
        checkSubdomain(problems, `${path}.storageClass`, ref.name);
    }
    const modes = volume.accessModes ?? ["ReadWriteOnce"];
    if (!Array.isArray(modes) || modes.length === 0) {
        problems.add(`${path}.accessModes`, modes, "must list at least one access mode");
    } else {
        modes.forEach((mode, i) => checkOneOf(problems, `${path}.accessModes[${i}]`, mode, ACCESS_MODES));
        if (new Set(modes).size !== modes.length) {
            problems.add(`${path}.accessModes`, modes, "must not repeat an access mode");
        }
        if (modes.includes("ReadWriteOncePod") && modes.length > 1) {
            problems.add(`${path}.accessModes`, modes, "cannot combine ReadWriteOncePod with another mode");
        }
        if (ref.kind === "ebs" && modes.some((m) => m === "ReadWriteMany" || m === "ReadOnlyMany")) {
            problems.add(`${path}.accessModes`, modes, "cannot include ReadWriteMany or ReadOnlyMany on an EBS StorageClass (a block volume attaches to one node); use an EfsStorageClass");
        }
    }
    if (ref.kind === "ebs" && bytes !== undefined) {
        checkAgainstEbsClass(problems, path, volume.size, bytes, ref.storageClass);
    }
}

/**
 * The EBS cross-checks: the size in the volume type's range; IOPS per GiB within the
 * type's ratio; and with `iopsPerGb`, a size whose IOPS reach the type's minimum. The EBS
 * CSI driver computes `iopsPerGb` × size (in whole GiB) and fails the claim when that is
 * below the minimum (io1/io2 100, gp3 3,000), unless the class sets
 * `allowAutoIopsPerGbIncrease`. Above the type's maximum it caps the IOPS instead of
 * failing, so a large claim is accepted.
 */
function checkAgainstEbsClass(problems: ProblemList, path: string, size: string, bytes: number, ebs: EbsStorageClass): void {
    if (!EBS_VOLUME_TYPES.includes(ebs.volumeType)) {
        return;
    }
    const limits = EBS_LIMITS[ebs.volumeType];
    const gib = Math.ceil(bytes / GIB);
    if (gib < limits.sizeGib.min || gib > limits.sizeGib.max) {
        problems.add(`${path}.size`, size, `must be from ${limits.sizeGib.min}Gi to ${limits.sizeGib.max}Gi for an EBS ${ebs.volumeType} volume`);
        return;
    }
    // gp3 includes a 3,000 IOPS baseline at any size; the ratio applies to provisioning beyond it.
    const baseline = ebs.volumeType === "gp3" ? limits.iops!.min : 0;
    if (limits.maxIopsPerGib !== undefined && ebs.iops !== undefined && ebs.iops > baseline && ebs.iops / gib > limits.maxIopsPerGib) {
        const needed = Math.ceil(ebs.iops / limits.maxIopsPerGib);
        problems.add(
            `${path}.size`,
            size,
            `must be at least ${needed}Gi: the StorageClass provisions ${ebs.iops} IOPS and ${ebs.volumeType} allows at most ${limits.maxIopsPerGib} IOPS per GiB`,
        );
    }
    if (ebs.iopsPerGb !== undefined && limits.iops !== undefined && ebs.allowAutoIopsPerGbIncrease !== true && ebs.iopsPerGb * gib < limits.iops.min) {
        const needed = Math.ceil(limits.iops.min / ebs.iopsPerGb);
        problems.add(
            `${path}.size`,
            size,
            `must be at least ${needed}Gi: the StorageClass provisions ${ebs.iopsPerGb} IOPS per GiB, ${ebs.iopsPerGb * gib} IOPS at ${gib}Gi, below the ${ebs.volumeType} minimum of ${limits.iops.min} IOPS, and the EBS CSI driver fails such a claim unless the class sets allowAutoIopsPerGbIncrease: true`,
        );
    }
}

function checkInitContainer(problems: ProblemList, path: string, init: WorkloadInitContainer, reserved: readonly string[]): void {
    checkLabel(problems, `${path}.name`, init.name);
    if (isKnown(init.image) && (typeof init.image !== "string" || init.image.trim() === "")) {
        problems.add(`${path}.image`, init.image, "must be a non-empty image reference");
    }
    checkContainerEnv(problems, `${path}.`, init, reserved);
    checkResources(problems, `${path}.resources`, init.resources);
}

function checkExternalStores(problems: ProblemList, args: StatefulWorkloadArgs): void {
    if (args.externalStores === undefined) {
        return;
    }
    if (!Array.isArray(args.externalStores)) {
        problems.add("externalStores", args.externalStores, "must be a list of ExternalStore components");
        return;
    }
    const stores: ExternalStore[] = [];
    args.externalStores.forEach((store, i) => {
        if (store instanceof ExternalStore) {
            stores.push(store);
        } else {
            problems.add(`externalStores[${i}]`, store, "must be an ExternalStore component");
        }
    });
    if (stores.length !== args.externalStores.length) {
        return;
    }
    const namespace = isKnown(args.namespace) && typeof args.namespace === "string" ? args.namespace : undefined;
    problems.addAll(externalStoreWiringProblems(stores, namespace));
}

/** The StatefulSet name a workload gets: `statefulSetName`, or the component name. */
export function statefulSetNameOf(name: string, args: Pick<StatefulWorkloadArgs, "statefulSetName">): string {
    return args.statefulSetName ?? name;
}

/**
 * Every problem with a workload's arguments (empty when they are valid). Plain values are
 * checked; Outputs are left to the API server.
 */
export function validateStatefulWorkloadArgs(name: string, args: StatefulWorkloadArgs): Problem[] {
    const problems = new ProblemList();
    if (args === null || typeof args !== "object") {
        return problems.add("args", args, "must be an object").problems.slice();
    }
    if (isKnown(args.namespace)) {
        checkLabel(problems, "namespace", args.namespace);
    } else if (args.namespace === undefined) {
        problems.add("namespace", undefined, "is required: the namespace of every object");
    }
    if (args.image === undefined || (isKnown(args.image) && (typeof args.image !== "string" || args.image.trim() === ""))) {
        problems.add("image", args.image, "must be a non-empty image reference");
    }
    const stsName = statefulSetNameOf(name, args);
    if (typeof stsName !== "string" || stsName.length > MAX_STATEFUL_SET_NAME || !STATEFUL_SET_NAME.test(stsName)) {
        problems.add("statefulSetName", stsName, args.statefulSetName === undefined ? `${EXPECT_STS_NAME}; it defaults to the component name, so set it explicitly` : EXPECT_STS_NAME);
    }
    if (args.containerName !== undefined) {
        checkLabel(problems, "containerName", args.containerName);
    }
    checkInteger(problems, "replicas", args.replicas, 0);
    const replicas = isInteger(args.replicas, 0) ? args.replicas : 1;

    const portNames: string[] = [];
    const servicePorts: string[] = [];
    if (!Array.isArray(args.ports) || args.ports.length === 0) {
        problems.add("ports", args.ports, "must list at least one port");
    } else {
        args.ports.forEach((port, i) => {
            const path = `ports[${i}]`;
            if (!isIanaServiceName(port.name as string)) {
                problems.add(`${path}.name`, port.name, EXPECT.portName);
            } else if (portNames.includes(port.name)) {
                problems.add(`${path}.name`, port.name, "must be unique among the ports");
            }
            portNames.push(port.name);
            if (!isPort(port.port)) {
                problems.add(`${path}.port`, port.port, EXPECT.port);
            } else {
                const servicePort = `${port.port}/${port.protocol ?? "TCP"}`;
                if (servicePorts.includes(servicePort)) {
                    problems.add(`${path}.port`, port.port, `must be unique per protocol among the ports: the Services cannot expose ${servicePort} twice`);
                }
                servicePorts.push(servicePort);
            }
            if (port.targetPort !== undefined && !isPort(port.targetPort)) {
                problems.add(`${path}.targetPort`, port.targetPort, EXPECT.port);
            }
            checkOneOf(problems, `${path}.protocol`, port.protocol, ["TCP", "UDP", "SCTP"]);
        });
    }

    const ordinal = resolveOrdinal(args.ordinalEnvVar);
    const reservedEnv = ordinal ? [...RESERVED_ENV, ordinal.name] : RESERVED_ENV;
    if (ordinal) {
        if (!isEnvVarName(ordinal.name)) {
            problems.add("ordinalEnvVar", ordinal.name, EXPECT.envVarName);
        } else if (RESERVED_ENV.includes(ordinal.name)) {
            problems.add("ordinalEnvVar", ordinal.name, `must not be ${RESERVED_ENV.join(" or ")}, which the workload sets itself`);
        }
        if (typeof args.ordinalEnvVar === "object") {
            checkInteger(problems, "ordinalEnvVar.offset", args.ordinalEnvVar.offset, -1000000, 1000000);
            if (args.ordinalEnvVar.file !== undefined && checkAbsolutePath(problems, "ordinalEnvVar.file", ordinal.file)) {
                if (!SHELL_SAFE_PATH.test(ordinal.file) || ordinal.file.endsWith("/") || dirname(ordinal.file) === "/") {
                    problems.add("ordinalEnvVar.file", ordinal.file, "must name a file below a directory other than \"/\", using only letters, digits, '.', '_', '-' and '/' (it is written by a shell command)");
                }
            }
        }
    }
    checkContainerEnv(problems, "", args, reservedEnv);
    checkExternalStores(problems, args);

    const volumeNames = new Set<string>();
    const mountPaths = new Set<string>();
    (args.volumes ?? []).forEach((volume, i) => {
        const path = `volumes[${i}]`;
        checkVolume(problems, path, volume);
        if (ordinal && ordinal.offset !== 0 && volume.name === ORDINAL_INIT_CONTAINER) {
            problems.add(`${path}.name`, volume.name, `must not be "${ORDINAL_INIT_CONTAINER}", the volume that holds the ordinal file`);
        } else if (volumeNames.has(volume.name)) {
            problems.add(`${path}.name`, volume.name, "must be unique among the volumes");
        }
        volumeNames.add(volume.name);
        if (mountPaths.has(volume.mountPath)) {
            problems.add(`${path}.mountPath`, volume.mountPath, "must be unique among the volumes");
        }
        mountPaths.add(volume.mountPath);
        if (ordinal && ordinal.offset !== 0 && typeof volume.mountPath === "string" && dirname(ordinal.file) === volume.mountPath) {
            problems.add(`${path}.mountPath`, volume.mountPath, `must not be the directory of ordinalEnvVar.file (${ordinal.file}), which gets its own emptyDir`);
        }
    });

    checkOneOf(problems, "podManagementPolicy", args.podManagementPolicy, ["OrderedReady", "Parallel"]);
    const strategy = args.updateStrategy;
    if (strategy !== undefined) {
        checkOneOf(problems, "updateStrategy.type", strategy.type, ["RollingUpdate", "OnDelete"]);
        if (strategy.type === "RollingUpdate") {
            if (strategy.partition !== undefined && !isInteger(strategy.partition, 0, replicas)) {
                problems.add("updateStrategy.partition", strategy.partition, `must be an integer from 0 to replicas (${replicas})`);
            }
            if (strategy.maxUnavailable !== undefined && !isIntOrPercent(strategy.maxUnavailable, 1)) {
                problems.add("updateStrategy.maxUnavailable", strategy.maxUnavailable, "must be an integer ≥ 1 or a percentage from \"1%\" to \"100%\"");
            }
        } else if (strategy.type === "OnDelete" && ("partition" in strategy || "maxUnavailable" in strategy)) {
            problems.add("updateStrategy", strategy, "cannot combine OnDelete with partition or maxUnavailable, which only apply to RollingUpdate");
        }
    }
    checkInteger(problems, "minReadySeconds", args.minReadySeconds, 0);
    checkOneOf(problems, "pvcRetention.whenDeleted", args.pvcRetention?.whenDeleted, ["Retain", "Delete"]);
    checkOneOf(problems, "pvcRetention.whenScaled", args.pvcRetention?.whenScaled, ["Retain", "Delete"]);

    const mainContainer = args.containerName ?? stsName;
    const containerNames = new Set<string>([mainContainer]);
    if (ordinal && ordinal.offset !== 0) {
        containerNames.add(ORDINAL_INIT_CONTAINER);
    }
    if (Array.isArray(args.externalStores)) {
        args.externalStores.filter((s): s is ExternalStore => s instanceof ExternalStore).forEach((s) => containerNames.add(waitForStoreContainerName(s.storeName)));
    }
    (args.initContainers ?? []).forEach((init, i) => {
        const path = `initContainers[${i}]`;
        checkInitContainer(problems, path, init, reservedEnv);
        if (containerNames.has(init.name)) {
            problems.add(`${path}.name`, init.name, "must be unique among the pod's containers (the main container, the ordinal writer, the wait-for-store containers and the other init containers)");
        }
        containerNames.add(init.name);
    });

    checkResources(problems, "resources", args.resources);
    checkProbe(problems, "livenessProbe", args.livenessProbe, portNames);
    checkProbe(problems, "readinessProbe", args.readinessProbe, portNames);
    checkProbe(problems, "startupProbe", args.startupProbe, portNames);
    checkInteger(problems, "terminationGracePeriodSeconds", args.terminationGracePeriodSeconds, 0);
    checkSecurity(problems, args);
    if (args.serviceAccountName !== undefined) {
        checkSubdomain(problems, "serviceAccountName", args.serviceAccountName);
    }
    checkOneOf(problems, "spread.zones", args.spread?.zones, ["preferred", "required", "none"]);
    checkOneOf(problems, "spread.hosts", args.spread?.hosts, ["preferred", "required", "none"]);

    const budget = args.disruptionBudget;
    if (budget !== undefined && budget !== false) {
        if (budget === null || typeof budget !== "object") {
            problems.add("disruptionBudget", budget, "must be false or an object with maxUnavailable or minAvailable");
        } else {
            if (budget.maxUnavailable !== undefined && budget.minAvailable !== undefined) {
                problems.add("disruptionBudget", budget, "cannot set both minAvailable and maxUnavailable");
            }
            for (const key of ["maxUnavailable", "minAvailable"] as const) {
                if (budget[key] !== undefined && !isIntOrPercent(budget[key], 0)) {
                    problems.add(`disruptionBudget.${key}`, budget[key], "must be an integer ≥ 0 or a percentage from \"0%\" to \"100%\"");
                }
            }
        }
    }
    if (args.clientService !== undefined && typeof args.clientService !== "boolean") {
        problems.add("clientService", args.clientService, "must be true or false");
    }
    for (const key of Object.keys(args.podAnnotations ?? {}).sort()) {
        if (!isQualifiedName(key)) {
            problems.add(`podAnnotations.${key}`, key, "must be a qualified name: an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' and '.'");
        } else if (typeof args.podAnnotations![key] !== "string") {
            problems.add(`podAnnotations.${key}`, args.podAnnotations![key], "must be a string");
        }
    }
    if (args.clusterDomain !== undefined) {
        checkSubdomain(problems, "clusterDomain", args.clusterDomain);
    }
    return problems.problems.slice();
}

/** The directory of a file path: `/var/run/pod-ordinal/ordinal` → `/var/run/pod-ordinal`. */
export function dirname(path: string): string {
    const index = path.lastIndexOf("/");
    return index <= 0 ? "/" : path.slice(0, index);
}

/** True for an annotation or label key: `[prefix/]name`. */
export function isQualifiedName(key: string): boolean {
    const parts = key.split("/");
    if (parts.length > 2) {
        return false;
    }
    const local = parts[parts.length - 1];
    if (local.length > 63 || !QUALIFIED_NAME.test(local)) {
        return false;
    }
    return parts.length === 1 || isDns1123Subdomain(parts[0]);
}
