import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BENCH_HOSTILE_RUNS, hostileTestFiles } from "../../tools/bench/hostile";
import { hostileRuns, hostileTally, reportHostileTally } from "../support/hostile";

describe("the hostile-input run's bounds and report", () => {
    it("runs the suite's bound unless STATEFUL_STACKS_HOSTILE_RUNS asks for more", () => {
        assert.strictEqual(hostileRuns(150, {}), 150);
        assert.strictEqual(hostileRuns(150, { STATEFUL_STACKS_HOSTILE_RUNS: "" }), 150);
        assert.strictEqual(hostileRuns(150, { STATEFUL_STACKS_HOSTILE_RUNS: "20000" }), 20000);
        assert.strictEqual(BENCH_HOSTILE_RUNS, 1000);
    });

    for (const bad of ["0", "-5", "1.5", "1e3", "ten", " 100", "10000001"]) {
        it(`refuses STATEFUL_STACKS_HOSTILE_RUNS=${JSON.stringify(bad)}`, () => {
            assert.throws(() => hostileRuns(150, { STATEFUL_STACKS_HOSTILE_RUNS: bad }), {
                message: `STATEFUL_STACKS_HOSTILE_RUNS must be a whole number from 1 to 10000000 (got ${JSON.stringify(bad)})`,
            });
        });
    }

    it("finds every component's hostile-input file, and none of the e2e tier", () => {
        const root = path.resolve(__dirname, "../..");
        assert.deepStrictEqual(
            hostileTestFiles().map((f) => path.relative(root, f)),
            [
                "test/component/cache-hostile.test.ts",
                "test/component/node-local-hostile.test.ts",
                "test/unit/bench-hostile.test.ts",
                "test/unit/external-hostile-property.test.ts",
                "test/unit/storage-attributes-hostile-property.test.ts",
                "test/unit/storage-hostile-property.test.ts",
                "test/unit/workload-stateful-hostile-property.test.ts",
                "test/unit/workload-stateful-hostile.test.ts",
            ],
        );
    });

    it("appends one JSON line per property to the report file, only when asked", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-report-"));
        try {
            const file = path.join(dir, "tally.jsonl");
            const tally = hostileTally("ExternalStore", 5432, 3);
            tally.refused += 2;
            tally.accepted += 1;
            reportHostileTally(tally, {});
            assert.ok(!fs.existsSync(file));
            reportHostileTally(tally, { STATEFUL_STACKS_HOSTILE_REPORT: file });
            reportHostileTally(hostileTally("NodeLocalStore", 2020, 0), { STATEFUL_STACKS_HOSTILE_REPORT: file });
            assert.strictEqual(
                fs.readFileSync(file, "utf8"),
                '{"accepted":1,"property":"ExternalStore","refused":2,"runs":3,"seed":5432,"tried":3}\n{"accepted":0,"property":"NodeLocalStore","refused":0,"runs":0,"seed":2020,"tried":0}\n',
            );
        } finally {
            fs.rmSync(dir, { force: true, recursive: true });
        }
    });
});
