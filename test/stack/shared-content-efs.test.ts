import * as assert from "assert";
import { LOCAL_FILE_SYSTEM_ID } from "../../stacks/shared-content-efs";
import { assertSchemaValid } from "../support/pulumi";
import { objectOf, renderStack } from "./stack-harness";

const STACK = "shared-content-efs";

describe("stack shared-content-efs", () => {
    it("creates a file system with a mount target in each of the three subnets", async () => {
        const { rec, outputs } = await renderStack(STACK);
        assertSchemaValid(rec);
        const targets = rec.ofType("aws:efs/mountTarget:MountTarget").map((r) => r.inputs.subnetId);
        assert.deepStrictEqual(targets.sort(), ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722", "subnet-0a1b2c3d4e5f60733"]);
        assert.strictEqual(rec.ofType("aws:efs/fileSystem:FileSystem").length, 1);
        assert.match(outputs.fileSystemId, /^fs-/);
        const sc = objectOf(rec, "kubernetes:storage.k8s.io/v1:StorageClass", "shared-content");
        assert.strictEqual(sc.provisioner, "efs.csi.aws.com");
        assert.strictEqual(sc.parameters.fileSystemId, outputs.fileSystemId);
        assert.strictEqual(sc.parameters.provisioningMode, "efs-ap");
    });

    it("outside local mode keeps the file system and its backup policy through pulumi destroy; the network parts stay disposable", async () => {
        const { rec } = await renderStack(STACK, { localMode: false });
        const kept = [rec.get("aws:efs/fileSystem:FileSystem", "shared-content-fs"), rec.get("aws:efs/backupPolicy:BackupPolicy", "shared-content-backup")];
        assert.deepStrictEqual(kept.map((r) => [r.name, r.retainOnDelete]), [
            ["shared-content-fs", true],
            ["shared-content-backup", true],
        ]);
        assert.strictEqual(kept[1].inputs.backupPolicy.status, "ENABLED");
        const disposable = [
            ...rec.ofType("aws:efs/mountTarget:MountTarget"),
            rec.get("aws:ec2/securityGroup:SecurityGroup", "shared-content-nfs"),
            rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "shared-content"),
        ];
        assert.strictEqual(disposable.length, 5);
        assert.deepStrictEqual(disposable.filter((r) => r.retainOnDelete || r.protect).map((r) => r.name), []);
    });

    it("serves every web server from the one ReadWriteMany claim", async () => {
        const { rec, outputs } = await renderStack(STACK);
        const claim = rec.get("kubernetes:core/v1:PersistentVolumeClaim", "content");
        assert.deepStrictEqual(claim.inputs.spec, { accessModes: ["ReadWriteMany"], resources: { requests: { storage: "100Gi" } }, storageClassName: "shared-content-efs" });
        assert.strictEqual(claim.retainOnDelete, true);
        const spec = objectOf(rec, "kubernetes:apps/v1:Deployment", "web").spec;
        assert.ok(spec.replicas >= 2);
        assert.deepStrictEqual(spec.template.spec.volumes, [{ name: "content", persistentVolumeClaim: { claimName: outputs.claimName } }]);
        assert.deepStrictEqual(spec.template.spec.containers[0].volumeMounts, [{ mountPath: "/usr/share/nginx/html", name: "content", readOnly: true }]);
        assert.strictEqual(outputs.webServiceDnsName, "web.shared-content-efs.svc.cluster.local");
    });

    it("in local mode uses an existing file system and creates no AWS resource", async () => {
        const { rec, outputs } = await renderStack(STACK, { localMode: true });
        assertSchemaValid(rec);
        assert.deepStrictEqual(rec.resources.filter((r) => r.type.startsWith("aws:")), []);
        assert.strictEqual(outputs.fileSystemId, LOCAL_FILE_SYSTEM_ID);
        assert.strictEqual(objectOf(rec, "kubernetes:apps/v1:Deployment", "web").metadata.annotations?.["pulumi.com/skipAwait"], undefined);
        const given = await renderStack(STACK, { fileSystemId: "fs-0fedcba9876543210" });
        assert.strictEqual(given.outputs.fileSystemId, "fs-0fedcba9876543210");
        assert.deepStrictEqual(given.rec.resources.filter((r) => r.type.startsWith("aws:")), []);
    });

    it("refuses a single web server", async () => {
        await assert.rejects(renderStack(STACK, { webReplicas: 1 }), { message: 'stack config "stateful-stacks:webReplicas" must be a whole number from 2 to 100 (got 1)' });
    });
});
