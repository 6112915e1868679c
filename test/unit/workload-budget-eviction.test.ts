import * as assert from "assert";
import { ReplicatedCache } from "../../components/workload/replicated-cache";
import { StatefulWorkload } from "../../components/workload/stateful-workload";
import { expectInvalid } from "../support/pulumi";

const base = { namespace: "db", image: "postgres:16.4", ports: [{ name: "pg", port: 5432 }] };
const MIN = (replicas: number | string) => `must be less than replicas (${replicas}), or no node could ever be drained`;
const MAX_ZERO = 'must be at least 1 (or a percentage above "0%"), or no node could ever be drained';

describe("a disruption budget must let a pod be evicted (StatefulWorkload and ReplicatedCache)", () => {
    for (const [budget, line] of [
        [{ minAvailable: 3 }, `disruptionBudget.minAvailable: ${MIN(3)} (got 3)`],
        [{ minAvailable: 5 }, `disruptionBudget.minAvailable: ${MIN(3)} (got 5)`],
        [{ minAvailable: "100%" }, `disruptionBudget.minAvailable: ${MIN(3)} (got "100%")`],
        [{ maxUnavailable: 0 }, `disruptionBudget.maxUnavailable: ${MAX_ZERO} (got 0)`],
        [{ maxUnavailable: "0%" }, `disruptionBudget.maxUnavailable: ${MAX_ZERO} (got "0%")`],
    ] as const) {
        it(`StatefulWorkload refuses ${JSON.stringify(budget)} with 3 replicas`, () => {
            const { message, paths } = expectInvalid(() => new StatefulWorkload("a", { ...base, replicas: 3, disruptionBudget: budget }));
            assert.strictEqual(paths.length, 1, message);
            assert.ok(message.includes(`  - ${line}`), message);
        });
    }

    it("StatefulWorkload accepts budgets that let one pod go", () => {
        for (const budget of [{ minAvailable: 2 }, { maxUnavailable: 1 }, { minAvailable: "50%" }, { maxUnavailable: "34%" }]) {
            assert.doesNotThrow(() => new StatefulWorkload("a", { ...base, replicas: 3, disruptionBudget: budget }), JSON.stringify(budget));
        }
    });

    it("ReplicatedCache keeps its rules and now also refuses maxUnavailable 0", () => {
        const min = expectInvalid(() => new ReplicatedCache("c", { namespace: "shop", replicas: 3, disruptionBudget: { minAvailable: 3 } }));
        assert.deepStrictEqual(min.paths, ["disruptionBudget.minAvailable"]);
        assert.ok(min.message.includes(`disruptionBudget.minAvailable: ${MIN(3)} (got 3)`), min.message);
        const zero = expectInvalid(() => new ReplicatedCache("c", { namespace: "shop", replicas: 3, disruptionBudget: { maxUnavailable: 0 } }));
        assert.ok(zero.message.includes(`disruptionBudget.maxUnavailable: ${MAX_ZERO} (got 0)`), zero.message);
        const all = expectInvalid(() => new ReplicatedCache("c", { namespace: "shop", replicas: 3, disruptionBudget: { maxUnavailable: 3 } }));
        assert.ok(all.message.includes("disruptionBudget.maxUnavailable: must be less than replicas (3), so a drain never takes the whole cache down (got 3)"), all.message);
    });
});
