import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EbsStorageClass, EbsStorageClassArgs } from "../../components/storage/ebs-storage-class";
import { assertSchemaValid, expectInvalid, recorder, registrations, render, renderComponent, settle, valueOf } from "../support/pulumi";

const COMPONENT_URN = (name: string) => `urn:pulumi:test::stateful-stacks::stateful-stacks:storage:EbsStorageClass::${name}`;
const LABELS = { "app.kubernetes.io/managed-by": "stateful-stacks" };

describe("EbsStorageClass component", () => {
    before(async () => {
        await recorder();
    });

    it("registers only a StorageClass with the defaults", async () => {
        const { component, rec } = await renderComponent(() => new EbsStorageClass("fast", {}));
        assert.deepStrictEqual(
            registrations(rec),
            [
                ["stateful-stacks:storage:EbsStorageClass", "fast", undefined],
                ["kubernetes:storage.k8s.io/v1:StorageClass", "fast", COMPONENT_URN("fast")],
            ],
        );
        const sc = rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "fast");
        assert.deepStrictEqual(sc.inputs, {
            allowVolumeExpansion: true,
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { labels: LABELS, name: "fast" },
            parameters: { "csi.storage.k8s.io/fstype": "ext4", encrypted: "true", type: "gp3" },
            provisioner: "ebs.csi.aws.com",
            reclaimPolicy: "Retain",
            volumeBindingMode: "WaitForFirstConsumer",
        });
        assert.strictEqual(sc.deleteBeforeReplace, true);
        assertSchemaValid(rec);
        assert.strictEqual(await valueOf(component.storageClassName), "fast");
        assert.strictEqual(component.volumeType, "gp3");
        assert.strictEqual(component.iops, undefined);
        assert.strictEqual(component.kmsKey, undefined);
        assert.strictEqual(component.kmsKeyArn, undefined);
        assert.strictEqual(component.snapshotClass, undefined);
        assert.strictEqual(component.volumeSnapshotClassName, undefined);
    });

    it("creates a rotating KMS key, uses its full ARN, adds a VolumeSnapshotClass; protect reaches the key", async () => {
        const args: EbsStorageClassArgs = {
            volumeType: "io2",
            iops: 16000,
            storageClassName: "pg-io2",
            createKmsKey: { deletionWindowInDays: 14 },
            snapshots: { deletionPolicy: "Retain" },
            zones: ["us-east-1b", "us-east-1a"],
            tags: { team: "db" },
            isDefault: true,
        };
        const { component, rec } = await renderComponent(() => new EbsStorageClass("pg", args, { protect: true }));
        // Registration order follows Output resolution, so compare the sorted sets.
        const byTypeAndName = (a: unknown[], b: unknown[]) => `${a[0]}::${a[1]}`.localeCompare(`${b[0]}::${b[1]}`);
        assert.deepStrictEqual(
            registrations(rec).sort(byTypeAndName),
            [
                ["aws:kms/key:Key", "pg-kms", COMPONENT_URN("pg")],
                ["kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass", "pg-snapshots", COMPONENT_URN("pg")],
                ["kubernetes:storage.k8s.io/v1:StorageClass", "pg", COMPONENT_URN("pg")],
                ["stateful-stacks:storage:EbsStorageClass", "pg", undefined],
            ],
        );
        const key = rec.get("aws:kms/key:Key", "pg-kms");
        assert.deepStrictEqual(key.inputs, { deletionWindowInDays: 14, description: "Encrypts EBS volumes of StorageClass pg-io2", enableKeyRotation: true });
        assert.strictEqual(key.protect, true);
        const arn = await valueOf(component.kmsKeyArn!);
        assert.match(arn, /^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/);

        const sc = rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "pg");
        assert.deepStrictEqual(sc.inputs, {
            allowVolumeExpansion: true,
            allowedTopologies: [{ matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["us-east-1a", "us-east-1b"] }] }],
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { annotations: { "storageclass.kubernetes.io/is-default-class": "true" }, labels: LABELS, name: "pg-io2" },
            parameters: {
                "csi.storage.k8s.io/fstype": "ext4",
                encrypted: "true",
                iops: "16000",
                kmsKeyId: arn,
                tagSpecification_1: "team=db",
                type: "io2",
            },
            provisioner: "ebs.csi.aws.com",
            reclaimPolicy: "Retain",
            volumeBindingMode: "WaitForFirstConsumer",
        });
        assert.deepStrictEqual(sc.dependsOn, [key.urn]);

        const snapshots = rec.get("kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass", "pg-snapshots");
        assert.deepStrictEqual(snapshots.inputs, {
            apiVersion: "snapshot.storage.k8s.io/v1",
            deletionPolicy: "Retain",
            driver: "ebs.csi.aws.com",
            kind: "VolumeSnapshotClass",
            metadata: { labels: LABELS, name: "pg-io2-snapshots" },
            parameters: { tagSpecification_1: "team=db" },
        });
        assertSchemaValid(rec);

        assert.strictEqual(await valueOf(component.storageClassName), "pg-io2");
        assert.strictEqual(await valueOf(component.volumeSnapshotClassName!), "pg-io2-snapshots");
        assert.strictEqual(component.volumeType, "io2");
        assert.strictEqual(component.iops, 16000);
        assert.strictEqual(component.iopsPerGb, undefined);
        assert.strictEqual(component.throughputMibps, undefined);
    });

    it("passes retainOnDelete to the KMS key, which holds the means to read the data", async () => {
        const rec = await render(() => new EbsStorageClass("kept", { createKmsKey: true }, { retainOnDelete: true }));
        assert.strictEqual(rec.get("aws:kms/key:Key", "kept-kms").retainOnDelete, true);
        assert.strictEqual(rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "kept").retainOnDelete, false);
    });

    it("passes an existing key ARN and Output performance values through as strings", async () => {
        const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const { component, rec } = await renderComponent(() => new EbsStorageClass("out", { kmsKeyArn: pulumi.output(keyArn), iops: pulumi.output(5000), throughputMibps: 250 }));
        assert.deepStrictEqual(rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "out").inputs.parameters, {
            "csi.storage.k8s.io/fstype": "ext4",
            encrypted: "true",
            iops: "5000",
            kmsKeyId: keyArn,
            throughput: "250",
            type: "gp3",
        });
        assert.strictEqual(await valueOf(component.kmsKeyArn!), keyArn);
        assert.strictEqual(component.iops, undefined, "an Output is not a plain fact");
        assert.strictEqual(component.throughputMibps, 250);
        assert.strictEqual(rec.ofType("aws:kms/key:Key").length, 0);
        assertSchemaValid(rec);
    });

    it("refuses bad input at construction, naming every problem, and registers nothing", async () => {
        const rec = await recorder();
        rec.reset();
        const { message, paths } = expectInvalid(() => new EbsStorageClass("bad", { volumeType: "gp2", iops: 3000, kmsKeyArn: "alias/x", zones: [] }));
        await settle();
        assert.deepStrictEqual(paths, ["iops", "kmsKeyArn", "zones"]);
        assert.ok(message.startsWith('EbsStorageClass "bad" has 3 invalid arguments:\n  - iops: must not be set for gp2 volumes'), message);
        assert.deepStrictEqual(rec.resources, []);
        assert.deepStrictEqual(rec.errors, []);
    });
});
