import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EXPECT } from "../../components/common/kubernetes";
import {
    buildEfsFileSystemArgs,
    buildEfsSecurityGroupArgs,
    buildEfsStorageClass,
    EfsFileSystemArgs,
    efsMountTargetName,
    EfsStorageClassArgs,
    parseCidr,
    validateEfsArgs,
} from "../../components/storage/efs-storage-class";
import { EXPECT_KMS_KEY_ARN } from "../../components/storage/storage-class";
import { validateKubernetesObject } from "../../tools/engine/schema";
import { lines } from "./storage-helpers";

const VPC = "vpc-0123456789abcdef0";
const SUBNET_A = "subnet-0123456789abcdef0";
const SUBNET_B = "subnet-0123456789abcdef1";
const NODES_SG = "sg-0123456789abcdef0";
const FS_ID = "fs-0123456789abcdef0";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** A valid file system, with `overrides` replacing fields. */
function fileSystem(overrides: Partial<Record<keyof EfsFileSystemArgs, unknown>> & Record<string, unknown> = {}): EfsFileSystemArgs {
    return { vpcId: VPC, subnetIds: [SUBNET_A, SUBNET_B], allowedCidrBlocks: ["10.0.0.0/16"], ...overrides } as EfsFileSystemArgs;
}

interface BadCase {
    readonly title: string;
    readonly args: EfsStorageClassArgs | any;
    readonly name?: string;
    readonly expected: string[];
}

const SOURCES = "must name at least one CIDR block, or fileSystem.allowedSecurityGroupIds at least one security group, allowed to reach NFS (TCP 2049)";
const CIDR = 'must be an IPv4 or IPv6 CIDR block such as "10.0.0.0/16" or "2001:db8::/56"';
const OPEN = "must not open NFS to every address: name the cluster's subnets or security groups instead";
const SUB_PATH = 'must be a relative path from fixed text and "${.PVC.name}", "${.PVC.namespace}" or "${.PV.name}"';

/** Every refused input, with the exact lines of the error. */
export const EFS_BAD_CASES: readonly BadCase[] = [
    {
        title: "neither fileSystemId nor fileSystem",
        args: {},
        expected: ["fileSystemId: is required unless fileSystem is given: set exactly one of fileSystemId or fileSystem (got undefined)"],
    },
    {
        title: "both fileSystemId and fileSystem",
        args: { fileSystemId: FS_ID, fileSystem: fileSystem({ subnetIds: [SUBNET_A] }) },
        expected: [
            `fileSystem: cannot be combined with fileSystemId: create a file system or name an existing one (got {"vpcId":"${VPC}","subnetIds":["${SUBNET_A}"],"allowedCidrBlocks":["10.0.0.0/16"]})`,
        ],
    },
    { title: "a malformed file system id", args: { fileSystemId: "fs-XYZ" }, expected: ['fileSystemId: must be an EFS file system id such as "fs-0123456789abcdef0" (got "fs-XYZ")'] },
    { title: "an EFS ARN for a file system id", args: { fileSystemId: `arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/${FS_ID}` }, expected: [`fileSystemId: must be an EFS file system id such as "fs-0123456789abcdef0" (got "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/${FS_ID}")`] },
    { title: "fileSystem as a string", args: { fileSystem: FS_ID }, expected: [`fileSystem: must be an object with vpcId, subnetIds and allowed sources (got "${FS_ID}")`] },
    { title: "a missing VPC", args: { fileSystem: fileSystem({ vpcId: undefined }) }, expected: ['fileSystem.vpcId: must be a VPC id such as "vpc-0123456789abcdef0" (got undefined)'] },
    { title: "a malformed VPC id", args: { fileSystem: fileSystem({ vpcId: "vpc-1" }) }, expected: ['fileSystem.vpcId: must be a VPC id such as "vpc-0123456789abcdef0" (got "vpc-1")'] },
    { title: "no subnets", args: { fileSystem: fileSystem({ subnetIds: [] }) }, expected: ["fileSystem.subnetIds: must list at least one subnet: a mount target is created in each (got [])"] },
    { title: "subnets missing", args: { fileSystem: fileSystem({ subnetIds: undefined }) }, expected: ['fileSystem.subnetIds: must be a list of ids such as "subnet-0123456789abcdef0" (got undefined)'] },
    { title: "a malformed subnet id", args: { fileSystem: fileSystem({ subnetIds: [SUBNET_A, "subnet-XY"] }) }, expected: ['fileSystem.subnetIds[1]: must be an id such as "subnet-0123456789abcdef0" (got "subnet-XY")'] },
    { title: "a repeated subnet", args: { fileSystem: fileSystem({ subnetIds: [SUBNET_A, SUBNET_A] }) }, expected: [`fileSystem.subnetIds[1]: must not repeat an id listed before (got "${SUBNET_A}")`] },
    { title: "no allowed sources", args: { fileSystem: fileSystem({ allowedCidrBlocks: undefined }) }, expected: [`fileSystem.allowedCidrBlocks: ${SOURCES} (got undefined)`] },
    { title: "empty allowed sources", args: { fileSystem: fileSystem({ allowedCidrBlocks: [], allowedSecurityGroupIds: [] }) }, expected: [`fileSystem.allowedCidrBlocks: ${SOURCES} (got [])`] },
    { title: "NFS open to every IPv4 address", args: { fileSystem: fileSystem({ allowedCidrBlocks: ["0.0.0.0/0"] }) }, expected: [`fileSystem.allowedCidrBlocks[0]: ${OPEN} (got "0.0.0.0/0")`] },
    { title: "NFS open to every IPv6 address", args: { fileSystem: fileSystem({ allowedCidrBlocks: ["10.0.0.0/8", "::/0"] }) }, expected: [`fileSystem.allowedCidrBlocks[1]: ${OPEN} (got "::/0")`] },
    {
        title: "a CIDR block with host bits set",
        args: { fileSystem: fileSystem({ allowedCidrBlocks: ["10.0.0.5/16"] }) },
        expected: ['fileSystem.allowedCidrBlocks[0]: must be a network address with no host bits set; did you mean "10.0.0.0/16"? (got "10.0.0.5/16")'],
    },
    {
        title: "an IPv6 CIDR block with host bits set",
        args: { fileSystem: fileSystem({ allowedCidrBlocks: ["2001:db8::1/64"] }) },
        expected: ['fileSystem.allowedCidrBlocks[0]: must be a network address with no host bits set (got "2001:db8::1/64")'],
    },
    { title: "a prefix longer than 32", args: { fileSystem: fileSystem({ allowedCidrBlocks: ["10.0.0.0/33"] }) }, expected: [`fileSystem.allowedCidrBlocks[0]: ${CIDR} (got "10.0.0.0/33")`] },
    { title: "an address without a prefix", args: { fileSystem: fileSystem({ allowedCidrBlocks: ["10.0.0.1"] }) }, expected: [`fileSystem.allowedCidrBlocks[0]: ${CIDR} (got "10.0.0.1")`] },
    { title: "an octet above 255", args: { fileSystem: fileSystem({ allowedCidrBlocks: ["10.300.0.0/16"] }) }, expected: [`fileSystem.allowedCidrBlocks[0]: ${CIDR} (got "10.300.0.0/16")`] },
    {
        title: "a malformed security group id",
        args: { fileSystem: fileSystem({ allowedCidrBlocks: undefined, allowedSecurityGroupIds: ["sg-nodes"] }) },
        expected: ['fileSystem.allowedSecurityGroupIds[0]: must be an id such as "sg-0123456789abcdef0" (got "sg-nodes")'],
    },
    { title: "an unknown performance mode", args: { fileSystem: fileSystem({ performanceMode: "fast" }) }, expected: ['fileSystem.performanceMode: must be one of "generalPurpose", "maxIO" (got "fast")'] },
    { title: "an unknown throughput mode", args: { fileSystem: fileSystem({ throughputMode: "burst" }) }, expected: ['fileSystem.throughputMode: must be one of "elastic", "bursting", "provisioned" (got "burst")'] },
    {
        title: "maxIO with the default elastic throughput",
        args: { fileSystem: fileSystem({ performanceMode: "maxIO" }) },
        expected: ['fileSystem.performanceMode: must be "generalPurpose" with elastic throughput: set throughputMode "bursting" or "provisioned" to use "maxIO" (got "maxIO")'],
    },
    {
        title: "provisioned throughput without a rate",
        args: { fileSystem: fileSystem({ throughputMode: "provisioned" }) },
        expected: ['fileSystem.provisionedThroughputMibps: is required with throughputMode "provisioned" (got undefined)'],
    },
    {
        title: "a rate without provisioned throughput",
        args: { fileSystem: fileSystem({ provisionedThroughputMibps: 100 }) },
        expected: ['fileSystem.provisionedThroughputMibps: can only be set with throughputMode "provisioned" (throughput mode is "elastic") (got 100)'],
    },
    {
        title: "a zero provisioned rate",
        args: { fileSystem: fileSystem({ throughputMode: "provisioned", provisionedThroughputMibps: 0 }) },
        expected: ["fileSystem.provisionedThroughputMibps: must be a number of MiB/s of at least 1 (got 0)"],
    },
    {
        title: "a key on an unencrypted file system",
        args: { fileSystem: fileSystem({ encrypted: false, kmsKeyArn: KEY_ARN }) },
        expected: [`fileSystem.kmsKeyArn: requires fileSystem.encrypted: true (a KMS key only applies to an encrypted file system) (got "${KEY_ARN}")`],
    },
    {
        title: "a key alias for the file system",
        args: { fileSystem: fileSystem({ kmsKeyArn: "alias/aws/elasticfilesystem" }) },
        expected: [`fileSystem.kmsKeyArn: ${EXPECT_KMS_KEY_ARN}; an alias is not accepted: this component needs the key's full ARN (got "alias/aws/elasticfilesystem")`],
    },
    {
        title: "a transition that is not AWS's enum",
        args: { fileSystem: fileSystem({ transitionToIa: "30_DAYS" }) },
        expected: [
            'fileSystem.transitionToIa: must be one of "AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS", "AFTER_180_DAYS", "AFTER_270_DAYS", "AFTER_365_DAYS" (got "30_DAYS")',
        ],
    },
    {
        title: "an archive transition without an IA transition",
        args: { fileSystem: fileSystem({ transitionToArchive: "AFTER_90_DAYS" }) },
        expected: ['fileSystem.transitionToArchive: requires fileSystem.transitionToIa: files reach Archive through Infrequent Access (got "AFTER_90_DAYS")'],
    },
    {
        title: "an archive transition with bursting throughput",
        args: { fileSystem: fileSystem({ throughputMode: "bursting", transitionToIa: "AFTER_30_DAYS", transitionToArchive: "AFTER_90_DAYS" }) },
        expected: ['fileSystem.transitionToArchive: requires elastic throughput and the generalPurpose performance mode (got throughputMode "bursting", performanceMode "generalPurpose") (got "AFTER_90_DAYS")'],
    },
    { title: "backups as a string", args: { fileSystem: fileSystem({ backups: "daily" }) }, expected: ['fileSystem.backups: must be true or false (got "daily")'] },
    {
        title: "a misspelt file system argument",
        args: { fileSystem: fileSystem({ subnets: [SUBNET_A] }) },
        expected: [
            `fileSystem.subnets: is not a known field; did you mean "subnetIds"? (got ["${SUBNET_A}"])`,
        ],
    },
    { title: "permissions as a number", args: { fileSystemId: FS_ID, directoryPerms: 700 }, expected: ['directoryPerms: must be octal permissions given as a string, such as "700" or "0750" (got 700)'] },
    { title: "non-octal permissions", args: { fileSystemId: FS_ID, directoryPerms: "780" }, expected: ['directoryPerms: must be octal permissions given as a string, such as "700" or "0750" (got "780")'] },
    { title: "a negative uid", args: { fileSystemId: FS_ID, uid: -1 }, expected: ["uid: must be an integer from 0 to 4294967295 (got -1)"] },
    { title: "a fractional gid", args: { fileSystemId: FS_ID, gid: 1.5 }, expected: ["gid: must be an integer from 0 to 4294967295 (got 1.5)"] },
    {
        title: "a gid range start without an end",
        args: { fileSystemId: FS_ID, gidRangeStart: 1000 },
        expected: ["gidRangeEnd: is required with gidRangeStart: set both ends of the gid range or neither (got undefined)"],
    },
    {
        title: "a gid range end without a start",
        args: { fileSystemId: FS_ID, gidRangeEnd: 2000 },
        expected: ["gidRangeStart: is required with gidRangeEnd: set both ends of the gid range or neither (got undefined)"],
    },
    { title: "a gid range that ends before it starts", args: { fileSystemId: FS_ID, gidRangeStart: 2000, gidRangeEnd: 2000 }, expected: ["gidRangeEnd: must be greater than gidRangeStart (2000) (got 2000)"] },
    { title: "a gid range starting at zero", args: { fileSystemId: FS_ID, gidRangeStart: 0, gidRangeEnd: 10 }, expected: ["gidRangeStart: must be an integer from 1 to 4294967295 (got 0)"] },
    {
        title: "a gid range that uid and gid make unused",
        args: { fileSystemId: FS_ID, uid: 1000, gid: 1000, gidRangeStart: 1000, gidRangeEnd: 2000 },
        expected: ["gidRangeStart: is not used when both uid and gid are set: leave out the gid range or one of uid/gid (got 1000)"],
    },
    {
        title: "a relative base path",
        args: { fileSystemId: FS_ID, basePath: "dynamic" },
        expected: ['basePath: must be an absolute path other than "/", without "." or ".." parts, ":" or whitespace (got "dynamic")'],
    },
    {
        title: "a base path climbing out",
        args: { fileSystemId: FS_ID, basePath: "/a/../b" },
        expected: ['basePath: must be an absolute path other than "/", without "." or ".." parts, ":" or whitespace (got "/a/../b")'],
    },
    { title: "an unknown sub-path variable", args: { fileSystemId: FS_ID, subPathPattern: "${.PVC.uid}" }, expected: [`subPathPattern: ${SUB_PATH} (got "\${.PVC.uid}")`] },
    { title: "an absolute sub-path pattern", args: { fileSystemId: FS_ID, subPathPattern: "/${.PV.name}" }, expected: [`subPathPattern: ${SUB_PATH} (got "/\${.PV.name}")`] },
    { title: "ensureUniqueDirectory as a string", args: { fileSystemId: FS_ID, ensureUniqueDirectory: "false" }, expected: ['ensureUniqueDirectory: must be true or false (got "false")'] },
    { title: "reuseAccessPoint as a number", args: { fileSystemId: FS_ID, reuseAccessPoint: 1 }, expected: ["reuseAccessPoint: must be true or false (got 1)"] },
    { title: "an unknown reclaim policy", args: { fileSystemId: FS_ID, reclaimPolicy: "Recycle" }, expected: ['reclaimPolicy: must be one of "Retain", "Delete" (got "Recycle")'] },
    { title: "an invalid StorageClass name", args: { fileSystemId: FS_ID, storageClassName: "shared/efs" }, expected: [`storageClassName: ${EXPECT.dns1123Subdomain} (got "shared/efs")`] },
    {
        title: "a misspelt argument",
        args: { fileSystemId: FS_ID, directoryPermissions: "700" },
        expected: [
            'directoryPermissions: is not a known field (got "700")',
        ],
    },
    { title: "no arguments at all", args: undefined, expected: ["args: must be an object of EfsStorageClass arguments with fileSystemId or fileSystem (got undefined)"] },
    {
        title: "several problems, all reported at once",
        args: { fileSystem: { vpcId: VPC, subnetIds: [SUBNET_A], allowedCidrBlocks: ["0.0.0.0/0"], throughputMode: "provisioned" }, gidRangeStart: 5 },
        expected: [
            `fileSystem.allowedCidrBlocks[0]: ${OPEN} (got "0.0.0.0/0")`,
            'fileSystem.provisionedThroughputMibps: is required with throughputMode "provisioned" (got undefined)',
            "gidRangeEnd: is required with gidRangeStart: set both ends of the gid range or neither (got undefined)",
        ],
    },
];

const GOOD_CASES: readonly { title: string; args: EfsStorageClassArgs }[] = [
    { title: "an existing file system", args: { fileSystemId: FS_ID } },
    { title: "a new file system with defaults", args: { fileSystem: fileSystem() } },
    { title: "security groups only, IPv6 CIDRs", args: { fileSystem: fileSystem({ allowedCidrBlocks: ["2001:db8:1234::/48"], allowedSecurityGroupIds: [NODES_SG] }) } },
    { title: "maxIO with bursting throughput", args: { fileSystem: fileSystem({ performanceMode: "maxIO", throughputMode: "bursting" }) } },
    { title: "provisioned throughput", args: { fileSystem: fileSystem({ throughputMode: "provisioned", provisionedThroughputMibps: 256.5 }) } },
    { title: "IA and archive transitions", args: { fileSystem: fileSystem({ transitionToIa: "AFTER_30_DAYS", transitionToArchive: "AFTER_90_DAYS", kmsKeyArn: KEY_ARN }) } },
    { title: "an unencrypted file system without backups", args: { fileSystem: fileSystem({ encrypted: false, backups: false }) } },
    {
        title: "every access point option",
        args: { fileSystemId: FS_ID, directoryPerms: "0750", uid: 0, gid: 0, basePath: "/", subPathPattern: "${.PVC.namespace}/${.PVC.name}", ensureUniqueDirectory: false, reuseAccessPoint: true },
    },
    { title: "a gid range with a uid only", args: { fileSystemId: FS_ID, uid: 1000, gidRangeStart: 1000, gidRangeEnd: 2000 } },
    { title: "Outputs are passed through unchecked", args: { fileSystemId: pulumi.output("not-an-id"), fileSystem: undefined } },
    { title: "Output subnets and VPC", args: { fileSystem: fileSystem({ vpcId: pulumi.output("x"), subnetIds: [pulumi.output("y")] }) } },
];

describe("EfsStorageClass validation", () => {
    describe("refuses", () => {
        for (const c of EFS_BAD_CASES) {
            it(c.title, () => {
                assert.deepStrictEqual(lines(validateEfsArgs(c.name ?? "shared", c.args)), c.expected);
            });
        }
    });

    describe("accepts", () => {
        for (const c of GOOD_CASES) {
            it(c.title, () => {
                assert.deepStrictEqual(lines(validateEfsArgs("shared", c.args)), []);
            });
        }
    });

    it("lists the bad-input cases this suite covers (at least 40)", () => {
        assert.ok(EFS_BAD_CASES.length >= 40, `only ${EFS_BAD_CASES.length} cases`);
    });

    it("parses CIDR blocks of both families", () => {
        assert.deepStrictEqual(parseCidr("10.1.0.0/16"), { family: 4, bits: 0x0a010000n, width: 32, prefix: 16 });
        assert.strictEqual(parseCidr("2001:db8::/32")?.bits, 0x20010db8n << 96n);
        assert.strictEqual(parseCidr("1:2:3:4:5:6:7:8::/64"), undefined);
        assert.strictEqual(parseCidr("01.2.3.4/8"), undefined);
        assert.strictEqual(parseCidr("::/129"), undefined);
    });
});

describe("EfsStorageClass builders", () => {
    it("renders the StorageClass: efs-ap, directoryPerms 700, Retain, Immediate", () => {
        const object = buildEfsStorageClass("shared", { fileSystemId: FS_ID }, FS_ID);
        assert.deepStrictEqual(object, {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { name: "shared", labels: { "app.kubernetes.io/managed-by": "stateful-stacks" } },
            provisioner: "efs.csi.aws.com",
            parameters: { directoryPerms: "700", fileSystemId: FS_ID, provisioningMode: "efs-ap" },
            reclaimPolicy: "Retain",
            volumeBindingMode: "Immediate",
        });
        assert.deepStrictEqual(validateKubernetesObject(object as any), []);
    });

    it("renders every access point option as a string, keys sorted", () => {
        const object = buildEfsStorageClass(
            "shared",
            {
                fileSystemId: FS_ID,
                storageClassName: "content",
                directoryPerms: "0750",
                uid: 0,
                gid: 2000,
                gidRangeStart: 3000,
                gidRangeEnd: 4000,
                basePath: "/dynamic",
                subPathPattern: "${.PVC.namespace}/${.PVC.name}",
                ensureUniqueDirectory: false,
                reuseAccessPoint: true,
                reclaimPolicy: "Delete",
                volumeBindingMode: "WaitForFirstConsumer",
                isDefault: true,
            },
            FS_ID,
        );
        assert.deepStrictEqual(object.parameters, {
            basePath: "/dynamic",
            directoryPerms: "0750",
            ensureUniqueDirectory: "false",
            fileSystemId: FS_ID,
            gid: "2000",
            gidRangeEnd: "4000",
            gidRangeStart: "3000",
            provisioningMode: "efs-ap",
            reuseAccessPoint: "true",
            subPathPattern: "${.PVC.namespace}/${.PVC.name}",
            uid: "0",
        });
        assert.deepStrictEqual(Object.keys(object.parameters), [...Object.keys(object.parameters)].sort());
        assert.deepStrictEqual(object.metadata, {
            name: "content",
            labels: { "app.kubernetes.io/managed-by": "stateful-stacks" },
            annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
        });
        assert.strictEqual(object.reclaimPolicy, "Delete");
        assert.strictEqual(object.volumeBindingMode, "WaitForFirstConsumer");
        assert.deepStrictEqual(validateKubernetesObject(object as any), []);
    });

    it("builds an encrypted, elastic, generalPurpose file system with one policy per transition", () => {
        assert.deepStrictEqual(buildEfsFileSystemArgs("shared", fileSystem()), {
            encrypted: true,
            performanceMode: "generalPurpose",
            tags: { Name: "shared" },
            throughputMode: "elastic",
        });
        assert.deepStrictEqual(
            buildEfsFileSystemArgs("shared", fileSystem({ kmsKeyArn: KEY_ARN, transitionToIa: "AFTER_7_DAYS", transitionToArchive: "AFTER_180_DAYS" })),
            {
                encrypted: true,
                kmsKeyId: KEY_ARN,
                lifecyclePolicies: [{ transitionToIa: "AFTER_7_DAYS" }, { transitionToArchive: "AFTER_180_DAYS" }],
                performanceMode: "generalPurpose",
                tags: { Name: "shared" },
                throughputMode: "elastic",
            },
        );
        assert.deepStrictEqual(buildEfsFileSystemArgs("shared", fileSystem({ performanceMode: "maxIO", throughputMode: "provisioned", provisionedThroughputMibps: 64 })), {
            encrypted: true,
            performanceMode: "maxIO",
            provisionedThroughputInMibps: 64,
            tags: { Name: "shared" },
            throughputMode: "provisioned",
        });
    });

    it("opens only TCP 2049, only to the named sources, and no egress", () => {
        assert.deepStrictEqual(
            buildEfsSecurityGroupArgs("shared", fileSystem({ allowedCidrBlocks: ["10.0.0.0/16", "2001:db8::/56"], allowedSecurityGroupIds: [NODES_SG] })),
            {
                description: "NFS (TCP 2049) to the EFS file system of shared",
                egress: [],
                ingress: [
                    {
                        cidrBlocks: ["10.0.0.0/16"],
                        description: "NFS from the allowed sources",
                        fromPort: 2049,
                        ipv6CidrBlocks: ["2001:db8::/56"],
                        protocol: "tcp",
                        securityGroups: [NODES_SG],
                        toPort: 2049,
                    },
                ],
                tags: { Name: "shared-nfs" },
                vpcId: VPC,
            },
        );
        const groupsOnly = buildEfsSecurityGroupArgs("shared", fileSystem({ allowedCidrBlocks: undefined, allowedSecurityGroupIds: [NODES_SG] }));
        assert.deepStrictEqual(groupsOnly.ingress, [
            { description: "NFS from the allowed sources", fromPort: 2049, protocol: "tcp", securityGroups: [NODES_SG], toPort: 2049 },
        ]);
    });

    it("names mount targets after plain subnet ids, by position otherwise", () => {
        assert.strictEqual(efsMountTargetName("shared", SUBNET_A, 0), `shared-mount-${SUBNET_A}`);
        assert.strictEqual(efsMountTargetName("shared", pulumi.output(SUBNET_A), 2), "shared-mount-2");
    });
});
