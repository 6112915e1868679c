import { checkMountPath, checkObject, checkOneOf, checkPlainImage, checkRequired, INT32_MAX, isInteger, isOneOf, isPlainObject } from "../common/checks";
import { checkLabel, EXPECT, isDns1123Label, isIanaServiceName, isPort, parseQuantity } from "../common/kubernetes";
import { Problem, ProblemList } from "../common/validation";
import {
    checkCommand,
    checkContainerCpu,
    checkContainerMemory,
    checkSizingShorthands,
    MAX_CONTAINER_MEMORY,
    POD_ARG_KEYS,
    podArgsToValidate,
    snapshotWorkloadArgs,
    validatePodArgs,
} from "./pod-args";
import { CACHE_ENGINE_PRESETS, CACHE_MEMORY_VOLUME_FIELDS, CacheEngine, REPLICATED_CACHE_OWN_ARGS } from "./replicated-cache-args";
import { CACHE_DEFAULTS } from "./replicated-cache-render";

/** Most replicas a cache takes: each needs a node of its own. */
export const CACHE_MAX_REPLICAS = 1000;
const ENGINES = Object.keys(CACHE_ENGINE_PRESETS) as CacheEngine[];
const SPREAD_MODES = ["preferred", "required", "none"] as const;
const EXPECT_NAME = "must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit";
const EXPECT_REPLICAS = `must be an integer from 2 to ${CACHE_MAX_REPLICAS}: a replicated cache needs at least two replicas on different nodes`;

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
    // minAvailable (and maxUnavailable 0) is the shared rule, in validatePodArgs; a cache
    // also keeps at least one replica up through a drain.
    const limit = budget.maxUnavailable;
    if (limit === "100%" || (replicas !== undefined && isInteger(limit) && limit >= replicas)) {
        problems.add("disruptionBudget.maxUnavailable", limit, `must be less than replicas (${replicas ?? "100%"}), so a drain never takes the whole cache down`);
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
    const a = snapshotWorkloadArgs(problems, args, KNOWN_ARGS);
    if (a === undefined) {
        return problems.problems.slice();
    }
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
        memoryBytes = parsed !== undefined && parsed > 0 && parsed <= MAX_CONTAINER_MEMORY.bytes ? parsed : undefined;
        if (parsed !== undefined && parsed > MAX_CONTAINER_MEMORY.bytes) {
            problems.add("resources.limits.memory", limitsMemory, `must be at most ${MAX_CONTAINER_MEMORY.text}`);
        }
    } else {
        memoryBytes = checkContainerMemory(problems, "memory", memory);
    }
    checkContainerCpu(problems, a.cpu);
    if (checkObject(problems, "memoryVolume", a.memoryVolume, CACHE_MEMORY_VOLUME_FIELDS, "must be { sizeLimit, mountPath? }")) {
        const volume = a.memoryVolume as Record<string, unknown>;
        checkMountPath(problems, "memoryVolume.mountPath", volume.mountPath);
        if (checkRequired(problems, "memoryVolume.sizeLimit", volume.sizeLimit, "the largest size of the volume, no larger than memory")) {
            const size = checkContainerMemory(problems, "memoryVolume.sizeLimit", volume.sizeLimit);
            if (size !== undefined && memoryBytes !== undefined && size > memoryBytes) {
                problems.add("memoryVolume.sizeLimit", volume.sizeLimit, `must not exceed memory (${memory}): a memory-backed volume counts against the container's memory limit`);
            }
        }
    }
    checkOneOf(problems, "zoneSpread", a.zoneSpread, SPREAD_MODES);
    checkCacheScheduling(problems, a, replicas);
    checkSizingShorthands(problems, a);
    const limits = isPlainObject(a.resources) ? a.resources.limits : undefined;
    if (isPlainObject(a.resources) && !(isPlainObject(limits) && typeof limits.memory === "string")) {
        problems.add("resources.limits.memory", isPlainObject(limits) ? limits.memory : undefined, "is required with resources: the engine is sized to 90% of the memory limit");
    }
    const pod = podArgsToValidate(problems, a);
    const portName = a.portName ?? CACHE_ENGINE_PRESETS[isOneOf(a.engine, ENGINES) ? a.engine : CACHE_DEFAULTS.engine].portName;
    const port = a.port ?? CACHE_ENGINE_PRESETS[isOneOf(a.engine, ENGINES) ? a.engine : CACHE_DEFAULTS.engine].port;
    const validPort = isPort(port) && typeof portName === "string" && isIanaServiceName(portName);
    validatePodArgs(
        problems,
        { ...pod, disruptionBudget: a.disruptionBudget === false ? undefined : a.disruptionBudget, ports: validPort ? [{ name: portName, port }] : undefined },
        { portsRequired: false, replicas, reservedEnv: [] },
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
