import { strict as assert } from "assert";
import * as fc from "fast-check";
import { formatChange, formatValue, lookup, parsePropertyPath, PreviewStep, valueChanges } from "../../tools/gate";

/** Old → new values for the diff: the property paths the engine writes, secrets kept secret. */
describe("diff values: property paths", () => {
    const table: [string, (string | number)[] | undefined][] = [
        ["spec.replicas", ["spec", "replicas"]],
        ["spec.template.spec.containers[0].image", ["spec", "template", "spec", "containers", 0, "image"]],
        ['metadata.annotations["stateful-stacks.io/store-orders-db-checksum"]', ["metadata", "annotations", "stateful-stacks.io/store-orders-db-checksum"]],
        ['data["a\\"b"]', ["data", 'a"b']],
        ["data.HOSTS", ["data", "HOSTS"]],
        ["args[10]", ["args", 10]],
        ["", undefined],
        ["spec.", undefined],
        [".spec", undefined],
        ["spec[x]", undefined],
        ['spec["open', undefined],
    ];
    for (const [path, segments] of table) {
        it(`${JSON.stringify(path)}`, () => assert.deepEqual(parsePropertyPath(path), segments));
    }

    it("any dotted identifier path with indices parses back to its segments", () => {
        const segment = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,6}$/), fc.nat(20));
        fc.assert(fc.property(fc.stringMatching(/^[a-z]{1,6}$/), fc.array(segment, { maxLength: 5 }), (first, rest) => {
            const path = first + rest.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("");
            assert.deepEqual(parsePropertyPath(path), [first, ...rest]);
        }));
    });
});

describe("diff values: lookup and formatting", () => {
    it("finds values in objects and lists; a secret anywhere on the path is a secret", () => {
        const object = { spec: { containers: [{ image: "redis:7.4" }] }, data: "[secret]", env: { token: "[secret]" } };
        assert.deepEqual(lookup(object, ["spec", "containers", 0, "image"]), { kind: "value", value: "redis:7.4" });
        assert.deepEqual(lookup(object, ["spec", "containers", 1]), { kind: "absent" });
        assert.deepEqual(lookup(object, ["data", "password"]), { kind: "secret" });
        assert.deepEqual(lookup(object, ["env", "token"]), { kind: "secret" });
        assert.deepEqual(lookup(object, ["spec", "toString"]), { kind: "absent" }, "only own properties");
    });

    it("prints strings bare, the rest as JSON, unknowns and long or multi-line values shortened", () => {
        assert.equal(formatValue({ kind: "value", value: "50Gi" }), "50Gi");
        assert.equal(formatValue({ kind: "value", value: 3 }), "3");
        assert.equal(formatValue({ kind: "value", value: { a: [1, true] } }), '{"a":[1,true]}');
        assert.equal(formatValue({ kind: "value", value: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }), "(known after update)");
        assert.equal(formatValue({ kind: "value", value: "set -e\nexec pg_dump" }), "set -e…");
        assert.equal(formatValue({ kind: "value", value: "x".repeat(80) }), `${"x".repeat(59)}…`);
        assert.equal(formatValue({ kind: "absent" }), "(none)");
        assert.equal(formatValue({ kind: "secret" }), "[secret]");
    });

    it("never prints a Kubernetes Secret's data, even where the document holds it in plain text", () => {
        const urn = "urn:pulumi:dev::shop::kubernetes:core/v1:Secret::db";
        const steps: PreviewStep[] = [{
            op: "update",
            urn,
            oldState: { urn, type: "kubernetes:core/v1:Secret", inputs: { stringData: { password: "old-pw" }, metadata: { labels: { a: "1" } } } },
            newState: { urn, type: "kubernetes:core/v1:Secret", inputs: { stringData: { password: "new-pw" }, metadata: { labels: { a: "2" } } } },
            detailedDiff: { "stringData.password": { kind: "update", inputDiff: true }, "metadata.labels.a": { kind: "update", inputDiff: true } },
        }];
        assert.deepEqual(valueChanges(steps).map(formatChange), ["metadata.labels.a: 1 → 2", "stringData.password: [secret] → [secret]"]);
    });

    it("adds and deletes show (none) on the missing side; replacing changes come first", () => {
        const urn = "urn:pulumi:dev::shop::kubernetes:apps/v1:Deployment::web";
        const steps: PreviewStep[] = [{
            op: "replace",
            urn,
            oldState: { urn, type: "kubernetes:apps/v1:Deployment", inputs: { spec: { args: ["a"] }, metadata: { namespace: "web" } } },
            newState: { urn, type: "kubernetes:apps/v1:Deployment", inputs: { spec: { args: ["a", "b"] }, metadata: { namespace: "web-v2" } } },
            detailedDiff: { "spec.args[1]": { kind: "add", inputDiff: true }, "metadata.namespace": { kind: "update-replace", inputDiff: true } },
        }];
        assert.deepEqual(valueChanges(steps).map(formatChange), ["metadata.namespace: web → web-v2 (replaces)", "spec.args[1]: (none) → b"]);
    });

    it("reads the provider's outputs when the inputs lack the path", () => {
        const urn = "urn:pulumi:dev::shop::kubernetes:core/v1:PersistentVolumeClaim::data";
        const steps: PreviewStep[] = [{
            op: "update",
            urn,
            oldState: { urn, type: "kubernetes:core/v1:PersistentVolumeClaim", inputs: { spec: {} }, outputs: { spec: { volumeMode: "Filesystem" } } },
            newState: { urn, type: "kubernetes:core/v1:PersistentVolumeClaim", inputs: { spec: { volumeMode: "Block" } } },
            detailedDiff: { "spec.volumeMode": { kind: "update", inputDiff: false } },
        }];
        assert.deepEqual(valueChanges(steps).map(formatChange), ["spec.volumeMode: Filesystem → Block"]);
    });
});
