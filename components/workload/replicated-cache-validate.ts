import { checkImage, checkMountPath, checkObject, checkOneOf, checkPlain, checkRequired, EXPECT_CHECK, INT32_MAX, isDeferred, isInteger, isOneOf, isPlainObject, snapshotArgs } from "../common/checks";
import { containsCredential } from "../common/credentials";
import { checkLabel, checkPositiveQuantity, EXPECT, isDns1123Label, isIanaServiceName, isPort, parseQuantity } from "../common/kubernetes";
import { Problem, ProblemList } from "../common/validation";
import { checkCommand, POD_ARG_KEYS, validatePodArgs } from "./pod-args";
import { CACHE_ENGINE_PRESETS, CACHE_MEMORY_VOLUME_FIELDS, CacheEngine, REPLICATED_CACHE_OWN_ARGS } from "./replicated-cache-args";
import { CACHE_DEFAULTS } from "./replicated-cache-render";

/** Most replicas a cache takes: each needs a node of its own. */
export const CACHE_MAX_REPLICAS = 1000;
/** Largest memory of a replica (and of its memory volume), in bytes, and how it reads. */
const MAX_MEMORY = { bytes: 2 ** 40, text: '"1Ti"' };
/** Largest CPU request of a replica, in cores, and how it reads. */
const MAX_CPU = { cores: 1024, text: '"1024" cores' };
const ENGINES = Object.keys(CACHE_ENGINE_PRESETS) as CacheEngine[];
const SPREAD_MODES = ["preferred", "required", "none"] as const;
const EXPECT_CPU = 'must be a CPU quantity such as "100m" or "0.5"';
const EXPECT_NAME = "must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit";
const EXPECT_REPLICAS = `must be an integer from 2 to ${CACHE_MAX_REPLICAS}: a replicated cache needs at least two replicas on different nodes`;

/**
 * Checks a positive quantity and its upper bound (a quantity such as "1e400" parses to
 * Infinity); returns its value when valid.
 */
export function checkBoundedQuantity(problems: ProblemList, path: string, value: unknown, expected: string, max: number, maxText: string): number | undefined {
    const parsed = checkPositiveQuantity(problems, path, value, expected);
    if (parsed !== undefined && parsed > max) {
        problems.add(path, value, `must be at most ${maxText}`);
        return undefined;
    }
    return parsed;
}

/**
 * Checks an image given as a plain string (an Output could be a secret, and the image is
 * rendered into the pod spec), never with a password in it (a registry URL with userinfo).
 */
export function checkPlainImage(problems: ProblemList, image: unknown): void {
    if (!checkPlain(problems, "image", image)) {
        return;
    }
    if (containsCredential(image)) {
        problems.addSecret("image", "must not hold a password (a URL's user:password@): registry credentials belong in an image pull Secret");
        return;
    }
    checkImage(problems, "image", image);
}

/** Deepest nesting {@link checkNoDeferred} walks (no Kubernetes type nests deeper; the schema check refuses deeper values). */
const MAX_SCAN_DEPTH = 32;

/**
 * Refuses every Output or Promise in a value that is rendered into the pod spec as it is
 * (probes, resources, security contexts, tolerations): whether an Output is secret is
 * only known after the spec is sent, and a secret must never be rendered there.
 */
export function checkNoDeferred(problems: ProblemList, path: string, value: unknown, depth = 0, ancestors: Set<object> = new Set()): void {
    if (isDeferred(value)) {
        problems.add(path, value, `${EXPECT_CHECK.deferred}: it is rendered into the pod spec, where a secret must never be`);
        return;
    }
    if (value === null || typeof value !== "object" || depth >= MAX_SCAN_DEPTH || ancestors.has(value)) {
        return;
    }
    ancestors.add(value);
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            if (i in value) {
                checkNoDeferred(problems, `${path}[${i}]`, value[i], depth + 1, ancestors);
            }
        }
    } else if (isPlainObject(value)) {
        for (const key of Object.keys(value)) {
            checkNoDeferred(problems, `${path}.${key}`, value[key], depth + 1, ancestors);
        }
    }
    ancestors.delete(value);
}

/**
 * `secretEnv` and `configMapEnv` with every entry that is not a reference object refused
 * without being shown (a value typed where a reference belongs is most likely the secret
 * itself) and left out, for the shared checks of the rest.
 */
export function withoutPlainReferences(problems: ProblemList, args: Record<string, unknown>): Record<string, unknown> {
    const copy: Record<string, unknown> = { ...args };
    for (const field of ["secretEnv", "configMapEnv"] as const) {
        const refs = args[field];
        if (!isPlainObject(refs)) {
            continue;
        }
        const kept: Record<string, unknown> = {};
        for (const name of Object.keys(refs).sort()) {
            const ref = refs[name];
            if (ref !== undefined && !isPlainObject(ref) && !isDeferred(ref)) {
                problems.addSecret(`${field}.${name}`, `must be { ${field === "secretEnv" ? "secretName" : "configMapName"}, key, optional? }`);
            } else {
                kept[name] = ref;
            }
        }
        copy[field] = kept;
    }
    return copy;
}

/** The arguments rendered into the pod spec as given, where no Output may hide a secret. */
const PASSED_THROUGH = ["resources", "livenessProbe", "readinessProbe", "startupProbe", "securityContext", "tolerations"] as const;
/** Every key a ReplicatedCache accepts. */
const KNOWN_ARGS: readonly string[] = [...REPLICATED_CACHE_OWN_ARGS, ...POD_ARG_KEYS.filter((key) => key !== "ports")];

/** The cache's spread and disruption budget beyond the shared checks: hosts always apart, a budget below the replica count. */
function checkCacheScheduling(problems: ProblemList, a: Record<string, unknown>, replicas: number | undefined): void {
    const spread = a.spread;
    if (isPlainObject(spread)) {
        if (spread.zones !== undefined && a.zoneSpread !== undefined) {
            problems.add("zoneSpread", a.zoneSpread, "cannot be combined with spread.zones; give only spread.zones");
        }
        if (isOneOf(spread.hosts, SPREAD_MODES) && spread.hosts !== "required") {
            problems.add("spread.hosts", spread.hosts, 'must be "required": a replicated cache never runs two replicas on one node');
        }
    }
    const budget = a.disruptionBudget;
    if (budget === false) {
        problems.add("disruptionBudget", budget, "must be an object with maxUnavailable or minAvailable: a replicated cache always has a PodDisruptionBudget");
        return;
    }
    if (!isPlainObject(budget)) {
        return;
    }
    if (a.maxUnavailable !== undefined) {
        problems.add("maxUnavailable", a.maxUnavailable, "cannot be combined with disruptionBudget; give only disruptionBudget.maxUnavailable");
    }
    for (const key of ["maxUnavailable", "minAvailable"] as const) {
        const limit = budget[key];
        if (limit === "100%" || (replicas !== undefined && isInteger(limit) && limit >= replicas)) {
            const why = key === "maxUnavailable" ? "so a drain never takes the whole cache down" : "or no node could ever be drained";
            problems.add(`disruptionBudget.${key}`, limit, `must be less than replicas (${replicas ?? "100%"}), ${why}`);
        }
    }
}

/**
 * Checks every argument of a ReplicatedCache named `name` and returns every problem found
 * (empty when they are valid). Total: any value of any type gives problems, never a TypeError.
 */
export function validateReplicatedCacheArgs(name: string, args: unknown): Problem[] {
    const problems = new ProblemList({ redactCredentialPaths: true });
    if (typeof name !== "string" || !isDns1123Label(name) || !/^[a-z]/.test(name)) {
        problems.add("name", name, EXPECT_NAME);
    }
    if (isDeferred(args)) {
        return problems.add("args", args, EXPECT_CHECK.deferredArgs).problems.slice();
    }
    if (!isPlainObject(args)) {
        return problems.add("args", args, EXPECT_CHECK.object).problems.slice();
    }
    // One plain copy: a getter is read once, and one that throws is a problem at its path.
    const snapshot = snapshotArgs(args);
    problems.addAll(snapshot.problems.problems);
    const a = snapshot.args;
    checkObject(problems, "", a, KNOWN_ARGS);
    if (checkRequired(problems, "namespace", a.namespace, "the namespace of the Deployment, Service and PodDisruptionBudget")) {
        checkLabel(problems, "namespace", a.namespace);
    }
    checkOneOf(problems, "engine", a.engine, ENGINES);
    checkPlainImage(problems, a.image);
    let replicas: number | undefined = CACHE_DEFAULTS.replicas;
    if (a.replicas !== undefined) {
        replicas = isInteger(a.replicas, 2, CACHE_MAX_REPLICAS) ? a.replicas : undefined;
        if (replicas === undefined) {
            problems.add("replicas", a.replicas, EXPECT_REPLICAS);
        }
    }
    if (a.port !== undefined && !isPort(a.port)) {
        problems.add("port", a.port, EXPECT.port);
    }
    if (a.portName !== undefined && (typeof a.portName !== "string" || !isIanaServiceName(a.portName))) {
        problems.add("portName", a.portName, EXPECT.portName);
    }
    checkCommand(problems, "args", a.args);
    const limitsMemory = isPlainObject(a.resources) && isPlainObject(a.resources.limits) ? a.resources.limits.memory : undefined;
    const memory = a.memory ?? (typeof limitsMemory === "string" ? limitsMemory : CACHE_DEFAULTS.memory);
    let memoryBytes: number | undefined;
    if (a.memory === undefined && typeof limitsMemory === "string") {
        // Its form is the shared resources check's; its bound is the cache's.
        const parsed = parseQuantity(limitsMemory);
        memoryBytes = parsed !== undefined && parsed > 0 && parsed <= MAX_MEMORY.bytes ? parsed : undefined;
        if (parsed !== undefined && parsed > MAX_MEMORY.bytes) {
            problems.add("resources.limits.memory", limitsMemory, `must be at most ${MAX_MEMORY.text}`);
        }
    } else {
        memoryBytes = checkBoundedQuantity(problems, "memory", memory, EXPECT.quantity, MAX_MEMORY.bytes, MAX_MEMORY.text);
    }
    checkBoundedQuantity(problems, "cpu", a.cpu, EXPECT_CPU, MAX_CPU.cores, MAX_CPU.text);
    if (checkObject(problems, "memoryVolume", a.memoryVolume, CACHE_MEMORY_VOLUME_FIELDS, "must be { sizeLimit, mountPath? }")) {
        const volume = a.memoryVolume as Record<string, unknown>;
        checkMountPath(problems, "memoryVolume.mountPath", volume.mountPath);
        if (checkRequired(problems, "memoryVolume.sizeLimit", volume.sizeLimit, "the largest size of the volume, no larger than memory")) {
            const size = checkBoundedQuantity(problems, "memoryVolume.sizeLimit", volume.sizeLimit, EXPECT.quantity, MAX_MEMORY.bytes, MAX_MEMORY.text);
            if (size !== undefined && memoryBytes !== undefined && size > memoryBytes) {
                problems.add("memoryVolume.sizeLimit", volume.sizeLimit, `must not exceed memory (${memory}): a memory-backed volume counts against the container's memory limit`);
            }
        }
    }
    checkOneOf(problems, "zoneSpread", a.zoneSpread, SPREAD_MODES);
    checkCacheScheduling(problems, a, replicas);
    for (const key of ["memory", "cpu"] as const) {
        if (a[key] !== undefined && a.resources !== undefined) {
            problems.add(key, a[key], "cannot be combined with resources: give it in resources.limits and resources.requests instead");
        }
    }
    const limits = isPlainObject(a.resources) ? a.resources.limits : undefined;
    if (isPlainObject(a.resources) && !(isPlainObject(limits) && typeof limits.memory === "string")) {
        problems.add("resources.limits.memory", isPlainObject(limits) ? limits.memory : undefined, "is required with resources: the engine is sized to 90% of the memory limit");
    }
    const pod = withoutPlainReferences(problems, a);
    for (const field of PASSED_THROUGH) {
        const before = problems.size;
        checkNoDeferred(problems, field, a[field]);
        if (problems.size > before) {
            pod[field] = undefined;
        }
    }
    const portName = a.portName ?? CACHE_ENGINE_PRESETS[isOneOf(a.engine, ENGINES) ? a.engine : CACHE_DEFAULTS.engine].portName;
    const port = a.port ?? CACHE_ENGINE_PRESETS[isOneOf(a.engine, ENGINES) ? a.engine : CACHE_DEFAULTS.engine].port;
    const validPort = isPort(port) && typeof portName === "string" && isIanaServiceName(portName);
    validatePodArgs(
        problems,
        { ...pod, disruptionBudget: a.disruptionBudget === false ? undefined : a.disruptionBudget, ports: validPort ? [{ name: portName, port }] : undefined },
        { portsRequired: false, reservedEnv: [] },
    );
    if (a.maxUnavailable !== undefined) {
        if (!isInteger(a.maxUnavailable, 1, INT32_MAX)) {
            problems.add("maxUnavailable", a.maxUnavailable, "must be a positive integer");
        } else if (replicas !== undefined && a.maxUnavailable >= replicas) {
            problems.add("maxUnavailable", a.maxUnavailable, `must be less than replicas (${replicas}), so a drain never takes the whole cache down`);
        }
    }
    return problems.problems.slice();
}
