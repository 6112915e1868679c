import * as assert from "assert";
import { mermaidFlowchart, mermaidGraph, PlannedResource, StackRender } from "../../tools/plan/render";

const STACK_URN = "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev";

function resource(type: string, name: string, parent: string | undefined, custom = true, extra: Partial<PlannedResource> = {}): PlannedResource {
    return { custom, inputs: {}, name, parent, protect: false, retainOnDelete: false, type, urn: `urn:pulumi:dev::demo::${type}::${name}`, ...extra };
}

const DB = resource("demo:db:Database", "db", STACK_URN, false);
const RENDER: StackRender = {
    outputs: {},
    placeholders: [],
    project: "demo",
    resources: [
        resource("kubernetes:core/v1:Secret", "creds", DB.urn),
        { ...resource("pulumi:pulumi:Stack", "demo-dev", undefined, false), urn: STACK_URN },
        DB,
        resource("kubernetes:apps/v1:StatefulSet", 'odd "name" <x> & y', DB.urn, true, { protect: true, retainOnDelete: true }),
        resource("kubernetes:core/v1:Namespace", "db", STACK_URN, true, { retainOnDelete: true }),
    ],
    schemaProblems: [],
    stack: "dev",
};

describe("plan: the Mermaid graph of a stack (graph.md)", () => {
    it("draws every resource once, in the printed tree's order, with an edge from each parent to each child", () => {
        assert.strictEqual(
            mermaidFlowchart(RENDER),
            [
                "```mermaid",
                "flowchart TD",
                '    r0(["pulumi:pulumi:Stack<br/>demo-dev"])',
                '    r1(["demo:db:Database<br/>db"])',
                '    r2["kubernetes:apps/v1:StatefulSet<br/>odd #quot;name#quot; #lt;x#gt; #amp; y<br/>(protected, retain-on-delete)"]',
                '    r3["kubernetes:core/v1:Secret<br/>creds"]',
                '    r4["kubernetes:core/v1:Namespace<br/>db<br/>(retain-on-delete)"]',
                "    r0 --> r1",
                "    r1 --> r2",
                "    r1 --> r3",
                "    r0 --> r4",
                "```",
                "",
            ].join("\n"),
        );
    });

    it("is the same whatever order the registrations arrived in", () => {
        const reversed = { ...RENDER, resources: [...RENDER.resources].reverse() };
        assert.strictEqual(mermaidFlowchart(reversed), mermaidFlowchart(RENDER));
    });

    it("graph.md is a heading, one line on how to read it, and the flowchart", () => {
        assert.strictEqual(
            mermaidGraph(RENDER),
            `# dev: resources and their parents\n\nComponents are rounded, custom resources square; an arrow goes from a parent to its child.\n\n${mermaidFlowchart(RENDER)}`,
        );
    });
});
