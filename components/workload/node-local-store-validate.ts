import { EXPECT, isDns1123Label, isDns1123Subdomain, isEnvVarName, isIanaServiceName, isPort } from "../common/kubernetes";
import { Problem, ProblemList } from "../common/validation";
import { isImage } from "./container-checks";
import { checkContainerEnv, ConfigMapKeyEnv, SecretKeyEnv } from "./container-env";
import {
    HOST_PATH_PREFIXES,
    NODE_LOCAL_PORT_FIELDS,
    NODE_LOCAL_STORE_ARGS,
    NODE_LOCAL_TOLERATION_FIELDS,
} from "./node-local-store-args";
import {
    addProblem,
    checkBoolean,
    checkInteger,
    checkMountPath,
    checkOneOf,
    checkQuantity,
    checkStringList,
    INT32_MAX,
    isComputed,
    isCredentialName,
    isCredentialValue,
    isPlainObject,
    keyPath,
    ownValue,
    readList,
    readObject,
    readRecord,
} from "./node-local-store-checks";

/** The variables every store container gets from the downward API; `env` cannot reuse them. */
export const NODE_LOCAL_RESERVED_ENV: readonly string[] = ["POD_NAME", "POD_NAMESPACE", "NODE_NAME"];
/** Longest component name: the headless Service `<name>-peers` must be a 63-character label. */
export const NODE_LOCAL_MAX_NAME = 57;

const TI = 2 ** 40;
const MAX_CORES = 1024;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?)$/;
const SECRET_REF_FIELDS = ["secretName", "key", "optional"] as const;
const CONFIG_MAP_REF_FIELDS = ["configMapName", "key", "optional"] as const;

const EXPECT_HOST_PATH = `must be a directory below one of ${HOST_PATH_PREFIXES.join(", ")}: anywhere else holds the node's own files, which the store's root init container would hand to the store's user`;
const EXPECT_SELECTOR = 'is required: at least one node label, so the store\'s data stays on nodes you chose (such as { "stateful-stacks.io/storage": "local" })';

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

/**
 * The normal form of an absolute path: `.` and empty parts dropped, `..` resolved (never
 * above "/"), no trailing "/". Undefined for anything but an absolute path.
 */
export function normaliseHostPath(path: unknown): string | undefined {
    if (typeof path !== "string" || !path.startsWith("/") || path.length > 4096) {
        return undefined;
    }
    const parts: string[] = [];
    for (const part of path.split("/")) {
        if (part === "..") {
            parts.pop();
        } else if (part !== "" && part !== ".") {
            parts.push(part);
        }
    }
    return `/${parts.join("/")}`;
}

/** True when a normalised host path lies strictly below one of {@link HOST_PATH_PREFIXES}. */
function isBelowAllowedPrefix(normal: string): boolean {
    return HOST_PATH_PREFIXES.some((prefix) => normal.startsWith(prefix) && normal.length > prefix.length);
}

/**
 * True when a store must not keep its data in `path`: once normalised, it is not strictly
 * below one of {@link HOST_PATH_PREFIXES} (the node's own directories, `/proc`, `/dev`,
 * `/sys`, `/etc`, `/var/lib/kubelet`, home directories, …), or it is not an absolute path.
 */
export function isSystemHostPath(path: string): boolean {
    const normal = normaliseHostPath(path);
    return normal === undefined || !isBelowAllowedPrefix(normal);
}

function checkHostPath(problems: ProblemList, value: unknown): void {
    if (value === undefined) {
        return;
    }
    const normal = normaliseHostPath(value);
    if (normal === undefined) {
        addProblem(problems, "hostPath", value, 'must be an absolute path such as "/mnt/disks/ssd0/<name>"');
    } else if (/[\s\u0000-\u001f\u007f:]/.test(normal)) {
        addProblem(problems, "hostPath", value, "must be a path without whitespace, control characters or ':'");
    } else if (!isBelowAllowedPrefix(normal)) {
        addProblem(problems, "hostPath", value, normal === value ? EXPECT_HOST_PATH : `${EXPECT_HOST_PATH}; it resolves to "${normal}"`);
    }
}

const EXPECT_LIST_ENV = 'must map variable names to values, such as { MINIO_REGION: "eu-west-1" }: the list form [{ name, value }] is deprecated and refused; write each entry as NAME: "value"';

/**
 * Literal variables: a record like StatefulWorkload's `env`, plain strings only, no
 * credential-looking names or values. Returns the names it sets (to the field that sets
 * them), for the duplicate checks of `secretEnv` and `configMapEnv`.
 */
function checkEnv(problems: ProblemList, value: unknown): Map<string, string> {
    const names = new Map<string, string>();
    if (value === undefined) {
        return names;
    }
    if (Array.isArray(value)) {
        // Never rendered: the entries' values may be credentials.
        problems.addAll([{ expected: EXPECT_LIST_ENV, path: "env", value: `a list of ${value.length} ${value.length === 1 ? "entry" : "entries"}` }]);
        return names;
    }
    for (const [name, entry] of readRecord(problems, "env", value, "must be an object mapping variable names to plain string values") ?? []) {
        const path = keyPath("env", name);
        if (!isEnvVarName(name)) {
            addProblem(problems, path, name, EXPECT.envVarName);
        } else if (NODE_LOCAL_RESERVED_ENV.includes(name)) {
            addProblem(problems, path, name, `must not be one of the variables the workload sets itself (${NODE_LOCAL_RESERVED_ENV.join(", ")})`);
        }
        names.set(name, "env");
        const fromSecret = `reference one with secretEnv.${name}: { secretName, key }`;
        if (isComputed(entry)) {
            addProblem(problems, path, entry, `must be a plain string: an Output may hold a secret, and a secret never reaches a pod spec; ${fromSecret}`);
        } else if (isCredentialName(name)) {
            problems.addSecret(path, `must not be a literal value: ${name} names a credential, and credentials live only in Secrets; ${fromSecret}`);
        } else if (typeof entry !== "string") {
            addProblem(problems, path, entry, "must be a string");
        } else if (isCredentialValue(entry)) {
            problems.addSecret(path, `must not be a literal value: it carries a credential (a connection string with userinfo or password=), and credentials live only in Secrets; ${fromSecret}`);
        }
    }
    return names;
}

/**
 * The references of `secretEnv` or `configMapEnv` that are objects of known fields, for
 * the shared reference and duplicate checks; the others are reported here.
 */
function readReferences(problems: ProblemList, field: "secretEnv" | "configMapEnv", value: unknown): Record<string, Record<string, unknown>> | undefined {
    if (value === undefined) {
        return undefined;
    }
    const known = field === "secretEnv" ? SECRET_REF_FIELDS : CONFIG_MAP_REF_FIELDS;
    const shape = `{ ${known[0]}, key, optional? }`;
    const refs: Record<string, Record<string, unknown>> = {};
    for (const [name, ref] of readRecord(problems, field, value, `must be an object mapping variable names to ${shape}`) ?? []) {
        const what = `field of a ${field === "secretEnv" ? "Secret" : "ConfigMap"} reference`;
        const path = keyPath(field, name);
        const fields = readObject(problems, path, ref, known, what, `must be ${shape}`, path, isCredentialName(name));
        if (fields !== undefined) {
            refs[name] = fields;
        }
    }
    return refs;
}

function checkPorts(problems: ProblemList, value: unknown): void {
    if (value === undefined) {
        return;
    }
    const names = new Set<string>();
    const numbers = new Set<number>();
    for (const entry of readList(problems, "ports", value, "must be a list of { name, port }") ?? []) {
        const port = readObject(problems, entry.path, entry.value, NODE_LOCAL_PORT_FIELDS, "field of a port", "must be { name, port }");
        if (port === undefined) {
            continue;
        }
        if (typeof port.name !== "string" || !isIanaServiceName(port.name)) {
            addProblem(problems, `${entry.path}.name`, port.name, EXPECT.portName);
        } else if (names.has(port.name)) {
            addProblem(problems, `${entry.path}.name`, port.name, "must be unique among ports");
        } else {
            names.add(port.name);
        }
        if (!isPort(port.port)) {
            addProblem(problems, `${entry.path}.port`, port.port, EXPECT.port);
        } else if (numbers.has(port.port)) {
            addProblem(problems, `${entry.path}.port`, port.port, `must be unique among ports: the headless Service cannot expose ${port.port} twice`);
        } else {
            numbers.add(port.port);
        }
    }
}

function checkNodeSelector(problems: ProblemList, selector: unknown): void {
    if (isComputed(selector)) {
        addProblem(problems, "nodeSelector", selector, "must be known at construction: an object of node labels, not an Output or a Promise");
        return;
    }
    if (!isPlainObject(selector) || Object.keys(selector).length === 0) {
        addProblem(problems, "nodeSelector", selector, EXPECT_SELECTOR);
        return;
    }
    for (const key of Object.keys(selector).sort()) {
        if (!isLabelKey(key)) {
            addProblem(problems, keyPath("nodeSelector", key), key, "key must be a label key: an optional DNS subdomain and '/', then at most 63 letters, digits, '-', '_' and '.'");
        }
        const value = ownValue(selector, key);
        if (!isLabelValue(value)) {
            addProblem(problems, keyPath("nodeSelector", key), value, "must be a label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }
    }
}

function checkToleration(problems: ProblemList, path: string, value: unknown): void {
    const t = readObject(problems, path, value, NODE_LOCAL_TOLERATION_FIELDS, "field of a toleration", "must be { key?, operator?, value?, effect?, tolerationSeconds? }");
    if (t === undefined) {
        return;
    }
    const operator = t.operator ?? "Equal";
    if (operator !== "Equal" && operator !== "Exists") {
        addProblem(problems, `${path}.operator`, t.operator, `must be "Equal" or "Exists"`);
    }
    if (t.key !== undefined && t.key !== "" && !isLabelKey(t.key)) {
        addProblem(problems, `${path}.key`, t.key, "must be a taint key: an optional DNS subdomain and '/', then at most 63 letters, digits, '-', '_' and '.'");
    }
    if ((t.key === undefined || t.key === "") && operator !== "Exists") {
        addProblem(problems, `${path}.key`, t.key, `is required unless operator is "Exists"`);
    }
    if (operator === "Exists" && t.value !== undefined && t.value !== "") {
        addProblem(problems, `${path}.value`, t.value, `must be empty when operator is "Exists"`);
    } else if (t.value !== undefined && !isLabelValue(t.value)) {
        addProblem(problems, `${path}.value`, t.value, "must be a taint value: at most 63 letters, digits, '-', '_' and '.'");
    }
    const effect = checkOneOf(problems, `${path}.effect`, t.effect, ["NoSchedule", "PreferNoSchedule", "NoExecute"]);
    const seconds = checkInteger(problems, `${path}.tolerationSeconds`, t.tolerationSeconds, 0, INT32_MAX, `must be an integer from 0 to ${INT32_MAX}`);
    if (seconds !== undefined && effect !== "NoExecute") {
        addProblem(problems, `${path}.tolerationSeconds`, seconds, `can only be given with effect "NoExecute"`);
    }
}

function checkLocalStorageClass(problems: ProblemList, value: unknown): void {
    if (value === undefined || typeof value === "boolean") {
        return;
    }
    const sc = readObject(problems, "localStorageClass", value, ["storageClassName"], "field of localStorageClass", "must be true, false or { storageClassName }");
    if (sc?.storageClassName !== undefined && (typeof sc.storageClassName !== "string" || !isDns1123Subdomain(sc.storageClassName))) {
        addProblem(problems, "localStorageClass.storageClassName", sc.storageClassName, EXPECT.dns1123Subdomain);
    }
}

/**
 * Checks every argument of a NodeLocalStore named `name` and returns every problem found
 * (empty when they are valid). Total: any value of any type gives problems, never a TypeError.
 */
export function validateNodeLocalStoreArgs(name: string, args: unknown): Problem[] {
    const problems = new ProblemList();
    if (typeof name !== "string" || !isDns1123Label(name) || !/^[a-z]/.test(name) || name.length > NODE_LOCAL_MAX_NAME) {
        addProblem(
            problems,
            "name",
            name,
            `must be a DNS-1035 label of at most ${NODE_LOCAL_MAX_NAME} characters (the Service is "<name>-peers"): lower-case letters, digits and '-', starting with a letter and ending with a letter or digit`,
        );
    }
    const a = readObject(problems, "args", args, NODE_LOCAL_STORE_ARGS, "argument of NodeLocalStore", "must be an object", "");
    if (a === undefined) {
        return [...problems.problems];
    }
    if (typeof a.namespace !== "string" || !isDns1123Label(a.namespace)) {
        addProblem(problems, "namespace", a.namespace, EXPECT.dns1123Label);
    }
    if (!isImage(a.image)) {
        addProblem(problems, "image", a.image, 'must be a container image reference such as "nginx:1.27"');
    }
    if (a.command !== undefined) {
        checkStringList(problems, "command", a.command);
    }
    if (a.args !== undefined) {
        checkStringList(problems, "args", a.args);
    }
    const envNames = checkEnv(problems, a.env);
    const references = {
        configMapEnv: readReferences(problems, "configMapEnv", a.configMapEnv) as Record<string, ConfigMapKeyEnv> | undefined,
        secretEnv: readReferences(problems, "secretEnv", a.secretEnv) as Record<string, SecretKeyEnv> | undefined,
    };
    checkContainerEnv(problems, "", references, NODE_LOCAL_RESERVED_ENV, envNames);
    checkPorts(problems, a.ports);
    checkNodeSelector(problems, a.nodeSelector);
    checkHostPath(problems, a.hostPath);
    checkMountPath(problems, "mountPath", a.mountPath);
    if (a.tolerations !== undefined) {
        for (const entry of readList(problems, "tolerations", a.tolerations, "must be a list of tolerations") ?? []) {
            checkToleration(problems, entry.path, entry.value);
        }
    }
    checkQuantity(problems, "memory", a.memory, EXPECT.quantity, TI, '"1Ti"');
    checkQuantity(problems, "cpu", a.cpu, 'must be a CPU quantity such as "100m" or "0.5"', MAX_CORES, `"${MAX_CORES}" cores`);
    checkBoolean(problems, "prepareHostPath", a.prepareHostPath);
    checkLocalStorageClass(problems, a.localStorageClass);
    checkBoolean(problems, "skipAwait", a.skipAwait);
    return [...problems.problems];
}
