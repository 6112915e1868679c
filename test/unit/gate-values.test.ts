import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as path from "path";
import * as fs from "fs";
import { diffMarkdown, evaluateGate, formatChange, formatComment, formatGate, formatValue, lookup, parsePropertyPath, parsePreview, PreviewDocument, PreviewStep, readDocument, redactValue, stepsByUrn, UNKNOWN_TEXT, UNKNOWN_VALUE, valueChanges } from "../../tools/gate";

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
        assert.equal(formatValue({ kind: "value", value: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }), "[unknown]");
        assert.equal(formatValue({ kind: "unknown" }), "[unknown]");
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

    it("hides env values named like credentials, connection strings with a password, and SecretPatch data (a real preview: the engine prints them in plain text)", () => {
        const doc = parsePreview(readDocument(fixture));
        const markdown = diffMarkdown(doc);
        assert.equal(markdown, [
            "### Pulumi preview of `stateful-stacks-gate` stack `gate-scratch`",
            "",
            "| op | count |",
            "| --- | ---: |",
            "| same | 13 |",
            "| create | 1 |",
            "| update | 2 |",
            "",
            "| op | type | name | changes | data |",
            "| --- | --- | --- | --- | --- |",
            "| update | `kubernetes:apps/v1:Deployment` | `api` | `spec.template.metadata.annotations`: `(none)` → `{\"example.com/revision\":[unknown]}`<br>`spec.template.spec.containers[0].env[0].value`: `[secret]` → `[secret]`<br>`spec.template.spec.containers[0].env[1].value`: `[secret]` → `[secret]`<br>`spec.template.spec.containers[0].env[2].value`: `r0` → `[unknown]` |  |",
            "| update | `kubernetes:core/v1:SecretPatch` | `sp` | `data.password`: `[secret]` → `[secret]` |  |",
            "| create | `pulumi-nodejs:dynamic/gate:Revision` | `revision` |  |  |",
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
            'spec.template.metadata.annotations: (none) → {"example.com/revision":[unknown]}',
            "spec.template.spec.containers[0].env[0].value: [secret] → [secret]",
            "spec.template.spec.containers[0].env[1].value: [secret] → [secret]",
            "spec.template.spec.containers[0].env[2].value: r0 → [unknown]",
            "data.password: [secret] → [secret]",
        ].join("\n"));
        assert.ok(!/oldpass1|newpass2/.test(text));
        assert.ok(readDocument(fixture).includes("newpass2"), "the engine's document holds the literal");
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

/**
 * The engine writes every value not known at preview time, at any depth, as the sentinel
 * string; the diff and the gate print `[unknown]` for it, as the CLI's own diff does, and
 * never the sentinel.
 */
describe("diff values: values not known until the update", () => {
    const U = UNKNOWN_VALUE;

    it("is printed [unknown], unquoted inside objects and lists, so it never reads as a string", () => {
        assert.equal(UNKNOWN_TEXT, "[unknown]");
        assert.equal(formatValue({ kind: "value", value: { a: U, b: [1, U, { c: U }], d: "x" } }), '{"a":[unknown],"b":[1,[unknown],{"c":[unknown]}],"d":"x"}');
        assert.equal(formatValue({ kind: "value", value: [U, U] }), "[[unknown],[unknown]]");
        assert.equal(formatValue({ kind: "value", value: "[unknown]" }), "[unknown]", "a string is printed bare, like every string");
        assert.equal(formatValue({ kind: "value", value: ["[unknown]"] }), '["[unknown]"]', "…but quoted inside a list");
        assert.equal(formatValue({ kind: "value", value: { a: "[secret]", b: U } }), '{"a":"[secret]","b":[unknown]}');
    });

    it("a path below a value not known yet (a whole object computed) holds an unknown", () => {
        const object = { metadata: { labels: U }, spec: { ports: [U, { port: 80 }] }, data: "[secret]" };
        assert.deepEqual(lookup(object, ["metadata", "labels", "app"]), { kind: "unknown" });
        assert.deepEqual(lookup(object, ["metadata", "labels"]), { kind: "unknown" });
        assert.deepEqual(lookup(object, ["spec", "ports", 0, "port"]), { kind: "unknown" });
        assert.deepEqual(lookup(object, ["spec", "ports", 1, "port"]), { kind: "value", value: 80 });
        assert.deepEqual(lookup(object, ["data", "x"]), { kind: "secret" });
    });

    const urn = "urn:pulumi:dev::shop::kubernetes:apps/v1:Deployment::web";
    const type = "kubernetes:apps/v1:Deployment";
    const olds = {
        metadata: { annotations: { "checksum/config": "a1" }, labels: { app: "web", tier: "front" } },
        spec: {
            selector: { matchLabels: { app: "web" } },
            template: {
                spec: {
                    containers: [{
                        env: [{ name: "PGPASSWORD", value: "old-pw-1" }, { name: "DB_HOST", value: "db-1" }, { name: "API_TOKEN", value: "[secret]" }],
                        envFrom: [{ configMapRef: { name: "conn-1" } }],
                        image: "web:1",
                    }],
                    volumes: [{ pvc: "data-1" }],
                },
            },
        },
    };
    const news = {
        metadata: { annotations: U, labels: { app: "web", tier: U } },
        spec: {
            selector: { matchLabels: { app: "web" } },
            template: {
                spec: {
                    containers: [{
                        env: [{ name: "PGPASSWORD", value: U }, { name: "DB_HOST", value: U }, { name: "API_TOKEN", value: "[secret]" }],
                        envFrom: [{ configMapRef: { name: U } }, { secretRef: { name: U } }],
                        image: "web:2",
                    }],
                    volumes: [{ pvc: U }, U],
                },
            },
        },
    };
    const steps: PreviewStep[] = [{
        op: "update",
        urn,
        oldState: { urn, type, inputs: olds },
        newState: { urn, type, inputs: news },
        detailedDiff: {
            "metadata.annotations": { kind: "update", inputDiff: true },
            "metadata.labels": { kind: "update", inputDiff: true },
            "spec.template.spec.containers[0].env[0].value": { kind: "update", inputDiff: true },
            "spec.template.spec.containers[0].env[1].value": { kind: "update", inputDiff: true },
            "spec.template.spec.containers[0].env[2].value": { kind: "update", inputDiff: true },
            "spec.template.spec.containers[0].envFrom": { kind: "update", inputDiff: true },
            "spec.template.spec.containers[0].image": { kind: "update", inputDiff: true },
            "spec.template.spec.volumes": { kind: "update", inputDiff: true },
            "spec.template.spec.volumes[1]": { kind: "add", inputDiff: true },
            "metadata.annotations[\"checksum/config\"]": { kind: "update", inputDiff: true },
        },
    }];

    it("nested objects, lists, secrets and credentials mixed with unknowns", () => {
        assert.deepEqual(valueChanges(steps).map(formatChange), [
            'metadata.annotations: {"checksum/config":"a1"} → [unknown]',
            'metadata.annotations["checksum/config"]: a1 → [unknown]',
            'metadata.labels: {"app":"web","tier":"front"} → {"app":"web","tier":[unknown]}',
            // Cut at 60 characters, before an [unknown] rather than inside it.
            'spec.template.spec.containers[0].envFrom: [{"configMapRef":{"name":"conn-1"}}] → [{"configMapRef":{"name":[unknown]}},{"secretRef":{"name":…',
            "spec.template.spec.containers[0].env[0].value: [secret] → [secret]",
            "spec.template.spec.containers[0].env[1].value: db-1 → [unknown]",
            "spec.template.spec.containers[0].env[2].value: [secret] → [secret]",
            "spec.template.spec.containers[0].image: web:1 → web:2",
            'spec.template.spec.volumes: [{"pvc":"data-1"}] → [{"pvc":[unknown]},[unknown]]',
            'spec.template.spec.volumes[1]: (none) → [unknown]',
        ]);
    });

    it("a Secret's data that is not known yet is still [secret]; an unknown under a credential key too", () => {
        const secretUrn = "urn:pulumi:dev::shop::kubernetes:core/v1:Secret::db";
        const secretSteps: PreviewStep[] = [{
            op: "update",
            urn: secretUrn,
            oldState: { urn: secretUrn, type: "kubernetes:core/v1:Secret", inputs: { data: { password: "[secret]" }, metadata: { labels: { v: "1" } } } },
            newState: { urn: secretUrn, type: "kubernetes:core/v1:Secret", inputs: { data: U, metadata: { labels: U } } },
            detailedDiff: { "data.password": { kind: "update", inputDiff: true }, data: { kind: "update", inputDiff: true }, "metadata.labels.v": { kind: "update", inputDiff: true } },
        }];
        assert.deepEqual(valueChanges(secretSteps).map(formatChange), ["data: [secret] → [secret]", "data.password: [secret] → [secret]", "metadata.labels.v: 1 → [unknown]"]);
        const cmUrn = "urn:pulumi:dev::shop::kubernetes:core/v1:ConfigMap::c";
        const cmSteps: PreviewStep[] = [{
            op: "update",
            urn: cmUrn,
            oldState: { urn: cmUrn, type: "kubernetes:core/v1:ConfigMap", inputs: { data: { DB_PASSWORD: "x1" } } },
            newState: { urn: cmUrn, type: "kubernetes:core/v1:ConfigMap", inputs: { data: { DB_PASSWORD: U } } },
            detailedDiff: { "data.DB_PASSWORD": { kind: "update", inputDiff: true } },
        }];
        assert.deepEqual(valueChanges(cmSteps).map(formatChange), ["data.DB_PASSWORD: [secret] → [secret]"]);
    });

    const document: PreviewDocument = { steps, changeSummary: { update: 1 } };

    it("the Markdown diff prints [unknown] and no sentinel", () => {
        const markdown = diffMarkdown(document);
        assert.ok(markdown.includes("`metadata.labels`: `{\"app\":\"web\",\"tier\":\"front\"}` → `{\"app\":\"web\",\"tier\":[unknown]}`"), markdown);
        assert.ok(markdown.includes("`spec.template.spec.containers[0].env[1].value`: `db-1` → `[unknown]`"), markdown);
        assert.ok(!markdown.includes(U) && !markdown.includes("old-pw-1"), markdown);
        const comment = formatComment([{ label: "dev", doc: document, gate: evaluateGate(document) }]);
        assert.ok(comment.includes("`[unknown]`") && !comment.includes(U) && !comment.includes("old-pw-1"), comment);
    });

    it("the gate's text printout prints [unknown] and no sentinel", () => {
        const urnPvc = "urn:pulumi:dev::shop::kubernetes:core/v1:PersistentVolumeClaim::data";
        const doc: PreviewDocument = {
            steps: [...steps, {
                op: "delete",
                urn: urnPvc,
                oldState: { urn: urnPvc, type: "kubernetes:core/v1:PersistentVolumeClaim", inputs: { metadata: { name: "data" } } },
            }],
        };
        const changes = new Map([...stepsByUrn(doc).entries()].map(([u, s]) => [u, valueChanges(s)]));
        const text = formatGate(evaluateGate(doc), new Map([[urnPvc, changes.get(urn)!]]));
        assert.ok(text.includes("changes: metadata.annotations: {\"checksum/config\":\"a1\"} → [unknown]"), text);
        assert.ok(!text.includes(U) && !text.includes("old-pw-1"), text);
    });

    it("no committed fixture's diff or gate printout shows the sentinel", () => {
        let printed = 0;
        for (const dir of ["preview", "gate"].map((d) => path.join(__dirname, "..", "fixtures", d))) {
            for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json") && !["cases.json", "preview-verdicts.json"].includes(f))) {
                let doc: PreviewDocument;
                try {
                    doc = parsePreview(readDocument(path.join(dir, file)));
                } catch {
                    continue;
                }
                const changes = new Map([...stepsByUrn(doc).entries()].map(([u, s]) => [u, valueChanges(s)]));
                const options = { dataTypes: ["pulumi-nodejs:dynamic/stateful:Volume"] };
                const out = diffMarkdown(doc, options) + formatGate(evaluateGate(doc, options), changes) + [...changes.values()].flat().map(formatChange).join("\n");
                assert.ok(!out.includes(U), `${file}: ${out.split("\n").filter((l) => l.includes(U)).join("\n")}`);
                printed++;
            }
        }
        assert.ok(printed > 20, `${printed} documents`);
    });
});
