import { EXPECT, isDns1123Label, isIanaServiceName, isPort } from "../common/kubernetes";
import { Problem, ProblemList } from "../common/validation";
import { isImage } from "./container-checks";
import { addProblem, checkBoolean, checkInteger, checkMountPath, checkOneOf, checkQuantity, checkStringList, INT32_MAX, readObject } from "./node-local-store-checks";
import { CACHE_ENGINE_PRESETS, CACHE_MEMORY_VOLUME_FIELDS, CacheEngine, REPLICATED_CACHE_ARGS } from "./replicated-cache-args";
import { CACHE_DEFAULTS } from "./replicated-cache-render";

/** Most replicas a cache takes: each needs a node of its own. */
export const CACHE_MAX_REPLICAS = 1000;
const TI = 2 ** 40;
const MAX_CORES = 1024;
const ENGINES = Object.keys(CACHE_ENGINE_PRESETS) as CacheEngine[];
const SPREAD_MODES = ["preferred", "required", "none"] as const;
const EXPECT_CPU = 'must be a CPU quantity such as "100m" or "0.5"';
const EXPECT_NAME = "must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit";

/**
 * Checks every argument of a ReplicatedCache named `name` and returns every problem found
 * (empty when they are valid). Total: any value of any type gives problems, never a TypeError.
 */
export function validateReplicatedCacheArgs(name: string, args: unknown): Problem[] {
    const problems = new ProblemList();
    if (typeof name !== "string" || !isDns1123Label(name) || !/^[a-z]/.test(name)) {
        addProblem(problems, "name", name, EXPECT_NAME);
    }
    const a = readObject(problems, "args", args, REPLICATED_CACHE_ARGS, "argument of ReplicatedCache", "must be an object", "");
    if (a === undefined) {
        return [...problems.problems];
    }
    if (typeof a.namespace !== "string" || !isDns1123Label(a.namespace)) {
        addProblem(problems, "namespace", a.namespace, EXPECT.dns1123Label);
    }
    checkOneOf(problems, "engine", a.engine, ENGINES);
    if (a.image !== undefined && !isImage(a.image)) {
        addProblem(problems, "image", a.image, 'must be a container image reference such as "memcached:1.6.39-alpine"');
    }
    const replicasExpected = `must be an integer from 2 to ${CACHE_MAX_REPLICAS}: a replicated cache needs at least two replicas on different nodes`;
    const replicas = a.replicas === undefined ? CACHE_DEFAULTS.replicas : checkInteger(problems, "replicas", a.replicas, 2, CACHE_MAX_REPLICAS, replicasExpected);
    if (a.port !== undefined && !isPort(a.port)) {
        addProblem(problems, "port", a.port, EXPECT.port);
    }
    if (a.portName !== undefined && (typeof a.portName !== "string" || !isIanaServiceName(a.portName))) {
        addProblem(problems, "portName", a.portName, EXPECT.portName);
    }
    if (a.args !== undefined) {
        checkStringList(problems, "args", a.args);
    }
    const memory = a.memory ?? CACHE_DEFAULTS.memory;
    const memoryBytes = checkQuantity(problems, "memory", memory, EXPECT.quantity, TI, '"1Ti"');
    checkQuantity(problems, "cpu", a.cpu, EXPECT_CPU, MAX_CORES, `"${MAX_CORES}" cores`);
    if (a.memoryVolume !== undefined) {
        const volume = readObject(problems, "memoryVolume", a.memoryVolume, CACHE_MEMORY_VOLUME_FIELDS, "field of memoryVolume", "must be { sizeLimit, mountPath? }");
        if (volume !== undefined) {
            checkMountPath(problems, "memoryVolume.mountPath", volume.mountPath);
            if (volume.sizeLimit === undefined) {
                addProblem(problems, "memoryVolume.sizeLimit", undefined, `is required: ${EXPECT.quantity.replace(/^must be /, "")} no larger than memory`);
            }
            const size = checkQuantity(problems, "memoryVolume.sizeLimit", volume.sizeLimit, EXPECT.quantity, TI, '"1Ti"');
            if (size !== undefined && memoryBytes !== undefined && size > memoryBytes) {
                addProblem(problems, "memoryVolume.sizeLimit", volume.sizeLimit, `must not exceed memory (${memory}): a memory-backed volume counts against the container's memory limit`);
            }
        }
    }
    checkOneOf(problems, "zoneSpread", a.zoneSpread, SPREAD_MODES);
    const maxUnavailable = checkInteger(problems, "maxUnavailable", a.maxUnavailable, 1, INT32_MAX, "must be a positive integer");
    if (maxUnavailable !== undefined && replicas !== undefined && maxUnavailable >= replicas) {
        addProblem(problems, "maxUnavailable", maxUnavailable, `must be less than replicas (${replicas}), so a drain never takes the whole cache down`);
    }
    checkBoolean(problems, "skipAwait", a.skipAwait);
    return [...problems.problems];
}
