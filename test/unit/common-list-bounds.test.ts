import * as assert from "assert";
import { ExternalStore } from "../../components/external/external-store";
import { formatProblems, Problem } from "../../components/common/validation";
import { StatefulWorkload } from "../../components/workload/stateful-workload";
import { expectInvalid } from "../support/pulumi";

const base = { namespace: "db", image: "postgres:16.4", ports: [{ name: "pg", port: 5432 }] };

describe("list lengths are bounded before any element is read", () => {
    it("refuses an array-like claiming 2^32-1 ports at once", () => {
        const { message, paths } = expectInvalid(() => new StatefulWorkload("a", { ...base, ports: Object.assign([], { length: 2 ** 32 - 1 }) } as never));
        assert.deepStrictEqual(paths, ["ports"]);
        assert.ok(message.includes('ports: must have at most 1000 elements (got "4294967295 elements")'), message);
    });

    it("refuses sparse volumes, initContainers, tolerations and args of a million elements in one line each", () => {
        const huge = () => new Array(1e6);
        const { message, paths } = expectInvalid(
            () => new StatefulWorkload("a", { ...base, volumes: huge(), initContainers: huge(), tolerations: huge(), args: huge(), readinessProbe: { exec: { command: huge() } } } as never),
        );
        assert.deepStrictEqual([...paths].sort(), ["args", "initContainers", "readinessProbe.exec.command", "tolerations", "volumes"]);
        assert.ok(message.includes('volumes: must have at most 1000 elements (got "1000000 elements")'), message);
        assert.ok(message.split("\n").length < 10, message);
    });

    it("keeps a list's own, smaller maximum (ExternalStore hosts: 64)", () => {
        const { message } = expectInvalid(() => new ExternalStore("s", { namespace: "a", engine: "postgresql", password: "x", hosts: Object.assign([], { length: 2 ** 32 - 1 }) } as never));
        assert.ok(message.includes('hosts: must have at most 64 elements (got "4294967295 elements")'), message);
    });

    it("a message lists at most 50 problems, then how many more", () => {
        const problems: Problem[] = Array.from({ length: 120 }, (_, i) => ({ path: `ports[${i}]`, value: "undefined", expected: "must not be a hole" }));
        const lines = formatProblems({ kind: "StatefulWorkload", name: "a" }, problems).split("\n");
        assert.strictEqual(lines.length, 52);
        assert.strictEqual(lines[0], 'StatefulWorkload "a" has 120 invalid arguments:');
        assert.strictEqual(lines[50], "  - ports[49]: must not be a hole (got undefined)");
        assert.strictEqual(lines[51], "  … and 70 more");
        const { message } = expectInvalid(() => new StatefulWorkload("a", { ...base, ports: new Array(900) } as never));
        assert.ok(message.endsWith("  … and 850 more"), message.slice(-200));
    });
});
