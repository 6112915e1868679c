import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EbsStorageClass } from "../../components/storage/ebs-storage-class";
import { EfsStorageClass, EfsStorageClassArgs } from "../../components/storage/efs-storage-class";
import { isStorageClassReference } from "../../components/common/storage-class-ref";
import { RecordedResource } from "../../tools/engine/mocks";
import { expectInvalid, recorder, render, renderComponent, settle } from "../support/pulumi";

const FILE_SYSTEM: EfsStorageClassArgs = {
    fileSystem: {
        allowedCidrBlocks: ["10.0.0.0/16"],
        subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        vpcId: "vpc-0123456789abcdef0",
    },
};

/** `[type::name, protect, retainOnDelete]` of every custom resource, sorted. */
function options(resources: readonly RecordedResource[]): [string, boolean, boolean][] {
    return resources
        .filter((r) => r.custom)
        .map((r): [string, boolean, boolean] => [`${r.type}::${r.name}`, r.protect, r.retainOnDelete])
        .sort(([a], [b]) => a.localeCompare(b));
}

describe("storage classes keep their data by default", () => {
    before(async () => {
        await recorder();
    });

    it("EBS: the created KMS key is retained on delete without any option; the classes are disposable", async () => {
        const rec = await render(() => new EbsStorageClass("pg", { createKmsKey: true, snapshots: true }));
        assert.deepStrictEqual(options(rec.resources), [
            ["aws:kms/key:Key::pg-kms", false, true],
            ["kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass::pg-snapshots", false, false],
            ["kubernetes:storage.k8s.io/v1:StorageClass::pg", false, false],
        ]);
    });

    it("EBS: protect reaches the key and freezes neither the StorageClass nor the VolumeSnapshotClass", async () => {
        const rec = await render(() => new EbsStorageClass("pg", { createKmsKey: true, snapshots: true }, { protect: true }));
        assert.deepStrictEqual(options(rec.resources), [
            ["aws:kms/key:Key::pg-kms", true, true],
            ["kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass::pg-snapshots", false, false],
            ["kubernetes:storage.k8s.io/v1:StorageClass::pg", false, false],
        ]);
        assert.strictEqual(rec.get("stateful-stacks:storage:EbsStorageClass", "pg").protect, true);
    });

    it("EBS: deleteWithStack, or the component's retainOnDelete: false, lets the key go", async () => {
        const opted = await render(() => new EbsStorageClass("pg", { createKmsKey: true, deleteWithStack: true }));
        assert.strictEqual(opted.get("aws:kms/key:Key", "pg-kms").retainOnDelete, false);
        const byOption = await render(() => new EbsStorageClass("pg", { createKmsKey: true }, { retainOnDelete: false }));
        assert.strictEqual(byOption.get("aws:kms/key:Key", "pg-kms").retainOnDelete, false);
    });

    it("EFS: the file system and its backup policy are retained on delete; security group and mount targets are disposable", async () => {
        const rec = await render(() => new EfsStorageClass("shared", FILE_SYSTEM, { protect: true }));
        assert.deepStrictEqual(options(rec.resources), [
            ["aws:ec2/securityGroup:SecurityGroup::shared-nfs", false, false],
            ["aws:efs/backupPolicy:BackupPolicy::shared-backup", true, true],
            ["aws:efs/fileSystem:FileSystem::shared-fs", true, true],
            ["aws:efs/mountTarget:MountTarget::shared-mount-subnet-0123456789abcdef0", false, false],
            ["aws:efs/mountTarget:MountTarget::shared-mount-subnet-0123456789abcdef1", false, false],
            ["kubernetes:storage.k8s.io/v1:StorageClass::shared", false, false],
        ]);
    });

    it("EFS: the component's retainOnDelete reaches the backup policy, and deleteWithStack opts both out", async () => {
        const kept = await render(() => new EfsStorageClass("shared", FILE_SYSTEM, { retainOnDelete: true }));
        assert.strictEqual(kept.get("aws:efs/backupPolicy:BackupPolicy", "shared-backup").retainOnDelete, true);
        const opted = await render(() => new EfsStorageClass("shared", { ...FILE_SYSTEM, deleteWithStack: true }));
        assert.deepStrictEqual(
            [opted.get("aws:efs/fileSystem:FileSystem", "shared-fs").retainOnDelete, opted.get("aws:efs/backupPolicy:BackupPolicy", "shared-backup").retainOnDelete],
            [false, false],
        );
    });

    it("refuses deleteWithStack together with the resource option retainOnDelete: true, registering nothing", async () => {
        const rec = await recorder();
        rec.reset();
        const ebs = expectInvalid(() => new EbsStorageClass("pg", { createKmsKey: true, deleteWithStack: true }, { retainOnDelete: true }));
        const efs = expectInvalid(() => new EfsStorageClass("shared", { ...FILE_SYSTEM, deleteWithStack: true }, { retainOnDelete: true }));
        await settle();
        const reason = "cannot be combined with the resource option retainOnDelete: true; leave out one of them";
        assert.strictEqual(ebs.message, `EbsStorageClass "pg" has 1 invalid argument:\n  - deleteWithStack: ${reason} (got true)`);
        assert.strictEqual(efs.message, `EfsStorageClass "shared" has 1 invalid argument:\n  - deleteWithStack: ${reason} (got true)`);
        assert.deepStrictEqual(rec.resources, []);
    });
});

describe("storage classes as StorageClassReference", () => {
    it("EBS gives plain facts at construction: name, driver, expansion, block access modes, performance", async () => {
        const { component } = await renderComponent(() => new EbsStorageClass("fast", { iops: 6000, storageClassName: "pg-fast", throughputMibps: 250 }));
        assert.ok(isStorageClassReference(component));
        assert.deepStrictEqual(component.storageFacts, {
            accessModes: ["ReadWriteOnce", "ReadWriteOncePod"],
            allowVolumeExpansion: true,
            ebs: { iops: 6000, throughputMibps: 250, volumeType: "gp3" },
            name: "pg-fast",
            provisioner: "ebs.csi.aws.com",
        });
    });

    it("EBS leaves performance given as an Output out of the facts, and reports a class that cannot grow", async () => {
        const { component } = await renderComponent(() => new EbsStorageClass("slow", { allowVolumeExpansion: false, iopsPerGb: pulumi.output(10), volumeType: "io2" }));
        assert.deepStrictEqual(component.storageFacts, {
            accessModes: ["ReadWriteOnce", "ReadWriteOncePod"],
            allowVolumeExpansion: false,
            ebs: { volumeType: "io2" },
            name: "slow",
            provisioner: "ebs.csi.aws.com",
        });
    });

    it("EFS gives plain facts: every access mode, no expansion", async () => {
        const { component } = await renderComponent(() => new EfsStorageClass("shared", { fileSystemId: "fs-0123456789abcdef0", storageClassName: "content" }));
        assert.ok(isStorageClassReference(component));
        assert.deepStrictEqual(component.storageFacts, {
            accessModes: ["ReadWriteOnce", "ReadWriteOncePod", "ReadOnlyMany", "ReadWriteMany"],
            allowVolumeExpansion: false,
            name: "content",
            provisioner: "efs.csi.aws.com",
        });
    });
});
