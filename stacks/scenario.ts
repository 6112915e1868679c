import * as pulumi from "@pulumi/pulumi";
import { PodSecurityLevel, ScenarioBase, scenarioBase } from "./base";
import { ConfigKeys, ScenarioSettings } from "./settings";

/** The six scenario stacks; each stack of the same name runs its scenario. */
export const SCENARIO_NAMES = ["shared-content-efs", "postgres-ebs", "zookeeper-ensemble", "external-database", "replicated-cache", "node-local-store"] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The stack outputs a scenario exports. */
export type ScenarioOutputs = Record<string, pulumi.Input<unknown>>;

/** One scenario: what it shows, the config it reads, and the program. */
export interface Scenario {
    readonly name: ScenarioName;
    /** One line for the README table. */
    readonly summary: string;
    readonly keys: ConfigKeys;
    /** Runs the scenario; `tolerated` are config keys it may ignore (other scenarios' secrets). */
    readonly run: (tolerated: readonly string[]) => ScenarioOutputs;
}

/** What a scenario module declares; {@link defineScenario} makes the {@link Scenario} of it. */
export interface ScenarioDefinition {
    readonly name: ScenarioName;
    /** One line for the README table. */
    readonly summary: string;
    readonly keys: ConfigKeys;
    /** The Pod Security Standard its namespace enforces. */
    readonly podSecurity: PodSecurityLevel;
    /** The program: reads `settings`, creates everything in `base`'s namespace, returns the stack outputs. */
    readonly build: (settings: ScenarioSettings, base: ScenarioBase) => ScenarioOutputs;
}

/** A scenario whose run reads its declared config and creates its namespace before its program. */
export function defineScenario(definition: ScenarioDefinition): Scenario {
    const { build, keys, name, podSecurity, summary } = definition;
    return {
        name,
        summary,
        keys,
        run: (tolerated) => {
            const settings = new ScenarioSettings(name, keys, tolerated);
            return build(settings, scenarioBase(settings, podSecurity));
        },
    };
}
