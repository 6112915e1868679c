import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

/**
 * Reading a Pulumi project the way the Pulumi CLI does, without the CLI: the project
 * file (`Pulumi.yaml`), where its program and stack config files are, and one stack's
 * configuration as the language host would hand it to the program.
 */

/** A Pulumi project on disk. */
export interface ProjectInfo {
    /** The folder holding `Pulumi.yaml`. */
    readonly root: string;
    /** The project name (`name:`), the default namespace of config keys. */
    readonly name: string;
    /** Absolute path of the program's entry module. */
    readonly program: string;
    /** Absolute path of the folder holding `Pulumi.<stack>.yaml`. */
    readonly stackConfigDir: string;
    /** Config keys declared secret in the project (`template.config.<key>.secret: true`). */
    readonly secretKeys: readonly string[];
}

/** One stack's configuration, ready for `pulumi.runtime.setAllConfig`. */
export interface StackConfig {
    readonly stack: string;
    /** Fully qualified keys (`project:key`) to their values, objects JSON-encoded as the host does. */
    readonly values: Readonly<Record<string, string>>;
    /** Keys whose values are secret (placeholders and `secure:` values). */
    readonly secretKeys: readonly string[];
    /** Keys that were given a placeholder because their real value is not available offline. */
    readonly placeholders: readonly string[];
}

const ENTRY_CANDIDATES = ["index.ts", "index.js"];

/** Reads `Pulumi.yaml` in `root`. Throws with the file name when it is missing or malformed. */
export function loadProject(root: string): ProjectInfo {
    const file = path.join(root, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        throw new Error(`no Pulumi project here: ${file} does not exist`);
    }
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as Record<string, any> | undefined;
    if (!doc || typeof doc.name !== "string" || doc.name === "") {
        throw new Error(`${file}: "name" must be the project name`);
    }
    return {
        root,
        name: doc.name,
        program: resolveProgram(root, typeof doc.main === "string" ? doc.main : "."),
        stackConfigDir: path.resolve(root, typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : "."),
        secretKeys: declaredSecretKeys(doc.name, doc.template?.config),
    };
}

function resolveProgram(root: string, main: string): string {
    const target = path.resolve(root, main);
    if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
        const entry = ENTRY_CANDIDATES.map((name) => path.join(target, name)).find((p) => fs.existsSync(p));
        if (!entry) {
            throw new Error(`the project's main folder ${target} has no ${ENTRY_CANDIDATES.join(" or ")}`);
        }
        return entry;
    }
    if (!fs.existsSync(target)) {
        throw new Error(`the project's main ${target} does not exist`);
    }
    return target;
}

function declaredSecretKeys(project: string, config: unknown): string[] {
    if (config === null || typeof config !== "object") {
        return [];
    }
    return Object.entries(config as Record<string, any>)
        .filter(([, spec]) => spec !== null && typeof spec === "object" && spec.secret === true)
        .map(([key]) => qualifyKey(project, key))
        .sort();
}

/** `key` → `project:key`; keys that already name a namespace are kept. */
export function qualifyKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** The stacks that have a config file, sorted by name. */
export function listStacks(project: ProjectInfo): string[] {
    if (!fs.existsSync(project.stackConfigDir)) {
        return [];
    }
    return fs
        .readdirSync(project.stackConfigDir)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/** The placeholder a secret gets offline: recognisable, deterministic, and never a real value. */
export function secretPlaceholder(stack: string, key: string): string {
    return `plan-placeholder-secret:${stack}:${key}`;
}

/** The text every placeholder starts with, for checks that no secret leaked into output. */
export const SECRET_PLACEHOLDER_PREFIX = "plan-placeholder-secret:";

/**
 * Reads `Pulumi.<stack>.yaml`. Plain values are passed as the host passes them (strings
 * as they are, everything else JSON-encoded); `secure:` values (set, but encrypted: not
 * readable offline) get a placeholder and are marked secret. Of the declared secret keys
 * that the file leaves unset, those in `placeholderKeys` get a placeholder too; the others
 * stay unset, so a program that requires one fails as it would under `pulumi preview`.
 *
 * @param placeholderKeys qualified secret keys to fill in when unset. @default every declared secret key
 */
export function loadStackConfig(project: ProjectInfo, stack: string, placeholderKeys: readonly string[] = project.secretKeys): StackConfig {
    const file = ["yaml", "yml"].map((ext) => path.join(project.stackConfigDir, `Pulumi.${stack}.${ext}`)).find((p) => fs.existsSync(p));
    if (!file) {
        const known = listStacks(project);
        throw new Error(`no config file for stack "${stack}" in ${project.stackConfigDir} (stacks: ${known.join(", ") || "none"})`);
    }
    const doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, any>;
    const raw = (doc.config ?? {}) as Record<string, unknown>;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        throw new Error(`${file}: "config" must be a map of keys to values`);
    }
    const values: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const placeholders: string[] = [];
    for (const key of Object.keys(raw).sort()) {
        const qualified = qualifyKey(project.name, key);
        const value = raw[key];
        if (isSecure(value)) {
            values[qualified] = secretPlaceholder(stack, qualified);
            secretKeys.add(qualified);
            placeholders.push(qualified);
        } else {
            values[qualified] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    for (const key of [...new Set([...project.secretKeys, ...placeholderKeys])].sort()) {
        if (values[key] === undefined && placeholderKeys.includes(key)) {
            values[key] = secretPlaceholder(stack, key);
            placeholders.push(key);
        }
        secretKeys.add(key);
    }
    return { stack, values, secretKeys: [...secretKeys].sort(), placeholders: placeholders.sort() };
}

function isSecure(value: unknown): boolean {
    return value !== null && typeof value === "object" && !Array.isArray(value) && typeof (value as Record<string, unknown>).secure === "string";
}

/**
 * A copy of a stack's config with some keys set (plain values; `secret: true` marks them
 * secret). For tests that try a stack with a different setting.
 */
export function withConfig(config: StackConfig, project: string, overrides: Readonly<Record<string, unknown>>, secret = false): StackConfig {
    const values = { ...config.values };
    const secretKeys = new Set(config.secretKeys);
    for (const [key, value] of Object.entries(overrides)) {
        const qualified = qualifyKey(project, key);
        if (value === undefined) {
            delete values[qualified];
            continue;
        }
        values[qualified] = typeof value === "string" ? value : JSON.stringify(value);
        if (secret) {
            secretKeys.add(qualified);
        }
    }
    return { ...config, values, secretKeys: [...secretKeys].sort() };
}
