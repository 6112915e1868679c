import { externalDatabase } from "./external-database";
import { nodeLocalStore } from "./node-local-store";
import { postgresEbs } from "./postgres-ebs";
import { replicatedCache } from "./replicated-cache";
import { Scenario, ScenarioName, SCENARIO_NAMES } from "./scenario";
import { sharedContentEfs } from "./shared-content-efs";
import { zookeeperEnsemble } from "./zookeeper-ensemble";

/** Every scenario, by name. */
export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
    "shared-content-efs": sharedContentEfs,
    "postgres-ebs": postgresEbs,
    "zookeeper-ensemble": zookeeperEnsemble,
    "external-database": externalDatabase,
    "replicated-cache": replicatedCache,
    "node-local-store": nodeLocalStore,
};

/** Secret keys of every scenario: the offline plan fills each in for every stack. */
export function allSecretKeys(): string[] {
    return Object.values(SCENARIOS)
        .flatMap((s) => Object.entries(s.keys).filter(([, spec]) => "secret" in spec && spec.secret === true).map(([key]) => key))
        .sort();
}

/** Looks a scenario up; throws naming the known ones. */
export function scenarioNamed(name: string): Scenario {
    const scenario = SCENARIOS[name as ScenarioName];
    if (!scenario) {
        throw new Error(`unknown scenario "${name}"; set stateful-stacks:scenario to one of ${SCENARIO_NAMES.join(", ")}`);
    }
    return scenario;
}

/** Runs the named scenario and returns its stack outputs. */
export function runScenario(name: string) {
    const scenario = scenarioNamed(name);
    return scenario.run(allSecretKeys().filter((k) => !(k in scenario.keys)));
}
