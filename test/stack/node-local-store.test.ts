import * as assert from "assert";
import { parseNodeLabel } from "../../stacks/node-local-store";
import { assertSchemaValid } from "../support/pulumi";
import { objectOf, renderStack } from "./stack-harness";

const STACK = "node-local-store";

describe("stack node-local-store", () => {
    it("pins the DaemonSet to the labelled storage nodes, tolerating their taint", async () => {
        const { rec, outputs } = await renderStack(STACK);
        assertSchemaValid(rec);
        const pod = objectOf(rec, "kubernetes:apps/v1:DaemonSet", "local-store").spec.template.spec;
        assert.deepStrictEqual(pod.nodeSelector, { "stateful-stacks.io/storage": "local" });
        assert.deepStrictEqual(pod.tolerations, [{ effect: "NoSchedule", key: "stateful-stacks.io/storage", operator: "Exists" }]);
        const hostVolume = pod.volumes.find((v: any) => v.hostPath !== undefined);
        assert.deepStrictEqual(hostVolume.hostPath, { path: outputs.hostPath, type: "DirectoryOrCreate" });
        assert.strictEqual(outputs.hostPath, "/var/lib/stateful-stacks/node-local-store/local-store");
        assert.strictEqual(outputs.storageClassName, "node-local");
        assert.strictEqual(objectOf(rec, "kubernetes:storage.k8s.io/v1:StorageClass", "local-store-local").provisioner, "kubernetes.io/no-provisioner");
    });

    it("puts the store in a namespace that admits host volumes", async () => {
        const { rec } = await renderStack(STACK);
        assert.strictEqual(objectOf(rec, "kubernetes:core/v1:Namespace", "node-local-store").metadata.labels["pod-security.kubernetes.io/enforce"], "privileged");
        assert.strictEqual(rec.get("kubernetes:core/v1:Namespace", "node-local-store").retainOnDelete, true);
    });

    it("reads the node label as key=value and refuses anything else", async () => {
        assert.deepStrictEqual(parseNodeLabel("disk=nvme"), { disk: "nvme" });
        assert.deepStrictEqual(parseNodeLabel("node.example.com/role="), { "node.example.com/role": "" });
        assert.throws(() => parseNodeLabel("storage"), { message: 'stack config "stateful-stacks:nodeLabel" must be key=value, such as "stateful-stacks.io/storage=local" (got "storage")' });
        const { rec } = await renderStack(STACK, { nodeLabel: "disk=nvme", tolerateTaint: "none" });
        const pod = objectOf(rec, "kubernetes:apps/v1:DaemonSet", "local-store").spec.template.spec;
        assert.deepStrictEqual(pod.nodeSelector, { disk: "nvme" });
        assert.strictEqual(pod.tolerations, undefined);
    });

    it("with skipAwait passes it to the store: DaemonSet and Service annotated, the StorageClass not", async () => {
        const { rec } = await renderStack(STACK, { localMode: true, skipAwait: true });
        assertSchemaValid(rec);
        assert.strictEqual(objectOf(rec, "kubernetes:apps/v1:DaemonSet", "local-store").metadata.annotations["pulumi.com/skipAwait"], "true");
        assert.strictEqual(objectOf(rec, "kubernetes:core/v1:Service", "local-store-peers").metadata.annotations["pulumi.com/skipAwait"], "true");
        assert.strictEqual(objectOf(rec, "kubernetes:storage.k8s.io/v1:StorageClass", "local-store-local").metadata.annotations, undefined);
    });
});
