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

/** One line per scenario for the README table. */
export const SCENARIO_SUMMARIES: Readonly<Record<ScenarioName, string>> = {
    "shared-content-efs": "EfsStorageClass (new file system across three subnets, or an existing `fileSystemId`), one ReadWriteMany claim, and a Deployment of web servers serving from it.",
    "postgres-ebs": "PostgreSQL as a StatefulWorkload on a \"fast\" gp3 class with its own KMS key and a VolumeSnapshotClass; a pg_dump CronJob writing to a claim on a \"slow\" st1 class.",
    "zookeeper-ensemble": "A 3-member ZooKeeper StatefulWorkload: Parallel start, ids 1..3 from the ordinal, server list from `podDnsNames`, data + datalog gp3 volumes, PDB maxUnavailable 1, required zone spread.",
    "external-database": "An app Deployment reaching a database outside the cluster through ExternalStore (ConfigMap + Secret + ExternalName Service) with a wait-for-store init container.",
    "replicated-cache": "ReplicatedCache: 3 memcached (or redis) replicas on different nodes behind one Service, with a PodDisruptionBudget; no volumes.",
    "node-local-store": "NodeLocalStore: a DaemonSet pinned to nodes labelled for storage, keeping data in a host directory, plus a StorageClass for local PersistentVolumes.",
};

/** The program of a scenario: reads `settings`, creates everything in `base`'s namespace, returns the stack outputs. */
export type ScenarioProgram = (settings: ScenarioSettings, base: ScenarioBase) => ScenarioOutputs;

/**
 * The scenario `name`, reading the config `keys`: its run reads them and creates its
 * namespace, enforcing the Pod Security Standard `podSecurity`, before `build`.
 */
export function defineScenario(name: ScenarioName, keys: ConfigKeys, podSecurity: PodSecurityLevel, build: ScenarioProgram): Scenario {
    return {
        name,
        summary: SCENARIO_SUMMARIES[name],
        keys,
        run: (tolerated) => {
            const settings = new ScenarioSettings(name, keys, tolerated);
            return build(settings, scenarioBase(settings, podSecurity));
        },
    };
}
