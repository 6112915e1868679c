import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { assertSchemaValid, recorder, render } from "../support/pulumi";

describe("test harness", () => {
    before(async () => {
        await recorder();
    });

    it("records parents, secrets and emulated auto-names", async () => {
        const rec = await render(() => {
            const parent = new pulumi.ComponentResource("stateful-stacks:test:Parent", "p", {});
            new k8s.core.v1.Secret("s", { metadata: { namespace: "db" }, stringData: { password: pulumi.secret("hunter2") } }, { parent });
            new k8s.core.v1.ConfigMap("c", { metadata: { name: "cfg" }, data: { a: "b" } }, { parent, retainOnDelete: true });
        });
        const secret = rec.get("kubernetes:core/v1:Secret", "s");
        assert.strictEqual(secret.parent, "urn:pulumi:test::stateful-stacks::stateful-stacks:test:Parent::p");
        assert.deepStrictEqual(secret.secretPaths, ["stringData"]);
        assert.strictEqual(secret.redactedInputs.stringData, "[secret]");
        assert.strictEqual(secret.inputs.stringData.password, "hunter2");
        assert.match(secret.state.metadata.name, /^s-[0-9a-f]{8}$/);
        assert.strictEqual(rec.get("kubernetes:core/v1:ConfigMap", "c").retainOnDelete, true);
        assertSchemaValid(rec);
    });

    it("refuses a duplicate URN", async () => {
        const rec = await recorder();
        rec.reset();
        new k8s.core.v1.ConfigMap("dup", { data: {} });
        new k8s.core.v1.ConfigMap("dup", { data: {} });
        await new Promise((r) => setTimeout(r, 50));
        assert.deepStrictEqual(rec.errors, ["duplicate resource URN urn:pulumi:test::stateful-stacks::kubernetes:core/v1:ConfigMap::dup"]);
        rec.reset();
    });
});
