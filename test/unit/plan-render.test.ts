import * as assert from "assert";
import * as fc from "fast-check";
import { parsePlanArgs } from "../../tools/cli";
import { readableSchemaMessage } from "../../tools/plan/evaluate";
import { countByType, fileContent, formatPlan, outputFileName, PlannedResource, redactLeaves, sortKeys, StackRender, toYaml, treeRows } from "../../tools/plan/render";

const STACK_URN = "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev";

function resource(type: string, name: string, parent: string | undefined, inputs: Record<string, unknown> = {}, custom = true): PlannedResource {
    return { custom, inputs, name, parent, protect: false, retainOnDelete: false, type, urn: `urn:pulumi:dev::demo::${type}::${name}` };
}

const COMPONENT = resource("demo:db:Database", "db", STACK_URN, {}, false);
const RENDER: StackRender = {
    outputs: { dns: "db-0.db", password: "[secret]" },
    placeholders: ["demo:password"],
    project: "demo",
    resources: [
        { ...resource("pulumi:pulumi:Stack", "demo-dev", undefined, {}, false), urn: STACK_URN },
        resource("kubernetes:core/v1:Secret", "creds", COMPONENT.urn, { apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "db" } }),
        COMPONENT,
        { ...resource("kubernetes:core/v1:Namespace", "db", STACK_URN, { apiVersion: "v1", kind: "Namespace", metadata: { name: "db" } }), retainOnDelete: true },
        resource("aws:kms/key:Key", "db-key", COMPONENT.urn, { enableKeyRotation: true }),
    ],
    schemaProblems: [],
    stack: "dev",
};

describe("plan: rendering", () => {
    it("prints the tree as pulumi preview does, with outputs and counts per type", () => {
        assert.strictEqual(
            formatPlan(RENDER),
            [
                "Previewing stack dev (project demo) with the offline plan: no cloud, no credentials",
                "",
                "     Type                             Name      Plan",
                " +   pulumi:pulumi:Stack              demo-dev  create",
                " +   ├─ demo:db:Database              db        create",
                " +   │  ├─ aws:kms/key:Key            db-key    create",
                " +   │  └─ kubernetes:core/v1:Secret  creds     create",
                " +   └─ kubernetes:core/v1:Namespace  db        create (retain-on-delete)",
                "",
                "Outputs:",
                '    dns:      "db-0.db"',
                '    password: "[secret]"',
                "",
                "Resources:",
                "    + 5 to create",
                "",
                "By type:",
                "      1  aws:kms/key:Key",
                "      1  demo:db:Database",
                "      1  kubernetes:core/v1:Namespace",
                "      1  kubernetes:core/v1:Secret",
                "      1  pulumi:pulumi:Stack",
                "",
                "Secret config given placeholders (values stay secret): demo:password",
                "",
            ].join("\n"),
        );
    });

    it("orders siblings by type and name whatever the registration order", () => {
        const reversed = treeRows([...RENDER.resources].reverse()).map((r) => `${r.prefix}${r.resource.name}`);
        assert.deepStrictEqual(reversed, treeRows(RENDER.resources).map((r) => `${r.prefix}${r.resource.name}`));
        assert.deepStrictEqual(countByType(RENDER.resources).map(([t]) => t), [...new Set(RENDER.resources.map((r) => r.type))].sort());
    });

    const names: Array<[string, PlannedResource, string | undefined]> = [
        ["a namespaced object", RENDER.resources[1], "kubernetes/db/secret-creds.yaml"],
        ["a cluster-scoped object", RENDER.resources[3], "kubernetes/_cluster/namespace-db.yaml"],
        ["an AWS resource", RENDER.resources[4], "aws/kms-key-db-key.json"],
        ["a component", COMPONENT, undefined],
        ["a provider", resource("pulumi:providers:kubernetes", "cluster", STACK_URN), undefined],
        ["an object without a name", resource("kubernetes:core/v1:ConfigMap", "cfg", STACK_URN, { kind: "ConfigMap", metadata: {} }), "kubernetes/_cluster/configmap-cfg-auto-named.yaml"],
    ];
    for (const [what, r, expected] of names) {
        it(`writes ${what} to ${expected ?? "no file"}`, () => {
            assert.strictEqual(outputFileName(r), expected);
        });
    }

    it("writes AWS inputs as sorted JSON naming the parent, and objects as sorted YAML", () => {
        const byUrn = new Map(RENDER.resources.map((r) => [r.urn, r]));
        assert.strictEqual(
            fileContent(RENDER.resources[4], (urn) => byUrn.get(urn)),
            '{\n  "inputs": {\n    "enableKeyRotation": true\n  },\n  "name": "db-key",\n  "parent": "demo:db:Database::db",\n  "type": "aws:kms/key:Key"\n}\n',
        );
        assert.strictEqual(toYaml({ b: 1, a: { d: "-c", c: "[secret]" } }), 'a:\n  c: "[secret]"\n  d: "-c"\nb: 1\n');
    });

    const redactions: Array<[string, unknown, unknown, unknown]> = [
        ["a whole map, keeping its keys", { stringData: { password: "p", user: "u" } }, { stringData: "[secret]" }, { stringData: { password: "[secret]", user: "[secret]" } }],
        ["a list item", { args: ["a", "b"] }, { args: ["a", "[secret]"] }, { args: ["a", "[secret]"] }],
        ["a nested list under a secret", { env: [{ value: "v" }] }, { env: "[secret]" }, { env: [{ value: "[secret]" }] }],
        ["nothing when nothing is secret", { a: 1, b: [true] }, { a: 1, b: [true] }, { a: 1, b: [true] }],
        ["an unknown value as it is", { a: undefined }, { a: "[unknown]" }, { a: "[unknown]" }],
    ];
    for (const [what, plain, redacted, expected] of redactions) {
        it(`redacts ${what}`, () => {
            assert.deepStrictEqual(redactLeaves(plain, redacted), expected);
        });
    }

    it("never lets a plain value through under a redacted secret (property)", () => {
        const json = fc.jsonValue({ maxDepth: 3 });
        fc.assert(
            fc.property(json, (value) => {
                const masked = JSON.stringify(redactLeaves(value, "[secret]"));
                const leaves: unknown[] = [];
                const walk = (v: unknown): void => {
                    if (Array.isArray(v)) {
                        v.forEach(walk);
                    } else if (v !== null && typeof v === "object") {
                        Object.values(v).forEach(walk);
                    } else {
                        leaves.push(v);
                    }
                };
                walk(JSON.parse(masked));
                return leaves.every((leaf) => leaf === "[secret]");
            }),
        );
    });

    it("sorts keys idempotently and file names stay file-safe (property)", () => {
        fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => JSON.stringify(sortKeys(sortKeys(value))) === JSON.stringify(sortKeys(value))));
        fc.assert(
            fc.property(fc.string(), fc.string(), (name, namespace) => {
                const file = outputFileName(resource("kubernetes:core/v1:ConfigMap", "c", STACK_URN, { kind: "ConfigMap", metadata: { name, namespace } }))!;
                const segments = file.split("/");
                return /^kubernetes\/[a-z0-9_-][a-z0-9._-]*\/configmap-[a-z0-9._-]+\.yaml$/.test(file) && segments.length === 3 && segments.every((s) => s !== "." && s !== "..");
            }),
        );
    });

    it("names the field of a schema violation", () => {
        assert.strictEqual(readableSchemaMessage("data/spec/replicas must be integer"), "spec.replicas must be integer");
        assert.strictEqual(readableSchemaMessage("data/spec/template/spec/containers/0/ports/1/containerPort must be <= 65535"), "spec.template.spec.containers[0].ports[1].containerPort must be <= 65535");
        assert.strictEqual(readableSchemaMessage("data must have required property 'spec'"), "the object must have required property 'spec'");
        assert.strictEqual(readableSchemaMessage("no OpenAPI schema is known for x/v1/Y"), "no OpenAPI schema is known for x/v1/Y");
    });
});

describe("plan: command line", () => {
    it("takes stacks and folders", () => {
        assert.deepStrictEqual(parsePlanArgs([]), { outDir: undefined, placeholderSecrets: false, root: undefined, stacks: [] });
        assert.deepStrictEqual(parsePlanArgs(["a", "--out", "o", "b", "--root", "r"]), { outDir: "o", placeholderSecrets: false, root: "r", stacks: ["a", "b"] });
        assert.deepStrictEqual(parsePlanArgs(["--placeholder-secrets", "a"]), { outDir: undefined, placeholderSecrets: true, root: undefined, stacks: ["a"] });
    });

    const refused: Array<[string[], string]> = [
        [["--out"], "--out needs a folder"],
        [["--root", "--out", "x"], "--root needs a folder"],
        [["--update"], "unknown option --update"],
        [["-v"], "unknown option -v"],
    ];
    for (const [args, message] of refused) {
        it(`refuses ${args.join(" ")}`, () => {
            assert.throws(() => parsePlanArgs(args), { message });
        });
    }
});
