import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EfsStorageClass, EfsStorageClassArgs } from "../../components/storage/efs-storage-class";
import { assertSchemaValid, expectInvalid, recorder, registrations, render, renderComponent, settle, valueOf } from "../support/pulumi";

const PARENT = "urn:pulumi:test::stateful-stacks::stateful-stacks:storage:EfsStorageClass::shared";
const CHILD = (type: string, name: string) => `urn:pulumi:test::stateful-stacks::stateful-stacks:storage:EfsStorageClass$${type}::${name}`;
const LABELS = { "app.kubernetes.io/managed-by": "stateful-stacks" };
const VPC = "vpc-0123456789abcdef0";
const SUBNET_A = "subnet-0123456789abcdef0";
const SUBNET_B = "subnet-0123456789abcdef1";
const SUBNET_C = "subnet-0123456789abcdef2";
const FS_ID = "fs-0123456789abcdef0";

const byTypeAndName = (a: unknown[], b: unknown[]) => `${a[0]}::${a[1]}`.localeCompare(`${b[0]}::${b[1]}`);

describe("EfsStorageClass component", () => {
    before(async () => {
        await recorder();
    });

    it("on an existing file system registers only the StorageClass", async () => {
        const { component, rec } = await renderComponent(() => new EfsStorageClass("shared", { fileSystemId: FS_ID, basePath: "/dynamic" }));
        assert.deepStrictEqual(
            registrations(rec),
            [
                ["stateful-stacks:storage:EfsStorageClass", "shared", undefined],
                ["kubernetes:storage.k8s.io/v1:StorageClass", "shared", PARENT],
            ],
        );
        const sc = rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "shared");
        assert.deepStrictEqual(sc.inputs, {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { labels: LABELS, name: "shared" },
            parameters: { basePath: "/dynamic", directoryPerms: "700", fileSystemId: FS_ID, provisioningMode: "efs-ap" },
            provisioner: "efs.csi.aws.com",
            reclaimPolicy: "Retain",
            volumeBindingMode: "Immediate",
        });
        assert.strictEqual(sc.deleteBeforeReplace, true);
        assertSchemaValid(rec);
        assert.strictEqual(await valueOf(component.fileSystemId), FS_ID);
        assert.strictEqual(await valueOf(component.storageClassName), "shared");
        assert.deepStrictEqual(component.mountTargets, []);
        assert.strictEqual(component.fileSystem, undefined);
        assert.strictEqual(component.securityGroup, undefined);
        assert.strictEqual(component.backupPolicy, undefined);
    });

    it("creates the file system, NFS-only security group, parallel mount targets and backup policy", async () => {
        const args: EfsStorageClassArgs = {
            fileSystem: {
                vpcId: VPC,
                subnetIds: [SUBNET_A, SUBNET_B, SUBNET_C],
                allowedCidrBlocks: ["10.0.0.0/16"],
                allowedSecurityGroupIds: ["sg-0123456789abcdef0"],
                transitionToIa: "AFTER_30_DAYS",
            },
            storageClassName: "content",
            gidRangeStart: 1000,
            gidRangeEnd: 2000,
        };
        const { component, rec } = await renderComponent(() => new EfsStorageClass("shared", args, { protect: true, retainOnDelete: true }));
        const fsUrn = CHILD("aws:efs/fileSystem:FileSystem", "shared-fs");
        const sgUrn = CHILD("aws:ec2/securityGroup:SecurityGroup", "shared-nfs");
        assert.deepStrictEqual(
            registrations(rec).sort(byTypeAndName),
            [
                ["aws:ec2/securityGroup:SecurityGroup", "shared-nfs", PARENT],
                ["aws:efs/backupPolicy:BackupPolicy", "shared-backup", PARENT],
                ["aws:efs/fileSystem:FileSystem", "shared-fs", PARENT],
                ["aws:efs/mountTarget:MountTarget", `shared-mount-${SUBNET_A}`, PARENT],
                ["aws:efs/mountTarget:MountTarget", `shared-mount-${SUBNET_B}`, PARENT],
                ["aws:efs/mountTarget:MountTarget", `shared-mount-${SUBNET_C}`, PARENT],
                ["kubernetes:storage.k8s.io/v1:StorageClass", "shared", PARENT],
                ["stateful-stacks:storage:EfsStorageClass", "shared", undefined],
            ],
        );

        const fs = rec.get("aws:efs/fileSystem:FileSystem", "shared-fs");
        assert.deepStrictEqual(fs.inputs, {
            encrypted: true,
            lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }],
            performanceMode: "generalPurpose",
            tags: { Name: "shared" },
            throughputMode: "elastic",
        });
        assert.strictEqual(fs.protect, true);
        assert.strictEqual(fs.retainOnDelete, true, "the file system holds the data: retainOnDelete is passed on explicitly");
        const fsId = await valueOf(component.fileSystemId);
        assert.match(fsId, /^fs-[0-9a-f]{17}$/);

        const sg = rec.get("aws:ec2/securityGroup:SecurityGroup", "shared-nfs");
        assert.deepStrictEqual(sg.inputs, {
            description: "NFS (TCP 2049) to the EFS file system of shared",
            egress: [],
            ingress: [
                {
                    cidrBlocks: ["10.0.0.0/16"],
                    description: "NFS from the allowed sources",
                    fromPort: 2049,
                    protocol: "tcp",
                    securityGroups: ["sg-0123456789abcdef0"],
                    toPort: 2049,
                },
            ],
            tags: { Name: "shared-nfs" },
            vpcId: VPC,
        });
        const sgId = await valueOf(component.securityGroup!.id);

        for (const subnet of [SUBNET_A, SUBNET_B, SUBNET_C]) {
            const mount = rec.get("aws:efs/mountTarget:MountTarget", `shared-mount-${subnet}`);
            assert.deepStrictEqual(mount.inputs, { fileSystemId: fsId, securityGroups: [sgId], subnetId: subnet });
            assert.deepStrictEqual([...mount.dependsOn].sort(), [sgUrn, fsUrn].sort(), "each mount target waits only for the file system and the security group");
        }
        assert.strictEqual(component.mountTargets.length, 3);

        const backup = rec.get("aws:efs/backupPolicy:BackupPolicy", "shared-backup");
        assert.deepStrictEqual(backup.inputs, { backupPolicy: { status: "ENABLED" }, fileSystemId: fsId });

        const sc = rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "shared");
        assert.deepStrictEqual(sc.inputs, {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { labels: LABELS, name: "content" },
            parameters: { directoryPerms: "700", fileSystemId: fsId, gidRangeEnd: "2000", gidRangeStart: "1000", provisioningMode: "efs-ap" },
            provisioner: "efs.csi.aws.com",
            reclaimPolicy: "Retain",
            volumeBindingMode: "Immediate",
        });
        assert.deepStrictEqual(
            [...sc.dependsOn].sort(),
            [fsUrn, ...[SUBNET_A, SUBNET_B, SUBNET_C].map((s) => CHILD("aws:efs/mountTarget:MountTarget", `shared-mount-${s}`))].sort(),
            "the class appears once the file system is reachable",
        );
        assert.strictEqual(rec.get("aws:ec2/securityGroup:SecurityGroup", "shared-nfs").retainOnDelete, false);
        assertSchemaValid(rec);
        assert.strictEqual(await valueOf(component.storageClassName), "content");
    });

    it("disables backups when asked, and names mount targets of Output subnets by position", async () => {
        const rec = await render(
            () => new EfsStorageClass("scratch", { fileSystem: { vpcId: VPC, subnetIds: [pulumi.output(SUBNET_A)], allowedCidrBlocks: ["10.1.0.0/16"], backups: false } }),
        );
        assert.deepStrictEqual(rec.get("aws:efs/backupPolicy:BackupPolicy", "scratch-backup").inputs.backupPolicy, { status: "DISABLED" });
        assert.strictEqual(rec.get("aws:efs/mountTarget:MountTarget", "scratch-mount-0").inputs.subnetId, SUBNET_A);
        assertSchemaValid(rec);
    });

    it("refuses bad input at construction, naming every problem, and registers nothing", async () => {
        const rec = await recorder();
        rec.reset();
        const { message, paths } = expectInvalid(
            () => new EfsStorageClass("bad", { fileSystem: { vpcId: VPC, subnetIds: [], allowedCidrBlocks: ["0.0.0.0/0"] }, directoryPerms: "999" }),
        );
        await settle();
        assert.deepStrictEqual(paths, ["fileSystem.subnetIds", "fileSystem.allowedCidrBlocks[0]", "directoryPerms"]);
        assert.strictEqual(
            message,
            [
                'EfsStorageClass "bad" has 3 invalid arguments:',
                "  - fileSystem.subnetIds: must list at least one subnet: a mount target is created in each (got [])",
                "  - fileSystem.allowedCidrBlocks[0]: must not open NFS to every address: name the cluster's subnets or security groups instead (got \"0.0.0.0/0\")",
                '  - directoryPerms: must be octal permissions given as a string, such as "700" or "0750" (got "999")',
            ].join("\n"),
        );
        assert.deepStrictEqual(rec.resources, []);
    });
});
