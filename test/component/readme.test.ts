import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { EbsStorageClass } from "../../components";
import { assertSchemaValid, recorder, render } from "../support/pulumi";

/**
 * The README is the front door: its TypeScript examples must run as written against the
 * package, render schema-valid objects, and its sample error must be the real one.
 */

const root = path.resolve(__dirname, "../..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes('from "stateful-stacks"') && code.includes("new "));
const scratch = path.join(root, "out", "readme-examples");

describe("README", () => {
    before(async () => {
        await recorder();
        pulumi.runtime.setAllConfig({ "stateful-stacks:dbPassword": "readme-example-password" }, ["stateful-stacks:dbPassword"]);
        fs.rmSync(scratch, { recursive: true, force: true });
        fs.mkdirSync(scratch, { recursive: true });
    });

    it("has an example for every public component", () => {
        const all = examples.join("\n");
        for (const component of ["EbsStorageClass", "EfsStorageClass", "StatefulWorkload", "ExternalStore", "ReplicatedCache", "NodeLocalStore"]) {
            assert.match(all, new RegExp(`new ${component}\\(`), `README has no example constructing ${component}`);
        }
    });

    examples.forEach((code, index) => {
        const firstLine = code.split("\n").find((line) => line.startsWith("const ") || line.startsWith("new ")) ?? `example ${index + 1}`;
        it(`runs example ${index + 1} (${firstLine.slice(0, 60)}) and renders schema-valid objects`, async () => {
            const file = path.join(scratch, `example-${index + 1}.ts`);
            const components = path.relative(scratch, path.join(root, "components")).split(path.sep).join("/");
            fs.writeFileSync(file, code.replace(/from "stateful-stacks"/g, `from "${components}"`));
            const rec = await render(() => require(file));
            assert.ok(rec.resources.some((r) => r.type.startsWith("stateful-stacks:")), "the example creates a component");
            assertSchemaValid(rec);
        });
    });

    it("shows the real error text for invalid arguments", () => {
        let message = "";
        try {
            new EbsStorageClass("pg-fast", { volumeType: "gp2", iops: 3000, kmsKeyArn: "alias/ebs" });
        } catch (err) {
            message = (err as Error).message;
        }
        assert.ok(message.startsWith('EbsStorageClass "pg-fast" has 2 invalid arguments'), message);
        assert.ok(readme.includes("```\n" + message + "\n```"), `README must show the error exactly as thrown:\n${message}`);
    });
});
