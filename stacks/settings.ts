import * as pulumi from "@pulumi/pulumi";

/**
 * Stack config for the scenario stacks: every key a scenario reads is declared once, with
 * its description and default, so that the program, the README table and the offline
 * plan agree. Keys live in the project namespace (`stateful-stacks:<key>`).
 */

/** One documented config key. */
export interface ConfigKey {
    /** What the key changes, one sentence. */
    readonly description: string;
    /** The value used when the stack config leaves the key unset; undefined when required. */
    readonly default?: string | number | boolean | readonly string[];
    /** How the default is described when it is computed rather than fixed. */
    readonly defaultText?: string;
    /** The value is a secret (`pulumi config set --secret`); it is never written in plain text. */
    readonly secret?: boolean;
}

/** The documented keys of one scenario. */
export type ConfigKeys = Readonly<Record<string, ConfigKey>>;

/** Keys every scenario reads. */
export const COMMON_KEYS = {
    scenario: { description: "Which scenario this stack runs.", defaultText: "the stack name" },
    namespace: {
        description: "Namespace created for the scenario; every object goes into it. Changing it replaces every object, volumes included.",
        defaultText: "the scenario name",
    },
    localMode: {
        description:
            "For a local control plane without cloud: no AWS resources at all (EFS from `fileSystemId`, no KMS key, no snapshot class). Waiting for readiness is unchanged (see `skipAwait`).",
        default: false,
    },
    skipAwait: {
        description:
            "Do not wait for StatefulSets, Deployments, DaemonSets, claims and Services to become ready (the `pulumi.com/skipAwait` annotation on every Kubernetes object the scenario creates).",
        default: false,
    },
} as const satisfies ConfigKeys;

/** Reads a scenario's config with the declared defaults; refuses keys nobody declared. */
export class ScenarioSettings {
    private readonly config: pulumi.Config;

    /**
     * @param tolerated keys that may be set without being read here: the secrets of the
     * other scenarios, which the offline plan fills in for every stack.
     */
    constructor(
        readonly scenario: string,
        readonly keys: ConfigKeys,
        tolerated: readonly string[] = [],
        project: string = pulumi.getProject(),
    ) {
        this.config = new pulumi.Config(project);
        const unknown = undeclaredKeys(project, { ...COMMON_KEYS, ...keys }).filter((k) => !tolerated.includes(k));
        if (unknown.length) {
            const known = Object.keys({ ...COMMON_KEYS, ...keys }).sort();
            throw new Error(
                `stack config for scenario "${scenario}" has unknown key(s) ${unknown.map((k) => `"${k}"`).join(", ")}; the keys this scenario reads are: ${known.join(", ")}`,
            );
        }
    }

    private spec(key: string): ConfigKey {
        const spec = (COMMON_KEYS as ConfigKeys)[key] ?? this.keys[key];
        if (!spec) {
            throw new Error(`scenario "${this.scenario}" reads config key "${key}" without declaring it`);
        }
        return spec;
    }

    /** A string, or its default. */
    string(key: string): string {
        const fallback = this.spec(key).default;
        const value = this.config.get(key);
        if (value !== undefined && value !== "") {
            return value;
        }
        if (typeof fallback !== "string") {
            throw new Error(`stack config "${this.key(key)}" is required: ${this.spec(key).description}`);
        }
        return fallback;
    }

    /** A string that may be left unset. */
    optionalString(key: string): string | undefined {
        this.spec(key);
        const value = this.config.get(key);
        return value === "" ? undefined : value;
    }

    /** A whole number within [min, max], or its default. */
    integer(key: string, min: number, max: number): number {
        const value = this.config.getNumber(key) ?? this.spec(key).default;
        if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
            throw new Error(`stack config "${this.key(key)}" must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
        }
        return value;
    }

    /** true or false, or its default. */
    boolean(key: string): boolean {
        const value = this.config.getBoolean(key) ?? this.spec(key).default;
        if (typeof value !== "boolean") {
            throw new Error(`stack config "${this.key(key)}" must be true or false`);
        }
        return value;
    }

    /** A list, given as a YAML list or a comma-separated string, or its default. */
    list(key: string): string[] {
        const raw = this.config.get(key);
        if (raw === undefined || raw === "") {
            const fallback = this.spec(key).default;
            if (!Array.isArray(fallback)) {
                throw new Error(`stack config "${this.key(key)}" is required: ${this.spec(key).description}`);
            }
            return [...fallback];
        }
        return parseList(raw);
    }

    /** A secret; required, and kept secret from here on. */
    secret(key: string): pulumi.Output<string> {
        if (!this.spec(key).secret) {
            throw new Error(`config key "${key}" is not declared secret`);
        }
        return this.config.requireSecret(key);
    }

    /**
     * A secret that may be left unset; kept secret from here on. With `minLength`, a shorter
     * value is refused (the message never shows it).
     */
    optionalSecret(key: string, minLength = 1): pulumi.Output<string> | undefined {
        if (!this.spec(key).secret) {
            throw new Error(`config key "${key}" is not declared secret`);
        }
        const value = this.config.get(key);
        if (value === undefined || value === "") {
            return undefined;
        }
        if (value.length < minLength) {
            throw new Error(`stack config "${this.key(key)}" must be at least ${minLength} characters long (the value is secret and not shown)`);
        }
        return this.config.getSecret(key);
    }

    private key(key: string): string {
        return `${pulumi.getProject()}:${key}`;
    }
}

/** Parses a list given as JSON (`["a","b"]`, as the host passes YAML lists) or as `a,b`. */
export function parseList(raw: string): string[] {
    const text = raw.trim();
    if (text.startsWith("[")) {
        const parsed: unknown = JSON.parse(text);
        if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== "string")) {
            throw new Error(`expected a list of strings, got ${text}`);
        }
        return parsed as string[];
    }
    return text
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
}

/** Keys set in the project namespace that are not declared. */
export function undeclaredKeys(project: string, keys: ConfigKeys): string[] {
    const prefix = `${project}:`;
    return Object.keys(pulumi.runtime.allConfig())
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length))
        .filter((k) => !(k in keys))
        .sort();
}
