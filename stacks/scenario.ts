import * as pulumi from "@pulumi/pulumi";
import { ConfigKeys } from "./settings";

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
