import * as assert from "assert";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import {
    checkStorageSize,
    isDns1123Label,
    isDns1123Subdomain,
    isEnvVarName,
    isIanaServiceName,
    isPort,
    parseQuantity,
    sortKeys,
    suggestQuantity,
} from "../../components/common/kubernetes";
import { describeValue, formatProblems, ProblemList, throwIfProblems } from "../../components/common/validation";

describe("common validation", () => {
    it("formats every problem with component, path, value and expectation", () => {
        const problems = new ProblemList().add("iops", 90000, "must be at most 80000").add("tags.Name", "", "must not be empty").problems;
        assert.strictEqual(
            formatProblems({ kind: "EbsStorageClass", name: "fast" }, problems),
            'EbsStorageClass "fast" has 2 invalid arguments:\n  - iops: must be at most 80000 (got 90000)\n  - tags.Name: must not be empty (got "")',
        );
    });

    it("throws one InputPropertiesError listing every problem, and nothing when clean", () => {
        assert.doesNotThrow(() => throwIfProblems({ kind: "X", name: "x" }, []));
        const problems = new ProblemList().add("a", 1, "must be 2").addSecret("password", "must not be empty").problems;
        try {
            throwIfProblems({ kind: "X", name: "x" }, problems);
            assert.fail("expected a throw");
        } catch (err) {
            assert.ok(pulumi.InputPropertiesError.isInstance(err));
            assert.deepStrictEqual(err.errors, [
                { propertyPath: "a", reason: "must be 2 (got 1)" },
                { propertyPath: "password", reason: "must not be empty (got [secret])" },
            ]);
        }
    });

    it("prefixes nested problem paths", () => {
        const inner = new ProblemList().add("size", "20GB", "x").add("[0]", 1, "y").problems;
        assert.deepStrictEqual(new ProblemList().addAll(inner, "volumes[1]").problems.map((p) => p.path), ["volumes[1].size", "volumes[1][0]"]);
    });

    it("never unwraps Outputs and shortens long values", () => {
        assert.strictEqual(describeValue(pulumi.secret("hunter2")), "an Output");
        assert.strictEqual(describeValue("x".repeat(200)).length, 120);
        assert.strictEqual(describeValue(undefined), "undefined");
        assert.strictEqual(describeValue({ a: [1] }), '{"a":[1]}');
    });
});

describe("Kubernetes naming rules", () => {
    const cases: Array<[string, boolean, boolean]> = [
        ["pg", true, true],
        ["pg-0", true, true],
        ["a.b", false, true],
        ["Pg", false, false],
        ["-pg", false, false],
        ["pg-", false, false],
        ["", false, false],
        ["a".repeat(63), true, true],
        ["a".repeat(64), false, true],
        ["a".repeat(254), false, false],
        ["pg_data", false, false],
    ];
    for (const [name, label, subdomain] of cases) {
        it(`${JSON.stringify(name.length > 20 ? `${name.slice(0, 5)}…(${name.length})` : name)}: label ${label}, subdomain ${subdomain}`, () => {
            assert.strictEqual(isDns1123Label(name), label);
            assert.strictEqual(isDns1123Subdomain(name), subdomain);
        });
    }

    it("applies the IANA service-name rule to port names", () => {
        assert.deepStrictEqual(
            ["postgres", "http-2", "a".repeat(15), "a".repeat(16), "80", "my--port", "-x", "Pg"].map(isIanaServiceName),
            [true, true, true, false, false, false, false, false],
        );
    });

    it("checks ports and environment variable names", () => {
        assert.deepStrictEqual([1, 65535, 0, 65536, 80.5, "80"].map(isPort), [true, true, false, false, false, false]);
        assert.deepStrictEqual(["DB_HOST", "_x", "1A", "A-B", ""].map(isEnvVarName), [true, true, false, false, false]);
    });
});

describe("quantities", () => {
    it("parses binary, decimal and exponent suffixes", () => {
        assert.deepStrictEqual(
            ["20Gi", "1Ti", "500Mi", "1G", "1.5k", "100m", "1e3", "7"].map(parseQuantity),
            [20 * 2 ** 30, 2 ** 40, 500 * 2 ** 20, 1e9, 1500, 0.1, 1000, 7],
        );
        assert.deepStrictEqual(["20GB", "20 Gi", "Gi", "20gi", ""].map(parseQuantity), [undefined, undefined, undefined, undefined, undefined]);
    });

    it("suggests the binary unit for the usual mistakes", () => {
        assert.deepStrictEqual(["20GB", "20gi", "5kb", "1.5TiB", "20Gi", "banana"].map(suggestQuantity), ["20Gi", "20Gi", "5Ki", "1.5Ti", undefined, undefined]);
    });

    it("reports a storage size with a hint", () => {
        const problems = new ProblemList();
        assert.strictEqual(checkStorageSize(problems, "volumes[0].size", "20GB"), undefined);
        assert.strictEqual(checkStorageSize(problems, "volumes[1].size", 20), undefined);
        assert.strictEqual(checkStorageSize(problems, "volumes[2].size", "0Gi"), undefined);
        assert.strictEqual(checkStorageSize(problems, "volumes[3].size", "10Gi"), 10 * 2 ** 30);
        assert.deepStrictEqual(problems.problems, [
            { path: "volumes[0].size", value: '"20GB"', expected: 'must be a Kubernetes quantity such as "20Gi", "500Mi" or "1Ti"; did you mean "20Gi"?' },
            { path: "volumes[1].size", value: "20", expected: 'must be a Kubernetes quantity such as "20Gi", "500Mi" or "1Ti", given as a string' },
            { path: "volumes[2].size", value: '"0Gi"', expected: "must be greater than zero" },
        ]);
    });

    it("round-trips every whole number of GiB", () => {
        fc.assert(fc.property(fc.integer({ min: 1, max: 65536 }), (gib) => parseQuantity(`${gib}Gi`) === gib * 2 ** 30));
    });
});

describe("sortKeys", () => {
    it("sorts nested object keys and keeps array order", () => {
        const sorted = sortKeys({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 3 } });
        assert.strictEqual(JSON.stringify(sorted), '{"a":{"c":3,"d":[{"y":2,"z":1}]},"b":1}');
    });
});
