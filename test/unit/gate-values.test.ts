import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as path from "path";
import { diffMarkdown, evaluateGate, formatChange, formatGate, formatValue, lookup, parsePropertyPath, parsePreview, PreviewStep, readDocument, redactValue, stepsByUrn, valueChanges } from "../../tools/gate";

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

/** The diff lands in a PR comment: no credential in plaintext, whatever type or key holds it. */
describe("diff values: credentials are never printed", () => {
    const fixture = path.join(__dirname, "..", "fixtures", "gate", "credentials-in-diff.json");

    it("hides env values named like credentials, connection strings with a password, and SecretPatch data", () => {
        const doc = parsePreview(readDocument(fixture));
        const markdown = diffMarkdown(doc);
        assert.equal(markdown, [
            "### Pulumi preview of `p` stack `s`",
            "",
            "| op | count |",
            "| --- | ---: |",
            "| update | 2 |",
            "",
            "| op | type | name | changes | data |",
            "| --- | --- | --- | --- | --- |",
            "| update | `kubernetes:apps/v1:Deployment` | `api` | `spec.template.spec.containers[0].env[0].value`: `[secret]` → `[secret]`<br>`spec.template.spec.containers[0].env[1].value`: `[secret]` → `[secret]` |  |",
            "| update | `kubernetes:core/v1:SecretPatch` | `sp` | `stringData.password`: `[secret]` → `[secret]` |  |",
            "",
            "**Data gate: passed.** No change destroys data or weakens its protection.",
            "",
        ].join("\n"));
        for (const leak of ["oldpass1", "newpass2"]) {
            assert.ok(!markdown.includes(leak), leak);
        }
    });

    it("the gate's printout hides them too", () => {
        const doc = parsePreview(readDocument(fixture));
        const changes = new Map([...stepsByUrn(doc).entries()].map(([urn, steps]) => [urn, valueChanges(steps)]));
        const text = formatGate(evaluateGate(doc), changes) + [...changes.values()].flat().map(formatChange).join("\n");
        assert.equal([...changes.values()].flat().map(formatChange).join("\n"), [
            "spec.template.spec.containers[0].env[0].value: [secret] → [secret]",
            "spec.template.spec.containers[0].env[1].value: [secret] → [secret]",
            "stringData.password: [secret] → [secret]",
        ].join("\n"));
        assert.ok(!/oldpass1|newpass2/.test(text));
    });

    const state = (type: string, inputs: Record<string, unknown>) => ({ urn: `urn:pulumi:s::p::${type}::r`, type, custom: true, inputs });
    const change = (type: string, path: string, olds: Record<string, unknown>, news: Record<string, unknown>) =>
        valueChanges([{ op: "update", urn: `urn:pulumi:s::p::${type}::r`, oldState: state(type, olds), newState: state(type, news), detailedDiff: { [path]: { kind: "update" } } } as PreviewStep]).map(formatChange);

    it("data and stringData of every type named with Secret are secret", () => {
        assert.deepEqual(change("kubernetes:core/v1:SecretList", "items", { items: [] }, { items: [] }), ["items: [] → []"]);
        assert.deepEqual(change("kubernetes:core/v1:SecretPatch", "data.HOSTS", { data: { HOSTS: "a" } }, { data: { HOSTS: "b" } }), ["data.HOSTS: [secret] → [secret]"]);
        assert.deepEqual(change("kubernetes:core/v1:Secret", "stringData", { stringData: { a: "1" } }, { stringData: { a: "2" } }), ["stringData: [secret] → [secret]"]);
    });

    it("a value under a credential-looking key anywhere is secret; a Secret reference is not", () => {
        assert.deepEqual(change("kubernetes:core/v1:ConfigMap", "data.DB_PASSWORD", { data: { DB_PASSWORD: "x1" } }, { data: { DB_PASSWORD: "x2" } }), ["data.DB_PASSWORD: [secret] → [secret]"]);
        assert.deepEqual(change("aws:rds/instance:Instance", "password", { password: "x1" }, { password: "x2" }), ["password: [secret] → [secret]"]);
        assert.deepEqual(
            change("kubernetes:apps/v1:Deployment", "spec.volumes[0].secret.secretName", { spec: { volumes: [{ secret: { secretName: "a" } }] } }, { spec: { volumes: [{ secret: { secretName: "b" } }] } }),
            ["spec.volumes[0].secret.secretName: a → b"],
        );
    });

    it("a whole object or list printed is redacted inside", () => {
        const env = (pw: string) => ({ env: [{ name: "PGPASSWORD", value: pw }, { name: "URL", value: `postgres://app:${pw}@db/x` }, { name: "MODE", value: "on" }], options: { apiToken: pw, user: "app" } });
        assert.deepEqual(redactValue(env("p1")), {
            env: [{ name: "PGPASSWORD", value: "[secret]" }, { name: "URL", value: "[secret]" }, { name: "MODE", value: "on" }],
            options: { apiToken: "[secret]", user: "app" },
        });
        assert.deepEqual(change("kubernetes:core/v1:Pod", "env", { env: [{ name: "TOKEN", value: "p1" }] }, { env: [{ name: "TOKEN", value: "p2" }] }), [
            'env: [{"name":"TOKEN","value":"[secret]"}] → [{"name":"TOKEN","value":"[secret]"}]',
        ]);
        assert.deepEqual(change("kubernetes:core/v1:ConfigMap", "data.URL", { data: { URL: "postgres://app:p1@db/x" } }, { data: { URL: "jdbc:postgresql://db/x?password=p2" } }), ["data.URL: [secret] → [secret]"]);
        assert.deepEqual(change("kubernetes:core/v1:ConfigMap", "data.CONF", { data: { CONF: "a\nurl=postgres://app:p1@db/x" } }, { data: { CONF: "b" } }), ["data.CONF: [secret] → b"]);
    });
});
