import * as k8s from "@pulumi/kubernetes";
import {
    checkAnnotations,
    checkBoolean,
    EXPECT_CHECK,
    isDeferred,
    checkInteger,
    checkLabels,
    checkList,
    checkObject,
    checkOneOf,
    INT32_MAX,
    isInteger,
    isLabelValue,
    isPlainObject,
    isQualifiedName,
    snapshotArgs,
    MAX_LIST_LENGTH,
} from "../common/checks";
import { commandHoldsCredential, containsCredential, isCredentialAnnotationKey, isCredentialFlag, isCredentialHeader, isLiteralCredential } from "../common/credentials";
import { checkBoundedQuantity, EXPECT, checkSubdomain, isIanaServiceName, isPort, parseQuantity, sortKeys } from "../common/kubernetes";
import { checkKubernetesValue, KubernetesModel } from "../common/kubernetes-schema";
import type { PodSecurityContext, Probe, ResourceRequirements, SecurityContext, Toleration } from "../common/kubernetes-types";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, skipAwaitMetadata } from "../common/pod-security";
import { ProblemList } from "../common/validation";
import { buildEnvVars, checkContainerEnv, ConfigMapKeyEnv, SecretKeyEnv } from "./container-env";
import { hostAntiAffinity, SpreadArgs, SpreadMode, zoneSpread } from "./pod-defaults";

/**
 * The pod arguments every workload component takes (StatefulWorkload, ReplicatedCache,
 * NodeLocalStore): env, ports, resources, probes, spread, disruption budget, security
 * context, scheduling and skip-await mean the same everywhere. A component's args
 * interface extends {@link PodArgs}; its validator calls {@link validatePodArgs} once
 * (after refusing unknown keys with the union of {@link POD_ARG_KEYS} and its own); its
 * render step calls {@link renderPodArgs} once, which applies every default of these
 * arguments, and reads the result.
 */

/** One port of the workload, on its container and on its Services. */
export interface WorkloadPort {
    /** The port's name: an IANA service name (≤ 15 characters), unique per workload. The Services target it by this name. */
    readonly name: string;
    /** The port the Services expose, 1–65535. */
    readonly port: number;
    /**
     * The port the container listens on, 1–65535.
     * @default `port`
     */
    readonly targetPort?: number;
    /** @default "TCP" */
    readonly protocol?: "TCP" | "UDP" | "SCTP";
}

/** The disruption budget. Exactly one of its fields, or none for `maxUnavailable: 1`. */
export interface WorkloadDisruptionBudget {
    /** Pods that may be evicted at once: an integer ≥ 0 or a percentage. Cannot be combined with `minAvailable`. @default 1 */
    readonly maxUnavailable?: number | string;
    /** Pods that must stay up during voluntary disruptions: an integer ≥ 0 or a percentage. Cannot be combined with `maxUnavailable`. @default none */
    readonly minAvailable?: number | string;
}

/** Security settings; every field overrides one field of the restricted defaults. */
export interface WorkloadSecurityArgs {
    /**
     * Fields of the pod security context (checked strictly against the Kubernetes
     * schema, unknown fields refused). Defaults: runAsNonRoot, runAsUser/runAsGroup/
     * fsGroup 1000 (so the volumes are writable), fsGroupChangePolicy OnRootMismatch,
     * seccomp RuntimeDefault. User and group ids are integers from 0 to 2147483647.
     * `runAsUser: 0` cannot be combined with `runAsNonRoot: true`; with
     * `runAsNonRoot: false` the containers' default becomes false too.
     * @default the restricted fields above
     */
    readonly pod?: PodSecurityContext;
    /**
     * Fields of every container's security context (checked strictly). Defaults:
     * allowPrivilegeEscalation false, capabilities drop ALL, privileged false, runAsNonRoot.
     * @default the restricted fields above
     */
    readonly container?: SecurityContext;
}

/** Arguments shared by every workload component's pods. */
export interface PodArgs {
    /**
     * Ports of the main container, exposed by the component's Services. Names and
     * (per protocol) numbers unique.
     */
    readonly ports?: WorkloadPort[];
    /**
     * Literal environment variables of the main container: plain strings, sorted by name
     * together with `secretEnv` and `configMapEnv` (a name may appear in only one of the
     * three), after the variables the component sets itself (POD_NAME, POD_NAMESPACE, …),
     * whose names may not be reused. Refused here, because the value would sit in plain
     * text in the pod spec: a name that says it holds a credential (PASSWORD, SECRET,
     * TOKEN, … anywhere, PGPASS, or a last word PASS, AUTH, KEY or PWD such as `DB_PASS`,
     * `REDIS_AUTH`, `JWT_SIGNING_KEY`, `MYSQL_PWD`; not when it ends in FILE, PATH, DIR or
     * NAME), a value that holds a password (`postgres://app:pw@db/x`, `...?password=...`),
     * whatever its name, and any Output or Promise — whether an Output is secret is only
     * known after the pod spec has been sent, and a secret must never be rendered into
     * it: read computed settings from a ConfigMap (`configMapEnv`) and secrets from a
     * Secret (`secretEnv`). Changing a value rolls the pods.
     * @default none
     */
    readonly env?: Record<string, string>;
    /**
     * Environment variables read from keys of Secrets in the namespace
     * (`valueFrom.secretKeyRef`), e.g. `{ POSTGRES_PASSWORD: { secretName:
     * "postgres-credentials", key: "password" } }`. The value never appears in the pod
     * spec. A changed Secret value reaches the pods only when they restart.
     * @default none
     */
    readonly secretEnv?: Record<string, SecretKeyEnv>;
    /**
     * Environment variables read from keys of ConfigMaps in the namespace
     * (`valueFrom.configMapKeyRef`), for settings kept outside the program or computed.
     * @default none
     */
    readonly configMapEnv?: Record<string, ConfigMapKeyEnv>;
    /**
     * Requests and limits of the main container, checked strictly against the Kubernetes
     * schema; quantities are given as strings ("500Mi", "250m").
     * @default none
     */
    readonly resources?: ResourceRequirements;
    /** Liveness probe (checked strictly); exactly one handler; a named port must be one of `ports`. @default none */
    readonly livenessProbe?: Probe;
    /** Readiness probe (checked strictly); exactly one handler; a named port must be one of `ports`. @default none */
    readonly readinessProbe?: Probe;
    /** Startup probe (checked strictly); exactly one handler; a named port must be one of `ports`. @default none */
    readonly startupProbe?: Probe;
    /** Spread over zones and hosts. @default { zones: "preferred", hosts: "preferred" } */
    readonly spread?: SpreadArgs;
    /**
     * The PodDisruptionBudget (policy/v1), or `false` for none. Each component documents
     * when it creates one by default.
     */
    readonly disruptionBudget?: WorkloadDisruptionBudget | false;
    /** Overrides of the restricted security defaults. @default none: the restricted defaults */
    readonly securityContext?: WorkloadSecurityArgs;
    /** Mount the service account token into the pods. @default false */
    readonly automountServiceAccountToken?: boolean;
    /** The pods' service account (DNS-1123 subdomain). @default the namespace's "default" */
    readonly serviceAccountName?: string;
    /** Seconds a pod gets to shut down cleanly, an integer ≥ 0. @default 30 (the Kubernetes default) */
    readonly terminationGracePeriodSeconds?: number;
    /** Annotations of the pod template (sorted). Changing them rolls the pods. @default none */
    readonly podAnnotations?: Record<string, string>;
    /** Node labels the pods must run on (label keys and values). @default none */
    readonly nodeSelector?: Record<string, string>;
    /** Tolerations of the pods (checked strictly against the Kubernetes schema, then by the API server's rules: a key unless "Exists", no value with "Exists", seconds only with "NoExecute"). @default none */
    readonly tolerations?: Toleration[];
    /**
     * Don't wait for the component's objects to become ready (the provider's
     * `pulumi.com/skipAwait` annotation). Use it when pods wait for something created later.
     * @default false
     */
    readonly skipAwait?: boolean;
}

/** The field names of {@link PodArgs}, for a component's unknown-key check. */
export const POD_ARG_KEYS: readonly (keyof PodArgs)[] = [
    "automountServiceAccountToken",
    "configMapEnv",
    "disruptionBudget",
    "env",
    "livenessProbe",
    "nodeSelector",
    "podAnnotations",
    "ports",
    "readinessProbe",
    "resources",
    "secretEnv",
    "securityContext",
    "serviceAccountName",
    "skipAwait",
    "spread",
    "startupProbe",
    "terminationGracePeriodSeconds",
    "tolerations",
];

const PORT_KEYS = ["name", "port", "targetPort", "protocol"];
const PROTOCOLS = ["TCP", "UDP", "SCTP"] as const;
const SPREAD_MODES: readonly SpreadMode[] = ["preferred", "required", "none"];
const PROBE_HANDLERS = ["exec", "grpc", "httpGet", "tcpSocket"] as const;
const PERCENT = /^(\d{1,3})%$/;
/** User and group ids: the API server accepts 0 to 2147483647. */
const ID_FIELDS = ["runAsUser", "runAsGroup", "fsGroup"];

/** What a component tells {@link validatePodArgs} about itself. */
export interface PodArgsContext {
    /** Variables the component sets itself; `env` and friends may not reuse them. */
    readonly reservedEnv: readonly string[];
    /** Whether at least one port is required. @default true */
    readonly portsRequired?: boolean;
    /**
     * The replica count, when known: a disruption budget whose minAvailable reaches it
     * blocks every eviction. @default unknown (only the percentage rules apply)
     */
    readonly replicas?: number;
}

/** What validation found that the component's own checks need. */
export interface PodArgsFacts {
    /** The names of the valid ports, in order. */
    readonly portNames: readonly string[];
}

/** True for an integer ≥ min (int32) or a percentage from min% to 100%. */
export function isIntOrPercent(value: unknown, min: number): boolean {
    if (typeof value === "string") {
        const match = PERCENT.exec(value);
        return match !== null && Number(match[1]) >= min && Number(match[1]) <= 100;
    }
    return isInteger(value, min, INT32_MAX);
}

/**
 * Checks a container's command or args: a list of plain strings (a single string is
 * refused: Kubernetes would not split it), none holding a password.
 */
export function checkCommand(problems: ProblemList, path: string, value: unknown): void {
    checkList(
        problems,
        path,
        value,
        (itemPath, item, index) => {
            if (isDeferred(item)) {
                problems.add(itemPath, item, EXPECT_CHECK.deferred);
            } else if (typeof item !== "string") {
                problems.add(itemPath, item, "must be a string");
            } else if (commandHoldsCredential(item) || followsCredentialFlag(value as unknown[], index)) {
                problems.addSecret(itemPath, EXPECT_NO_CREDENTIAL_IN_COMMAND);
            }
        },
        { expected: "must be a list of strings, e.g. [\"postgres\", \"-c\", \"max_connections=200\"]: a single string is not split into words" },
    );
}

/** Most words of a command, args or exec probe, and most headers of an HTTP probe. */
export const MAX_COMMAND_WORDS = 1000;

/**
 * The expectation of a command or args word that holds a credential; "a password=
 * parameter" also covers `--password=…`, `--requirepass …` and `PGPASSWORD=…`.
 */
const EXPECT_NO_CREDENTIAL_IN_COMMAND =
    "must not hold a password (a URL's user:password@ or a password= parameter): the pod spec is not secret; pass it in an environment variable set with secretEnv";

/** True when a command's word is the literal value of the credential flag before it (`["--requirepass", "pw"]`). */
function followsCredentialFlag(words: readonly unknown[], index: number | undefined): boolean {
    if (index === undefined || index === 0) {
        return false;
    }
    const word = words[index];
    return isCredentialFlag(words[index - 1]) && typeof word === "string" && !word.startsWith("-") && isLiteralCredential(word);
}

/** Checks the ports: at least one (when required), names and per-protocol numbers unique. */
function checkPorts(problems: ProblemList, value: unknown, required: boolean): string[] {
    const names: string[] = [];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
        if (required) {
            problems.add("ports", value, "must list at least one port");
        }
        return names;
    }
    const servicePorts: string[] = [];
    checkList(
        problems,
        "ports",
        value,
        (path, port) => {
            if (!checkObject(problems, path, port, PORT_KEYS, "must be { name, port, targetPort?, protocol? }")) {
                return;
            }
            if (!isIanaServiceName(port.name as string)) {
                problems.add(`${path}.name`, port.name, EXPECT.portName);
            } else if (names.includes(port.name as string)) {
                problems.add(`${path}.name`, port.name, "must be unique among the ports");
            } else {
                names.push(port.name as string);
            }
            const protocolOk = port.protocol === undefined || checkOneOf(problems, `${path}.protocol`, port.protocol, PROTOCOLS);
            if (!isPort(port.port)) {
                problems.add(`${path}.port`, port.port, EXPECT.port);
            } else if (protocolOk) {
                const servicePort = `${port.port}/${(port.protocol as string | undefined) ?? "TCP"}`;
                if (servicePorts.includes(servicePort)) {
                    problems.add(`${path}.port`, port.port, `must be unique per protocol among the ports: the Services cannot expose ${servicePort} twice`);
                }
                servicePorts.push(servicePort);
            }
            if (port.targetPort !== undefined && !isPort(port.targetPort)) {
                problems.add(`${path}.targetPort`, port.targetPort, EXPECT.port);
            }
        },
        { expected: "must be a list of { name, port, targetPort?, protocol? }" },
    );
    return names;
}

/**
 * Checks a value of a pass-through Kubernetes type strictly, then the package's own
 * rules (`extra`) at the places where the schema found nothing wrong.
 */
function checkPassThrough(problems: ProblemList, path: string, value: unknown, model: KubernetesModel, extra?: (own: ProblemList) => void): boolean {
    const schema = new ProblemList();
    checkKubernetesValue(schema, path, value, model);
    problems.addAll(schema.problems);
    if (extra && schema.problems.length === 0) {
        extra(problems);
    }
    return schema.problems.length === 0;
}

/**
 * Checks container resources: strictly against the schema, and every quantity given as
 * a non-negative string (the schema also takes numbers, which the package refuses so
 * that "1Gi" and 1 are never confused).
 */
export function checkResources(problems: ProblemList, path: string, resources: unknown): void {
    const schema = new ProblemList();
    checkKubernetesValue(schema, path, resources, "ResourceRequirements");
    problems.addAll(schema.problems);
    if (!isPlainObject(resources)) {
        return;
    }
    const reported = new Set(schema.problems.map((p) => p.path));
    for (const group of ["limits", "requests"] as const) {
        const map = resources[group];
        if (!isPlainObject(map)) {
            continue;
        }
        for (const key of Object.keys(map).sort()) {
            const entryPath = `${path}.${group}.${key}`;
            const value = map[key];
            if (value === undefined || value === null || reported.has(entryPath) || !isPlainValue(value)) {
                continue;
            }
            const parsed = typeof value === "string" ? parseQuantity(value) : undefined;
            if (parsed === undefined || parsed < 0) {
                problems.add(entryPath, value, `${EXPECT.quantity}, given as a string`);
            }
        }
    }
}

function isPlainValue(value: unknown): boolean {
    return value === null || typeof value !== "object" || isPlainObject(value) || Array.isArray(value);
}

/** Checks a probe: strictly against the schema, exactly one handler, ports that exist. */
export function checkProbe(problems: ProblemList, path: string, probe: unknown, portNames: readonly string[]): void {
    checkPassThrough(problems, path, probe, "Probe", (own) => {
        if (!isPlainObject(probe)) {
            return;
        }
        const handlers = PROBE_HANDLERS.filter((h) => probe[h] !== undefined);
        if (handlers.length !== 1) {
            own.add(path, handlers, "must have exactly one of exec, grpc, httpGet, tcpSocket");
        }
        for (const handler of ["httpGet", "tcpSocket"] as const) {
            const action = probe[handler];
            if (!isPlainObject(action) || action.port === undefined || !isPlainValue(action.port)) {
                continue;
            }
            const port = action.port;
            if (typeof port === "string" ? !portNames.includes(port) : !isPort(port)) {
                own.add(`${path}.${handler}.port`, port, `must be one of the port names (${portNames.join(", ") || "none"}) or a number from 1 to 65535`);
            }
        }
        const execCommand = isPlainObject(probe.exec) ? probe.exec.command : undefined;
        if (
            Array.isArray(execCommand) &&
            execCommand.length <= MAX_COMMAND_WORDS &&
            execCommand.some((part, i) => commandHoldsCredential(part) || followsCredentialFlag(execCommand, i))
        ) {
            own.addSecret(`${path}.exec.command`, "must not hold a password (a URL's user:password@ or a password= parameter): the pod spec is not secret; read it from an environment variable set with secretEnv");
        }
        const httpGet = probe.httpGet;
        if (isPlainObject(httpGet) && Array.isArray(httpGet.httpHeaders) && httpGet.httpHeaders.length <= MAX_COMMAND_WORDS) {
            httpGet.httpHeaders.forEach((header, i) => {
                if (isPlainObject(header) && typeof header.name === "string" && isCredentialHeader(header.name) && typeof header.value === "string" && header.value !== "") {
                    own.addSecret(
                        `${path}.httpGet.httpHeaders[${i}].value`,
                        `must not hold a credential: ${header.name} is sent with every probe and the pod spec is not secret; probe an endpoint that needs no credential, or use an exec probe that reads it from an environment variable set with secretEnv`,
                    );
                } else if (isPlainObject(header) && containsCredential(header.value)) {
                    own.addSecret(`${path}.httpGet.httpHeaders[${i}].value`, "must not hold a password (a URL's user:password@ or a password= parameter): the pod spec is not secret");
                }
            });
        }
    });
}

function checkIds(problems: ProblemList, path: string, context: Record<string, unknown>): void {
    for (const field of ID_FIELDS) {
        checkInteger(problems, `${path}.${field}`, context[field], { min: 0, max: INT32_MAX });
    }
}

function checkSecurity(problems: ProblemList, value: unknown): void {
    if (!checkObject(problems, "securityContext", value, ["pod", "container"], "must be { pod?, container? }")) {
        return;
    }
    const pod = value.pod;
    const container = value.container;
    const podValid = checkPassThrough(problems, "securityContext.pod", pod, "PodSecurityContext", (own) => {
        if (!isPlainObject(pod)) {
            return;
        }
        checkIds(own, "securityContext.pod", pod);
        if (Array.isArray(pod.supplementalGroups)) {
            pod.supplementalGroups.forEach((id, i) => checkInteger(own, `securityContext.pod.supplementalGroups[${i}]`, id, { min: 0, max: INT32_MAX }));
        }
    });
    const containerValid = checkPassThrough(problems, "securityContext.container", container, "SecurityContext", (own) => {
        if (isPlainObject(container)) {
            checkIds(own, "securityContext.container", container);
        }
    });
    if (podValid && isPlainObject(pod) && pod.runAsUser === 0 && (pod.runAsNonRoot ?? true) === true) {
        problems.add("securityContext.pod.runAsUser", 0, "cannot be 0 while runAsNonRoot is true; set securityContext.pod.runAsNonRoot: false to run as root");
    }
    if (containerValid && isPlainObject(container) && container.runAsUser === 0 && (container.runAsNonRoot ?? true) === true) {
        problems.add("securityContext.container.runAsUser", 0, "cannot be 0 while runAsNonRoot is true; set securityContext.container.runAsNonRoot: false to run as root");
    }
}

/**
 * The rule shared by every component with a disruption budget: the budget must let at
 * least one pod be evicted, or no node could ever be drained. Refused: maxUnavailable 0
 * or "0%", minAvailable "100%", and an integer minAvailable of at least `replicas` (when
 * known and at least 1). Run on a budget whose values the shape check accepted.
 */
export function checkBudgetAllowsEviction(problems: ProblemList, budget: Record<string, unknown>, replicas: number | undefined): void {
    const max = budget.maxUnavailable;
    if (max === 0 || max === "0%") {
        problems.add("disruptionBudget.maxUnavailable", max, "must be at least 1 (or a percentage above \"0%\"), or no node could ever be drained");
    }
    const min = budget.minAvailable;
    if (min === "100%" || (replicas !== undefined && replicas >= 1 && isInteger(min) && min >= replicas)) {
        problems.add("disruptionBudget.minAvailable", min, `must be less than replicas (${replicas ?? "100%"}), or no node could ever be drained`);
    }
}

function checkBudget(problems: ProblemList, budget: unknown, replicas?: number): void {
    if (budget === undefined || budget === false) {
        return;
    }
    if (!isPlainObject(budget)) {
        problems.add("disruptionBudget", budget, "must be false or an object with maxUnavailable or minAvailable");
        return;
    }
    checkObject(problems, "disruptionBudget", budget, ["maxUnavailable", "minAvailable"]);
    if (budget.maxUnavailable !== undefined && budget.minAvailable !== undefined) {
        problems.add("disruptionBudget", budget, "cannot set both minAvailable and maxUnavailable");
    }
    const before = problems.size;
    for (const key of ["maxUnavailable", "minAvailable"] as const) {
        if (budget[key] !== undefined && !isIntOrPercent(budget[key], 0)) {
            problems.add(`disruptionBudget.${key}`, budget[key], 'must be an integer ≥ 0 or a percentage from "0%" to "100%"');
        }
    }
    if (problems.size === before && (budget.maxUnavailable === undefined || budget.minAvailable === undefined)) {
        checkBudgetAllowsEviction(problems, budget, replicas);
    }
}

/**
 * The API server's rules for a toleration that the schema found nothing wrong with: an
 * operator, a key unless "Exists", no value with "Exists", seconds only with "NoExecute".
 */
function checkTolerationRules(problems: ProblemList, path: string, t: Record<string, unknown>): void {
    const operator = t.operator ?? "Equal";
    checkOneOf(problems, `${path}.operator`, t.operator, ["Equal", "Exists"]);
    if (t.key !== undefined && t.key !== "" && !isQualifiedName(t.key)) {
        problems.add(`${path}.key`, t.key, "must be a taint key: an optional DNS subdomain and '/', then at most 63 letters, digits, '-', '_' and '.'");
    }
    if ((t.key === undefined || t.key === "") && operator !== "Exists") {
        problems.add(`${path}.key`, t.key, `is required unless operator is "Exists"`);
    }
    if (operator === "Exists" && t.value !== undefined && t.value !== "") {
        problems.add(`${path}.value`, t.value, `must be empty when operator is "Exists"`);
    } else if (t.value !== undefined && !isLabelValue(t.value)) {
        problems.add(`${path}.value`, t.value, "must be a taint value: at most 63 letters, digits, '-', '_' and '.'");
    }
    if (t.tolerationSeconds !== undefined) {
        if (!isInteger(t.tolerationSeconds, 0, INT32_MAX)) {
            problems.add(`${path}.tolerationSeconds`, t.tolerationSeconds, `must be an integer from 0 to ${INT32_MAX}`);
        } else if (t.effect !== "NoExecute") {
            problems.add(`${path}.tolerationSeconds`, t.tolerationSeconds, `can only be given with effect "NoExecute"`);
        }
    }
}

/**
 * Every problem with the pod arguments of `args` (added to `problems`), each at its own
 * path. Unknown top-level keys are the component's to refuse; everything below a pod
 * argument is checked here, including its unknown keys.
 */
export function validatePodArgs(problems: ProblemList, args: Record<string, unknown>, context: PodArgsContext): PodArgsFacts {
    const portNames = checkPorts(problems, args.ports, context.portsRequired ?? true);
    checkContainerEnv(problems, "", args, context.reservedEnv);
    checkResources(problems, "resources", args.resources);
    for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
        checkProbe(problems, probe, args[probe], portNames);
    }
    checkInteger(problems, "terminationGracePeriodSeconds", args.terminationGracePeriodSeconds, { min: 0 });
    checkSecurity(problems, args.securityContext);
    checkBoolean(problems, "automountServiceAccountToken", args.automountServiceAccountToken);
    if (args.serviceAccountName !== undefined) {
        checkSubdomain(problems, "serviceAccountName", args.serviceAccountName);
    }
    if (checkObject(problems, "spread", args.spread, ["zones", "hosts"], "must be { zones?, hosts? }")) {
        checkOneOf(problems, "spread.zones", args.spread.zones, SPREAD_MODES);
        checkOneOf(problems, "spread.hosts", args.spread.hosts, SPREAD_MODES);
    }
    checkBudget(problems, args.disruptionBudget, context.replicas);
    if (checkAnnotations(problems, "podAnnotations", args.podAnnotations)) {
        for (const key of Object.keys(args.podAnnotations).sort()) {
            const annotation = args.podAnnotations[key];
            if (isCredentialAnnotationKey(key) && typeof annotation === "string" && annotation !== "" && annotation !== "true" && annotation !== "false") {
                problems.addSecret(`podAnnotations.${key}`, `must not be a literal value: ${key} names a credential, and the pod template is not secret; keep the credential in a Secret`);
            } else if (containsCredential(annotation)) {
                problems.addSecret(`podAnnotations.${key}`, "must not hold a password (a URL's user:password@ or a password= parameter): the pod template is not secret");
            }
        }
    }
    checkLabels(problems, "nodeSelector", args.nodeSelector);
    checkList(problems, "tolerations", args.tolerations, (path, toleration) =>
        checkPassThrough(problems, path, toleration, "Toleration", (own) => {
            if (isPlainObject(toleration)) {
                checkTolerationRules(own, path, toleration);
            }
        }),
    );
    checkBoolean(problems, "skipAwait", args.skipAwait);
    return { portNames };
}

/** Largest memory of a workload's container (and of a memory volume), in bytes, and how it reads. */
export const MAX_CONTAINER_MEMORY = { bytes: 2 ** 40, text: '"1Ti"' };
/** Largest CPU request of a workload's container, in cores, and how it reads. */
const MAX_CONTAINER_CPU = { cores: 1024, text: '"1024" cores' };
const EXPECT_CPU = 'must be a CPU quantity such as "100m" or "0.5"';

/** Checks a container's `memory` shorthand (or a memory volume's size) and its bound; returns its bytes when valid. */
export function checkContainerMemory(problems: ProblemList, path: string, value: unknown): number | undefined {
    return checkBoundedQuantity(problems, path, value, EXPECT.quantity, MAX_CONTAINER_MEMORY.bytes, MAX_CONTAINER_MEMORY.text);
}

/** Checks a container's `cpu` shorthand and its bound. */
export function checkContainerCpu(problems: ProblemList, value: unknown): void {
    checkBoundedQuantity(problems, "cpu", value, EXPECT_CPU, MAX_CONTAINER_CPU.cores, MAX_CONTAINER_CPU.text);
}

/** Refuses the `memory` and `cpu` shorthands next to `resources`. */
export function checkSizingShorthands(problems: ProblemList, args: Record<string, unknown>): void {
    for (const key of ["memory", "cpu"] as const) {
        if (args[key] !== undefined && args.resources !== undefined) {
            problems.add(key, args[key], "cannot be combined with resources: give it in resources.limits and resources.requests instead");
        }
    }
}

/**
 * One plain copy of a workload component's arguments (a getter is read once, and one
 * that throws is a problem at its path), with keys outside `knownArgs` refused; undefined
 * when `args` is not an object, which is refused.
 */
export function snapshotWorkloadArgs(problems: ProblemList, args: unknown, knownArgs: readonly string[]): Record<string, unknown> | undefined {
    if (isDeferred(args)) {
        problems.add("args", args, EXPECT_CHECK.deferredArgs);
        return undefined;
    }
    if (!isPlainObject(args)) {
        problems.add("args", args, EXPECT_CHECK.object);
        return undefined;
    }
    const snapshot = snapshotArgs(args);
    problems.addAll(snapshot.problems.problems);
    checkObject(problems, "", snapshot.args, knownArgs);
    return snapshot.args;
}

/** Deepest nesting {@link checkNoDeferred} walks (no Kubernetes type nests deeper; the schema check refuses deeper values). */
const MAX_SCAN_DEPTH = 32;

/**
 * Refuses every Output or Promise in a value that is rendered into the pod spec as it is
 * (probes, resources, security contexts, tolerations): whether an Output is secret is
 * only known after the spec is sent, and a secret must never be rendered there.
 */
function checkNoDeferred(problems: ProblemList, path: string, value: unknown, depth = 0, ancestors: Set<object> = new Set()): void {
    if (isDeferred(value)) {
        problems.add(path, value, `${EXPECT_CHECK.deferred}: it is rendered into the pod spec, where a secret must never be`);
        return;
    }
    if (value === null || typeof value !== "object" || depth >= MAX_SCAN_DEPTH || ancestors.has(value)) {
        return;
    }
    ancestors.add(value);
    if (Array.isArray(value)) {
        // A longer list is refused by its own list check; it is not read element by element.
        for (let i = 0; i < Math.min(value.length, MAX_LIST_LENGTH); i++) {
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
function withoutPlainReferences(problems: ProblemList, args: Record<string, unknown>): Record<string, unknown> {
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
/**
 * The arguments for {@link validatePodArgs}: references that are not objects, and the
 * pass-through fields holding an Output or a Promise, refused here and left out.
 */
export function podArgsToValidate(problems: ProblemList, args: Record<string, unknown>): Record<string, unknown> {
    const pod = withoutPlainReferences(problems, args);
    for (const field of PASSED_THROUGH) {
        const before = problems.size;
        checkNoDeferred(problems, field, args[field]);
        if (problems.size > before) {
            pod[field] = undefined;
        }
    }
    return pod;
}

/** The pod arguments with every default applied: what a component's render step reads. */
export interface RenderedPodArgs {
    readonly containerPorts: k8s.types.input.core.v1.ContainerPort[];
    readonly servicePorts: k8s.types.input.core.v1.ServicePort[];
    /** The main container's own variables (after the component's), sorted. */
    readonly env: k8s.types.input.core.v1.EnvVar[];
    readonly resources?: ResourceRequirements;
    readonly livenessProbe?: Probe;
    readonly readinessProbe?: Probe;
    readonly startupProbe?: Probe;
    readonly podSecurityContext: PodSecurityContext;
    /** Every container's security context; non-root unless the pod may run as root. */
    readonly containerSecurityContext: SecurityContext;
    readonly automountServiceAccountToken: boolean;
    readonly serviceAccountName?: string;
    readonly terminationGracePeriodSeconds?: number;
    readonly affinity?: k8s.types.input.core.v1.Affinity;
    readonly topologySpreadConstraints: k8s.types.input.core.v1.TopologySpreadConstraint[];
    /** The pod template's annotations, sorted; undefined when there are none. */
    readonly podAnnotations?: Record<string, string>;
    readonly nodeSelector?: Record<string, string>;
    readonly tolerations?: Toleration[];
    /** The disruption budget's limit, or undefined for none (`false`, or no default). */
    readonly disruptionBudget?: { readonly maxUnavailable: number | string } | { readonly minAvailable: number | string };
    /** Metadata fields of the objects the provider awaits. */
    readonly awaitMetadata: { annotations?: Record<string, string> };
}

/**
 * Applies the defaults of the pod arguments, once: restricted security, spread by zone
 * and host, ports with their protocol and target, env sorted, the disruption budget when
 * asked for or when `budgetByDefault` (a component's rule, e.g. more than one replica).
 * `selector` are the labels the spread terms match. Arguments must have been validated.
 */
export function renderPodArgs(args: PodArgs, selector: Record<string, string>, budgetByDefault: boolean): RenderedPodArgs {
    const ports = args.ports ?? [];
    // A pod allowed to run as root must not be stopped by the containers' non-root default.
    const podNonRoot = args.securityContext?.pod?.runAsNonRoot;
    const budget = args.disruptionBudget;
    const annotations = sortKeys({ ...args.podAnnotations });
    return {
        affinity: hostAntiAffinity(selector, args.spread?.hosts ?? "preferred"),
        automountServiceAccountToken: args.automountServiceAccountToken ?? false,
        awaitMetadata: skipAwaitMetadata(args.skipAwait),
        containerPorts: ports.map((p) => ({ containerPort: p.targetPort ?? p.port, name: p.name, protocol: p.protocol ?? "TCP" })),
        containerSecurityContext: restrictedContainerSecurityContext({ ...(podNonRoot === false ? { runAsNonRoot: false } : {}), ...args.securityContext?.container }),
        disruptionBudget:
            budget === false || (budget === undefined && !budgetByDefault)
                ? undefined
                : budget?.minAvailable !== undefined
                  ? { minAvailable: budget.minAvailable }
                  : { maxUnavailable: budget?.maxUnavailable ?? 1 },
        env: buildEnvVars(args),
        livenessProbe: args.livenessProbe,
        nodeSelector: args.nodeSelector && Object.keys(args.nodeSelector).length > 0 ? sortKeys({ ...args.nodeSelector }) : undefined,
        podAnnotations: Object.keys(annotations).length > 0 ? annotations : undefined,
        podSecurityContext: restrictedPodSecurityContext(args.securityContext?.pod),
        readinessProbe: args.readinessProbe,
        resources: args.resources,
        serviceAccountName: args.serviceAccountName,
        servicePorts: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? "TCP", targetPort: p.name })),
        startupProbe: args.startupProbe,
        terminationGracePeriodSeconds: args.terminationGracePeriodSeconds,
        tolerations: args.tolerations && args.tolerations.length > 0 ? args.tolerations : undefined,
        topologySpreadConstraints: zoneSpread(selector, args.spread?.zones ?? "preferred"),
    };
}
