import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";

/** Loads the library in a fresh process and reports which kubernetes-models files are loaded at each step. */
const SCRIPT = `
const loaded = () => Object.keys(require.cache).filter((file) => file.includes("kubernetes-models")).length;
const steps = {};
require("./components");
steps.require = loaded();
const { validateStatefulWorkloadArgs } = require("./components/workload/stateful-workload-validate");
const base = { namespace: "db", image: "postgres:16.4", ports: [{ name: "pg", port: 5432 }] };
validateStatefulWorkloadArgs("pg", base);
steps.plain = loaded();
validateStatefulWorkloadArgs("pg", { ...base, readinessProbe: { tcpSocket: { port: "pg" } } });
steps.probe = loaded();
process.stdout.write(JSON.stringify(steps));
`;

describe("strict schema checks load kubernetes-models lazily", () => {
    it("loads none of it with the library or for plain arguments, and the probe model only when a probe is given", function () {
        this.timeout(60000);
        const root = path.resolve(__dirname, "../..");
        const output = execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", SCRIPT], { cwd: root, encoding: "utf8" });
        const steps = JSON.parse(output) as { require: number; plain: number; probe: number };
        assert.strictEqual(steps.require, 0);
        assert.strictEqual(steps.plain, 0);
        assert.ok(steps.probe > 0 && steps.probe < 200, `a probe loads its own model and schemas only (${steps.probe} files)`);
    });
});
