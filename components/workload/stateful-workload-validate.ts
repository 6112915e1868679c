import * as pulumi from "@pulumi/pulumi";
import {
    checkBoolean,
    checkInteger,
    checkList,
    checkMountPath,
    checkObject,
    checkOneOf,
    checkAbsolutePath,
    checkImage,
    EXPECT_CHECK,
    INT32_MAX,
    isDeferred,
    isInteger,
    isPlainObject,
} from "../common/checks";
import { checkLabel, checkStorageSize, checkSubdomain, EXPECT, GIB, isEnvVarName } from "../common/kubernetes";
import { isStorageClassReference, StorageClassFacts, StorageClassReference } from "../common/storage-class-ref";
import { Problem, ProblemList } from "../common/validation";
import { isVolumeAttributesClassReference } from "../common/volume-attributes-ref";
import { ExternalStore } from "../external/external-store";
import { externalStoreWiringProblems, waitForStoreContainerName } from "../external/wiring";
import { EBS_LIMITS, EBS_VOLUME_TYPES } from "../storage/ebs-limits";
import { checkContainerEnv } from "./container-env";
import { checkSnapshotsAndRestore } from "./restore";
import { checkCommand, checkResources, isIntOrPercent, POD_ARG_KEYS, validatePodArgs } from "./pod-args";
import { ACCESS_MODES, DEFAULT_REPLICAS, MAX_REPLICAS, StatefulWorkloadArgs, STATEFUL_WORKLOAD_OWN_KEYS, UncheckedStorageClass } from "./stateful-workload-args";

/** Longest StatefulSet name: the controller-revision-hash label `<name>-<10 chars>` must fit in 63. */
export const MAX_STATEFUL_SET_NAME = 52;

/** The init container that writes the shifted ordinal; its name is reserved. */
export const ORDINAL_INIT_CONTAINER = "pod-ordinal";
/** Default file holding the shifted ordinal. */
export const DEFAULT_ORDINAL_FILE = "/var/run/pod-ordinal/ordinal";

const STATEFUL_SET_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const SHELL_SAFE_PATH = /^[A-Za-z0-9._/-]+$/;
const RESERVED_ENV = ["POD_NAME", "POD_NAMESPACE"];
/** Every field a StatefulWorkload takes. */
const KNOWN_KEYS = [...STATEFUL_WORKLOAD_OWN_KEYS, ...POD_ARG_KEYS].sort();
const VOLUME_KEYS = ["name", "mountPath", "size", "storageClass", "accessModes", "volumeAttributesClass"];
const INIT_KEYS = ["name", "image", "command", "args", "env", "secretEnv", "configMapEnv", "resources"];
const ORDINAL_KEYS = ["name", "offset", "file"];
const ROLLING_KEYS = ["type", "partition", "maxUnavailable"];
const RETENTION = ["Retain", "Delete"] as const;

const EXPECT_STS_NAME = `must be a DNS-1123 label starting with a letter, at most ${MAX_STATEFUL_SET_NAME} characters (the controller-revision-hash label must fit in 63, and the Services are named after it)`;
const EXPECT_VOLUME_ATTRIBUTES_CLASS = "must be a VolumeAttributesClassReference or a VolumeAttributesClass name";
const EXPECT_STORAGE_CLASS = "must be a StorageClassReference (an EbsStorageClass, an EfsStorageClass), another storage class component or a StorageClass name";

/** How a volume's `storageClass` was given. */
export type StorageClassRef =
    | { readonly kind: "reference"; readonly reference: StorageClassReference }
    | { readonly kind: "component"; readonly component: UncheckedStorageClass }
    | { readonly kind: "name"; readonly name: string }
    | { readonly kind: "invalid" };

/** True for a storage class component without facts: a `storageClassName` Output and a `storageClass` resource. */
function isUncheckedStorageClass(value: unknown): value is UncheckedStorageClass {
    if (value === null || typeof value !== "object") {
        return false;
    }
    const candidate = value as Partial<UncheckedStorageClass>;
    return pulumi.Output.isInstance(candidate.storageClassName) && pulumi.Resource.isInstance(candidate.storageClass);
}

/** Tells a storage class reference, another class component and a class name apart. */
export function classifyStorageClass(storageClass: unknown): StorageClassRef {
    if (typeof storageClass === "string") {
        return { kind: "name", name: storageClass };
    }
    if (isStorageClassReference(storageClass)) {
        return { kind: "reference", reference: storageClass };
    }
    if (isUncheckedStorageClass(storageClass)) {
        return { kind: "component", component: storageClass };
    }
    return { kind: "invalid" };
}

/** The ordinal settings with their defaults applied, or undefined when none were asked for (or they are invalid). */
export function resolveOrdinal(ordinal: unknown): { name: string; offset: number; file: string } | undefined {
    if (typeof ordinal === "string") {
        return { name: ordinal, offset: 0, file: DEFAULT_ORDINAL_FILE };
    }
    if (!isPlainObject(ordinal) || typeof ordinal.name !== "string") {
        return undefined;
    }
    return {
        name: ordinal.name,
        offset: isInteger(ordinal.offset) ? ordinal.offset : 0,
        file: typeof ordinal.file === "string" ? ordinal.file : DEFAULT_ORDINAL_FILE,
    };
}

/** The directory of a file path: `/var/run/pod-ordinal/ordinal` → `/var/run/pod-ordinal`. */
export function dirname(path: string): string {
    const index = path.lastIndexOf("/");
    return index <= 0 ? "/" : path.slice(0, index);
}

export { isQualifiedName } from "../common/checks";

/**
 * Directories the ordinal file's directory must not be or lie below: the kernel's and the
 * node's file systems (/proc, /dev, /sys), and the image's system directories (/etc,
 * /bin, /sbin, /lib, /lib64, /usr), which the file's emptyDir would shadow.
 */
const ORDINAL_FORBIDDEN_DIRECTORIES = ["/proc", "/dev", "/sys", "/etc", "/bin", "/sbin", "/lib", "/lib64", "/usr"] as const;

function isShadowedSystemDirectory(directory: string): boolean {
    return ORDINAL_FORBIDDEN_DIRECTORIES.some((system) => directory === system || directory.startsWith(`${system}/`));
}

/** True when one directory is the other or lies below it (`/data` and `/data/run`). */
function pathsOverlap(a: string, b: string): boolean {
    const x = a.replace(/\/+$/, "") || "/";
    const y = b.replace(/\/+$/, "") || "/";
    const within = (inner: string, outer: string) => inner === outer || outer === "/" || inner.startsWith(`${outer}/`);
    return within(x, y) || within(y, x);
}

function checkOrdinal(problems: ProblemList, value: unknown): void {
    if (value === undefined) {
        return;
    }
    if (typeof value === "string") {
        if (!isEnvVarName(value)) {
            problems.add("ordinalEnvVar", value, EXPECT.envVarName);
        } else if (RESERVED_ENV.includes(value)) {
            problems.add("ordinalEnvVar", value, `must not be ${RESERVED_ENV.join(" or ")}, which the workload sets itself`);
        }
        return;
    }
    if (!checkObject(problems, "ordinalEnvVar", value, ORDINAL_KEYS, "must be an environment variable name or { name, offset?, file? }")) {
        return;
    }
    if (value.name === undefined) {
        problems.add("ordinalEnvVar.name", undefined, "is required: the environment variable that holds the ordinal");
    } else if (typeof value.name !== "string" || !isEnvVarName(value.name)) {
        problems.add("ordinalEnvVar.name", value.name, EXPECT.envVarName);
    } else if (RESERVED_ENV.includes(value.name)) {
        problems.add("ordinalEnvVar.name", value.name, `must not be ${RESERVED_ENV.join(" or ")}, which the workload sets itself`);
    }
    checkInteger(problems, "ordinalEnvVar.offset", value.offset, { min: -1000000, max: 1000000 });
    if (value.file !== undefined && checkAbsolutePath(problems, "ordinalEnvVar.file", value.file)) {
        if (!SHELL_SAFE_PATH.test(value.file) || value.file.endsWith("/") || dirname(value.file) === "/") {
            problems.add("ordinalEnvVar.file", value.file, "must name a file below a directory other than \"/\", using only letters, digits, '.', '_', '-' and '/' (it is written by a shell command)");
        } else if (isShadowedSystemDirectory(dirname(value.file))) {
            problems.add(
                "ordinalEnvVar.file",
                value.file,
                `must not lie in or below ${ORDINAL_FORBIDDEN_DIRECTORIES.join(", ")}: its directory gets its own emptyDir, which would hide the kernel's, the node's or the image's own files there`,
            );
        }
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
function checkAgainstEbsFacts(problems: ProblemList, path: string, size: string, bytes: number, ebs: NonNullable<StorageClassFacts["ebs"]>): void {
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
    if (limits.maxIopsPerGib !== undefined && typeof ebs.iops === "number" && ebs.iops > baseline && ebs.iops / gib > limits.maxIopsPerGib) {
        const needed = Math.ceil(ebs.iops / limits.maxIopsPerGib);
        problems.add(
            `${path}.size`,
            size,
            `must be at least ${needed}Gi: the StorageClass provisions ${ebs.iops} IOPS and ${ebs.volumeType} allows at most ${limits.maxIopsPerGib} IOPS per GiB`,
        );
    }
    if (typeof ebs.iopsPerGb === "number" && limits.iops !== undefined && ebs.allowAutoIopsPerGbIncrease !== true && ebs.iopsPerGb * gib < limits.iops.min) {
        const needed = Math.ceil(limits.iops.min / ebs.iopsPerGb);
        problems.add(
            `${path}.size`,
            size,
            `must be at least ${needed}Gi: the StorageClass provisions ${ebs.iopsPerGb} IOPS per GiB, ${ebs.iopsPerGb * gib} IOPS at ${gib}Gi, below the ${ebs.volumeType} minimum of ${limits.iops.min} IOPS, and the EBS CSI driver fails such a claim unless the class sets allowAutoIopsPerGbIncrease: true`,
        );
    }
}

function checkAccessModes(problems: ProblemList, path: string, value: unknown, facts: StorageClassFacts | undefined): void {
    const modes = value === undefined ? ["ReadWriteOnce"] : value;
    if (Array.isArray(modes) && modes.length === 0) {
        problems.add(path, modes, "must list at least one access mode");
        return;
    }
    const before = problems.size;
    checkList(problems, path, modes, (itemPath, mode) => checkOneOf(problems, itemPath, mode, ACCESS_MODES), { expected: "must be a list of access modes" });
    if (problems.size !== before || !Array.isArray(modes)) {
        return;
    }
    if (new Set(modes).size !== modes.length) {
        problems.add(path, modes, "must not repeat an access mode");
    }
    if (modes.includes("ReadWriteOncePod") && modes.length > 1) {
        problems.add(path, modes, "cannot combine ReadWriteOncePod with another mode");
    }
    if (facts !== undefined) {
        const unsupported = modes.filter((m) => !facts.accessModes.includes(m));
        if (unsupported.length > 0) {
            problems.add(
                path,
                modes,
                facts.ebs !== undefined
                    ? "cannot include ReadWriteMany or ReadOnlyMany on an EBS StorageClass (a block volume attaches to one node); use an EfsStorageClass"
                    : `cannot include ${unsupported.join(", ")}: StorageClass "${facts.name}" supports ${facts.accessModes.join(", ")}`,
            );
        }
    }
}

/**
 * Checks the facts of a storage class reference given as a plain object (a program in
 * another language may build one): a class name usable in a claim and its access modes.
 * True when the claim can be checked against them.
 */
function checkFacts(problems: ProblemList, path: string, facts: StorageClassFacts): boolean {
    const before = problems.size;
    checkSubdomain(problems, `${path}.name`, facts.name);
    if (!Array.isArray(facts.accessModes) || facts.accessModes.some((mode) => !ACCESS_MODES.includes(mode))) {
        problems.add(`${path}.accessModes`, facts.accessModes, `must be a list of access modes (${ACCESS_MODES.join(", ")})`);
    }
    if (facts.ebs !== undefined && (!isPlainObject(facts.ebs) || !EBS_VOLUME_TYPES.includes(facts.ebs.volumeType))) {
        problems.add(`${path}.ebs.volumeType`, isPlainObject(facts.ebs) ? facts.ebs.volumeType : facts.ebs, `must be one of ${EBS_VOLUME_TYPES.map((t) => `"${t}"`).join(", ")}`);
    }
    return problems.size === before;
}

function checkVolume(problems: ProblemList, path: string, volume: unknown): volume is Record<string, unknown> {
    if (!checkObject(problems, path, volume, VOLUME_KEYS, "must be { name, mountPath, size, storageClass, accessModes?, volumeAttributesClass? }")) {
        return false;
    }
    checkLabel(problems, `${path}.name`, volume.name);
    if (volume.mountPath === undefined) {
        problems.add(`${path}.mountPath`, undefined, EXPECT_CHECK.absolutePath);
    } else {
        checkMountPath(problems, `${path}.mountPath`, volume.mountPath);
    }
    const bytes = checkStorageSize(problems, `${path}.size`, volume.size);
    const ref = classifyStorageClass(volume.storageClass);
    if (ref.kind === "invalid") {
        problems.add(`${path}.storageClass`, volume.storageClass, EXPECT_STORAGE_CLASS);
    } else if (ref.kind === "name") {
        checkSubdomain(problems, `${path}.storageClass`, ref.name);
    }
    const facts = ref.kind === "reference" && checkFacts(problems, `${path}.storageClass.storageFacts`, ref.reference.storageFacts) ? ref.reference.storageFacts : undefined;
    checkAccessModes(problems, `${path}.accessModes`, volume.accessModes, facts);
    if (facts?.ebs !== undefined && bytes !== undefined) {
        checkAgainstEbsFacts(problems, path, volume.size as string, bytes, facts.ebs);
    }
    checkVolumeAttributesClass(problems, `${path}.volumeAttributesClass`, volume.volumeAttributesClass, ref.kind === "reference" ? ref.reference.storageFacts : undefined);
    return true;
}

/**
 * A claim's VolumeAttributesClass: a name, or a reference whose driver is the claim's
 * StorageClass's provisioner (the CSI driver that would modify the volume), when both are known.
 */
function checkVolumeAttributesClass(problems: ProblemList, path: string, value: unknown, storage: StorageClassFacts | undefined): void {
    if (value === undefined) {
        return;
    }
    if (typeof value === "string") {
        checkSubdomain(problems, path, value);
        return;
    }
    if (!isVolumeAttributesClassReference(value)) {
        problems.add(path, value, EXPECT_VOLUME_ATTRIBUTES_CLASS);
        return;
    }
    const facts = value.volumeAttributesFacts;
    checkSubdomain(problems, `${path}.volumeAttributesFacts.name`, facts.name);
    if (storage !== undefined && typeof storage.provisioner === "string" && facts.driverName !== storage.provisioner) {
        problems.add(
            `${path}.volumeAttributesFacts.driverName`,
            facts.driverName,
            `must be the StorageClass's provisioner "${storage.provisioner}" (StorageClass "${storage.name}"): only the driver that provisioned a volume can modify it`,
        );
    }
}

function checkInitContainer(problems: ProblemList, path: string, init: unknown, reserved: readonly string[]): init is Record<string, unknown> {
    if (!checkObject(problems, path, init, INIT_KEYS, "must be { name, image?, command?, args?, env?, secretEnv?, configMapEnv?, resources? }")) {
        return false;
    }
    checkLabel(problems, `${path}.name`, init.name);
    checkImage(problems, `${path}.image`, init.image);
    checkCommand(problems, `${path}.command`, init.command);
    checkCommand(problems, `${path}.args`, init.args);
    checkContainerEnv(problems, `${path}.`, init, reserved);
    checkResources(problems, `${path}.resources`, init.resources);
    return true;
}

function checkExternalStores(problems: ProblemList, value: unknown, namespace: unknown): ExternalStore[] {
    const stores: ExternalStore[] = [];
    let complete = true;
    const isList = checkList(
        problems,
        "externalStores",
        value,
        (path, store) => {
            if (store instanceof ExternalStore) {
                stores.push(store);
            } else {
                complete = false;
                problems.add(path, store, "must be an ExternalStore component");
            }
        },
        { expected: "must be a list of ExternalStore components" },
    );
    if (isList && complete && stores.length === (value as unknown[]).length) {
        problems.addAll(externalStoreWiringProblems(stores, typeof namespace === "string" ? namespace : undefined));
    }
    return stores;
}

/**
 * Refuses a variable of env, configMapEnv or secretEnv that an external store also sets
 * (`env.DB_HOSTS` beside a store with envPrefix "DB_"): the container would get the name
 * twice, and which value wins is up to the kubelet.
 */
function checkStoreEnvOverlap(problems: ProblemList, raw: Record<string, unknown>, stores: readonly ExternalStore[]): void {
    const setBy = new Map<string, string>();
    stores.forEach((store, i) => {
        for (const name of store.envNames ?? []) {
            if (!setBy.has(name)) {
                setBy.set(name, `externalStores[${i}] ("${store.storeName}")`);
            }
        }
    });
    for (const field of ["env", "configMapEnv", "secretEnv"] as const) {
        const given = raw[field];
        if (!isPlainObject(given)) {
            continue;
        }
        for (const name of Object.keys(given).sort()) {
            const store = setBy.get(name);
            if (store !== undefined) {
                problems.add(`${field}.${name}`, name, `must not also be set by ${store}, which sets ${name} from its ConfigMap or Secret: each variable comes from one place`);
            }
        }
    }
}

function checkUpdateStrategy(problems: ProblemList, strategy: unknown, replicas: number): void {
    if (strategy === undefined) {
        return;
    }
    if (!isPlainObject(strategy)) {
        checkObject(problems, "updateStrategy", strategy, ROLLING_KEYS, 'must be { type: "RollingUpdate", partition?, maxUnavailable? } or { type: "OnDelete" }');
        return;
    }
    if (strategy.type === undefined) {
        problems.add("updateStrategy.type", undefined, 'is required: "RollingUpdate" or "OnDelete"');
        return;
    }
    if (!checkOneOf(problems, "updateStrategy.type", strategy.type, ["RollingUpdate", "OnDelete"])) {
        return;
    }
    if (strategy.type === "OnDelete") {
        if (strategy.partition !== undefined || strategy.maxUnavailable !== undefined) {
            problems.add("updateStrategy", strategy, "cannot combine OnDelete with partition or maxUnavailable, which only apply to RollingUpdate");
        }
        checkObject(problems, "updateStrategy", strategy, ROLLING_KEYS);
        return;
    }
    checkObject(problems, "updateStrategy", strategy, ROLLING_KEYS);
    if (strategy.partition !== undefined && !isInteger(strategy.partition, 0, replicas)) {
        problems.add("updateStrategy.partition", strategy.partition, `must be an integer from 0 to replicas (${replicas})`);
    }
    if (strategy.maxUnavailable !== undefined && !isIntOrPercent(strategy.maxUnavailable, 1)) {
        problems.add("updateStrategy.maxUnavailable", strategy.maxUnavailable, 'must be an integer ≥ 1 or a percentage from "1%" to "100%"');
    }
}

/** The StatefulSet name a workload gets: `statefulSetName`, or the component name. */
export function statefulSetNameOf(name: string, args: Pick<StatefulWorkloadArgs, "statefulSetName">): string {
    return args.statefulSetName ?? name;
}

/**
 * Every problem with a workload's arguments (empty when they are valid): every argument
 * at every level — types, ranges, shapes, unknown fields (with a "did you mean"), nulls,
 * holes, Outputs where a plain value is needed, credentials outside Secrets — and the
 * pass-through Kubernetes types strictly against the schema. Never throws. The
 * namespace, the image and a Secret or ConfigMap name may be Outputs (left to the API
 * server); nothing else may.
 */
export function validateStatefulWorkloadArgs(name: string, args: StatefulWorkloadArgs): Problem[] {
    const problems = new ProblemList({ root: "args", redactCredentialPaths: true });
    if (isDeferred(args)) {
        return problems.add("args", args, EXPECT_CHECK.deferredArgs).problems.slice();
    }
    if (!checkObject(problems, "", args, KNOWN_KEYS, "must be an object")) {
        if (args === undefined) {
            problems.add("args", undefined, "must be an object");
        }
        return problems.problems.slice();
    }
    const raw = args as unknown as Record<string, unknown>;

    if (raw.namespace === undefined) {
        problems.add("namespace", undefined, "is required: the namespace of every object");
    } else if (!isDeferred(raw.namespace)) {
        checkLabel(problems, "namespace", raw.namespace);
    }
    if (raw.image === undefined) {
        problems.add("image", undefined, "is required: the container image");
    } else {
        checkImage(problems, "image", raw.image);
    }
    const stsName = raw.statefulSetName === undefined ? name : raw.statefulSetName;
    if (typeof stsName !== "string" || stsName.length > MAX_STATEFUL_SET_NAME || !STATEFUL_SET_NAME.test(stsName)) {
        problems.add("statefulSetName", stsName, raw.statefulSetName === undefined ? `${EXPECT_STS_NAME}; it defaults to the component name, so set it explicitly` : EXPECT_STS_NAME);
    }
    if (raw.containerName !== undefined) {
        checkLabel(problems, "containerName", raw.containerName);
    }
    checkInteger(problems, "replicas", raw.replicas, { min: 0, max: MAX_REPLICAS });
    const replicas = isInteger(raw.replicas, 0, MAX_REPLICAS) ? raw.replicas : DEFAULT_REPLICAS;
    checkCommand(problems, "command", raw.command);
    checkCommand(problems, "args", raw.args);

    checkOrdinal(problems, raw.ordinalEnvVar);
    const ordinal = resolveOrdinal(raw.ordinalEnvVar);
    const shifted = ordinal !== undefined && ordinal.offset !== 0;
    const reservedEnv = ordinal ? [...RESERVED_ENV, ordinal.name] : RESERVED_ENV;
    validatePodArgs(problems, raw, { replicas: raw.replicas === undefined || isInteger(raw.replicas, 0, MAX_REPLICAS) ? replicas : undefined, reservedEnv });
    const stores = checkExternalStores(problems, raw.externalStores, raw.namespace);
    checkStoreEnvOverlap(problems, raw, stores);

    const volumeNames = new Set<unknown>();
    const mountPaths = new Set<unknown>();
    checkList(
        problems,
        "volumes",
        raw.volumes,
        (path, volume) => {
            if (!checkVolume(problems, path, volume)) {
                return;
            }
            if (shifted && volume.name === ORDINAL_INIT_CONTAINER) {
                problems.add(`${path}.name`, volume.name, `must not be "${ORDINAL_INIT_CONTAINER}", the volume that holds the ordinal file`);
            } else if (typeof volume.name === "string" && volumeNames.has(volume.name)) {
                problems.add(`${path}.name`, volume.name, "must be unique among the volumes");
            }
            volumeNames.add(volume.name);
            if (typeof volume.mountPath === "string" && mountPaths.has(volume.mountPath)) {
                problems.add(`${path}.mountPath`, volume.mountPath, "must be unique among the volumes");
            }
            mountPaths.add(volume.mountPath);
            if (shifted && typeof volume.mountPath === "string" && dirname(ordinal.file) === volume.mountPath.replace(/\/+$/, "")) {
                problems.add(`${path}.mountPath`, volume.mountPath, `must not be the directory of ordinalEnvVar.file (${ordinal.file}), which gets its own emptyDir`);
            } else if (
                shifted &&
                typeof volume.mountPath === "string" &&
                volume.mountPath.startsWith("/") &&
                ordinal.file.startsWith("/") &&
                dirname(ordinal.file) !== "/" &&
                pathsOverlap(dirname(ordinal.file), volume.mountPath)
            ) {
                problems.add(
                    `${path}.mountPath`,
                    volume.mountPath,
                    `must not be a parent or a child of the directory of ordinalEnvVar.file (${dirname(ordinal.file)}), which gets its own emptyDir: one mount would hide the other's files`,
                );
            }
        },
        { expected: "must be a list of { name, mountPath, size, storageClass, accessModes?, volumeAttributesClass? }" },
    );

    checkOneOf(problems, "podManagementPolicy", raw.podManagementPolicy, ["OrderedReady", "Parallel"]);
    checkUpdateStrategy(problems, raw.updateStrategy, replicas);
    checkInteger(problems, "minReadySeconds", raw.minReadySeconds, { min: 0, max: INT32_MAX });
    if (checkObject(problems, "pvcRetention", raw.pvcRetention, ["whenDeleted", "whenScaled"], "must be { whenDeleted?, whenScaled? }")) {
        const retention = raw.pvcRetention as Record<string, unknown>;
        checkOneOf(problems, "pvcRetention.whenDeleted", retention.whenDeleted, RETENTION);
        checkOneOf(problems, "pvcRetention.whenScaled", retention.whenScaled, RETENTION);
    }

    const mainContainer = typeof raw.containerName === "string" ? raw.containerName : stsName;
    const containerNames = new Set<unknown>([mainContainer]);
    if (shifted) {
        containerNames.add(ORDINAL_INIT_CONTAINER);
    }
    stores.forEach((s) => containerNames.add(waitForStoreContainerName(s.storeName)));
    checkList(
        problems,
        "initContainers",
        raw.initContainers,
        (path, init) => {
            if (!checkInitContainer(problems, path, init, reservedEnv)) {
                return;
            }
            if (containerNames.has(init.name)) {
                problems.add(
                    `${path}.name`,
                    init.name,
                    "must be unique among the pod's containers (the main container, the ordinal writer, the wait-for-store containers and the other init containers)",
                );
            }
            containerNames.add(init.name);
        },
        { expected: "must be a list of init containers" },
    );
    checkBoolean(problems, "clientService", raw.clientService);
    if (raw.clusterDomain !== undefined) {
        checkSubdomain(problems, "clusterDomain", raw.clusterDomain);
    }
    const validName = typeof stsName === "string" && stsName.length <= MAX_STATEFUL_SET_NAME && STATEFUL_SET_NAME.test(stsName) ? stsName : undefined;
    checkSnapshotsAndRestore(problems, raw, { replicas: isInteger(raw.replicas ?? DEFAULT_REPLICAS, 0, MAX_REPLICAS) ? replicas : undefined, statefulSetName: validName });
    return problems.problems.slice();
}
