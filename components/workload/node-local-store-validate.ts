import {
    checkBoolean,
    checkMountPath,
    checkObject,
    checkPlainImage,
    checkRequired,
    EXPECT_CHECK,
    isDeferred,
    isPlainObject,
} from "../common/checks";
import { checkLabel, EXPECT, isDns1123Label, isDns1123Subdomain } from "../common/kubernetes";
import { Problem, ProblemList } from "../common/validation";
import { HOST_PATH_PREFIXES, NODE_LOCAL_STORE_OWN_ARGS, NODE_LOCAL_STORE_REFUSED_POD_ARGS } from "./node-local-store-args";
import { checkCommand, checkContainerCpu, checkContainerMemory, checkSizingShorthands, POD_ARG_KEYS, podArgsToValidate, snapshotWorkloadArgs, validatePodArgs } from "./pod-args";

/** The variables every store container gets from the downward API; `env` cannot reuse them. */
export const NODE_LOCAL_RESERVED_ENV: readonly string[] = ["POD_NAME", "POD_NAMESPACE", "NODE_NAME"];
/** Longest component name: the headless Service `<name>-peers` must be a 63-character label. */
export const NODE_LOCAL_MAX_NAME = 57;

/** Every key a NodeLocalStore accepts (the refused pod arguments get a problem of their own). */
const KNOWN_ARGS: readonly string[] = [...NODE_LOCAL_STORE_OWN_ARGS, ...POD_ARG_KEYS];

const EXPECT_HOST_PATH = `must be a directory below one of ${HOST_PATH_PREFIXES.join(", ")}: anywhere else holds the node's own files, which the store's root init container would hand to the store's user`;
const EXPECT_SELECTOR = 'is required: at least one node label, so the store\'s data stays on nodes you chose (such as { "stateful-stacks.io/storage": "local" })';

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
    if (isDeferred(value)) {
        problems.add("hostPath", value, EXPECT_CHECK.deferred);
    } else if (normal === undefined) {
        problems.add("hostPath", value, 'must be an absolute path such as "/mnt/disks/ssd0/<name>"');
    } else if (/[\s\u0000-\u001f\u007f:]/.test(normal)) {
        problems.add("hostPath", value, "must be a path without whitespace, control characters or ':'");
    } else if (!isBelowAllowedPrefix(normal)) {
        problems.add("hostPath", value, normal === value ? EXPECT_HOST_PATH : `${EXPECT_HOST_PATH}; it resolves to "${normal}"`);
    }
}

const EXPECT_LIST_ENV = 'must map variable names to values, such as { MINIO_REGION: "eu-west-1" }: the list form [{ name, value }] is deprecated and refused; write each entry as NAME: "value"';

function checkNodeSelector(problems: ProblemList, selector: unknown): void {
    if (selector === undefined || (isPlainObject(selector) && Object.keys(selector).length === 0)) {
        problems.add("nodeSelector", selector, EXPECT_SELECTOR);
    }
}

/** The pod's user and group ids go into the init container's chown command: they must be plain integers. */
function checkPreparedIds(problems: ProblemList, args: Record<string, unknown>): void {
    const security = args.securityContext;
    const pod = isPlainObject(security) ? security.pod : undefined;
    if (args.prepareHostPath === false || !isPlainObject(pod)) {
        return;
    }
    for (const field of ["runAsUser", "fsGroup"]) {
        if (isDeferred(pod[field])) {
            problems.add(`securityContext.pod.${field}`, pod[field], `${EXPECT_CHECK.deferred}: the init container that prepares the host directory hands it to this id`);
        }
    }
}

function checkLocalStorageClass(problems: ProblemList, value: unknown): void {
    if (value === undefined || typeof value === "boolean") {
        return;
    }
    if (checkObject(problems, "localStorageClass", value, ["storageClassName"], "must be true, false or { storageClassName }")) {
        const name = (value as Record<string, unknown>).storageClassName;
        if (name !== undefined && (typeof name !== "string" || !isDns1123Subdomain(name))) {
            problems.add("localStorageClass.storageClassName", name, EXPECT.dns1123Subdomain);
        }
    }
}

/**
 * Checks every argument of a NodeLocalStore named `name` and returns every problem found
 * (empty when they are valid). Total: any value of any type gives problems, never a TypeError.
 */
export function validateNodeLocalStoreArgs(name: string, args: unknown): Problem[] {
    const problems = new ProblemList({ redactCredentialPaths: true });
    if (typeof name !== "string" || !isDns1123Label(name) || !/^[a-z]/.test(name) || name.length > NODE_LOCAL_MAX_NAME) {
        problems.add(
            "name",
            name,
            `must be a DNS-1035 label of at most ${NODE_LOCAL_MAX_NAME} characters (the Service is "<name>-peers"): lower-case letters, digits and '-', starting with a letter and ending with a letter or digit`,
        );
    }
    const a = snapshotWorkloadArgs(problems, args, KNOWN_ARGS);
    if (a === undefined) {
        return problems.problems.slice();
    }
    for (const key of NODE_LOCAL_STORE_REFUSED_POD_ARGS) {
        if (a[key] !== undefined) {
            problems.add(key, a[key], "does not apply to a NodeLocalStore: its DaemonSet runs one pod on each selected node, and kubectl drain passes over DaemonSet pods");
        }
    }
    if (checkRequired(problems, "namespace", a.namespace, "the namespace of the DaemonSet and its Service (one that allows privileged pods)")) {
        checkLabel(problems, "namespace", a.namespace);
    }
    if (checkRequired(problems, "image", a.image, "the store's container image")) {
        checkPlainImage(problems, a.image);
    }
    checkCommand(problems, "command", a.command);
    checkCommand(problems, "args", a.args);
    if (Array.isArray(a.env)) {
        // The entries are never shown: their values may be credentials.
        problems.addAll([{ expected: EXPECT_LIST_ENV, path: "env", value: `a list of ${a.env.length} ${a.env.length === 1 ? "entry" : "entries"}` }]);
    }
    checkNodeSelector(problems, a.nodeSelector);
    const pod = podArgsToValidate(problems, a);
    const selectorRefused = problems.problems.some((p) => p.path === "nodeSelector");
    validatePodArgs(
        problems,
        // The list-shaped env, a refused selector and the refused pod arguments are reported above.
        { ...pod, disruptionBudget: undefined, env: Array.isArray(a.env) ? undefined : a.env, nodeSelector: selectorRefused ? undefined : a.nodeSelector, spread: undefined },
        { portsRequired: false, reservedEnv: NODE_LOCAL_RESERVED_ENV },
    );
    checkHostPath(problems, a.hostPath);
    checkMountPath(problems, "mountPath", a.mountPath);
    checkContainerMemory(problems, "memory", a.memory);
    checkContainerCpu(problems, a.cpu);
    checkSizingShorthands(problems, a);
    checkBoolean(problems, "prepareHostPath", a.prepareHostPath);
    checkPreparedIds(problems, a);
    checkLocalStorageClass(problems, a.localStorageClass);
    return problems.problems.slice();
}
