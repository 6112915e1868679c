import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EXPECT } from "../../components/common/kubernetes";
import { formatProblems } from "../../components/common/validation";
import {
    buildEbsKmsKeyArgs,
    buildEbsSnapshotClass,
    buildEbsStorageClass,
    EbsStorageClassArgs,
    ebsTagParameters,
    validateEbsArgs,
} from "../../components/storage/ebs-storage-class";
import { EXPECT_KMS_KEY_ARN } from "../../components/storage/storage-class";
import { validateKubernetesObject } from "../../tools/engine/schema";
import { lines } from "./storage-helpers";


const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KMS_HINT = `${EXPECT_KMS_KEY_ARN}; `;

interface BadCase {
    readonly title: string;
    readonly args: EbsStorageClassArgs | any;
    readonly name?: string;
    readonly expected: string[];
}

/** Every refused input, with the exact lines of the error. */
export const EBS_BAD_CASES: readonly BadCase[] = [
    { title: "an unknown volume type", args: { volumeType: "gp4" }, expected: ['volumeType: must be one of "gp3", "gp2", "io1", "io2", "st1", "sc1" (got "gp4")'] },
    { title: "iops on gp2", args: { volumeType: "gp2", iops: 3000 }, expected: ["iops: must not be set for gp2 volumes: only gp3, io1, io2 take provisioned IOPS (got 3000)"] },
    { title: "iops on st1", args: { volumeType: "st1", iops: 500 }, expected: ["iops: must not be set for st1 volumes: only gp3, io1, io2 take provisioned IOPS (got 500)"] },
    { title: "iops on sc1", args: { volumeType: "sc1", iops: 250 }, expected: ["iops: must not be set for sc1 volumes: only gp3, io1, io2 take provisioned IOPS (got 250)"] },
    { title: "gp3 iops below the baseline", args: { iops: 2000 }, expected: ["iops: must be an integer from 3000 to 80000 for gp3 volumes (got 2000)"] },
    { title: "gp3 iops above the maximum", args: { iops: 90000 }, expected: ["iops: must be an integer from 3000 to 80000 for gp3 volumes (got 90000)"] },
    { title: "fractional iops", args: { iops: 3000.5 }, expected: ["iops: must be an integer from 3000 to 80000 for gp3 volumes (got 3000.5)"] },
    { title: "iops as a string", args: { iops: "4000" }, expected: ['iops: must be an integer from 3000 to 80000 for gp3 volumes (got "4000")'] },
    { title: "io1 iops above 64,000", args: { volumeType: "io1", iops: 70000 }, expected: ["iops: must be an integer from 100 to 64000 for io1 volumes (got 70000)"] },
    { title: "io2 iops above 256,000", args: { volumeType: "io2", iops: 300000 }, expected: ["iops: must be an integer from 100 to 256000 for io2 volumes (got 300000)"] },
    { title: "io2 without iops or iopsPerGb", args: { volumeType: "io2" }, expected: ["iops: is required for io2 volumes: set iops or iopsPerGb (got undefined)"] },
    { title: "io1 without iops or iopsPerGb", args: { volumeType: "io1" }, expected: ["iops: is required for io1 volumes: set iops or iopsPerGb (got undefined)"] },
    { title: "both iops and iopsPerGb", args: { volumeType: "io2", iops: 4000, iopsPerGb: 10 }, expected: ["iopsPerGb: cannot be combined with iops: set one of them (got 10)"] },
    { title: "iopsPerGb on gp2", args: { volumeType: "gp2", iopsPerGb: 3 }, expected: ["iopsPerGb: must not be set for gp2 volumes: only gp3, io1, io2 take provisioned IOPS (got 3)"] },
    { title: "gp3 iopsPerGb above 500", args: { iopsPerGb: 600 }, expected: ["iopsPerGb: must be an integer from 1 to 500 for gp3 volumes (got 600)"] },
    { title: "io1 iopsPerGb of zero", args: { volumeType: "io1", iopsPerGb: 0 }, expected: ["iopsPerGb: must be an integer from 1 to 50 for io1 volumes (got 0)"] },
    { title: "auto IOPS increase without iopsPerGb", args: { iops: 4000, allowAutoIopsPerGbIncrease: true }, expected: ["allowAutoIopsPerGbIncrease: can only be set together with iopsPerGb (got true)"] },
    { title: "throughput on io2", args: { volumeType: "io2", iops: 4000, throughputMibps: 500 }, expected: ["throughputMibps: must not be set for io2 volumes: only gp3 takes a throughput (got 500)"] },
    { title: "throughput on st1", args: { volumeType: "st1", throughputMibps: 250 }, expected: ["throughputMibps: must not be set for st1 volumes: only gp3 takes a throughput (got 250)"] },
    { title: "gp3 throughput below 125", args: { throughputMibps: 100 }, expected: ["throughputMibps: must be an integer from 125 to 2000 MiB/s (got 100)"] },
    { title: "gp3 throughput above 2000", args: { iops: 16000, throughputMibps: 2500 }, expected: ["throughputMibps: must be an integer from 125 to 2000 MiB/s (got 2500)"] },
    {
        title: "throughput above a quarter of the baseline IOPS",
        args: { throughputMibps: 1000 },
        expected: ["throughputMibps: must be at most a quarter of the IOPS: 750 MiB/s for the gp3 baseline of 3000 IOPS, as iops is not set (got 1000)"],
    },
    {
        title: "throughput above a quarter of the given IOPS",
        args: { iops: 4000, throughputMibps: 1500 },
        expected: ["throughputMibps: must be at most a quarter of the IOPS: 1000 MiB/s for iops 4000 (got 1500)"],
    },
    { title: "an unsupported file system", args: { fsType: "ext3" }, expected: ['fsType: must be one of "ext4", "xfs" (got "ext3")'] },
    { title: "encrypted as a string", args: { encrypted: "yes" }, expected: ['encrypted: must be true or false (got "yes")'] },
    {
        title: "a key on unencrypted volumes",
        args: { encrypted: false, kmsKeyArn: KEY_ARN },
        expected: [`kmsKeyArn: requires encrypted: true (a KMS key only applies to encrypted volumes) (got "${KEY_ARN}")`],
    },
    {
        title: "a key alias",
        args: { kmsKeyArn: "alias/ebs" },
        expected: [`kmsKeyArn: ${KMS_HINT}an alias is not accepted: the EBS CSI driver needs the key's full ARN (got "alias/ebs")`],
    },
    {
        title: "a key alias ARN",
        args: { kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/ebs" },
        expected: [`kmsKeyArn: ${KMS_HINT}an alias is not accepted: the EBS CSI driver needs the key's full ARN (got "arn:aws:kms:us-east-1:123456789012:alias/ebs")`],
    },
    {
        title: "a bare key id",
        args: { kmsKeyArn: "1234abcd-12ab-34cd-56ef-1234567890ab" },
        expected: [`kmsKeyArn: ${KMS_HINT}a bare key id is not accepted: the EBS CSI driver needs the key's full ARN (got "1234abcd-12ab-34cd-56ef-1234567890ab")`],
    },
    {
        title: "a key ARN without an account",
        args: { kmsKeyArn: "arn:aws:kms:us-east-1::key/1234abcd-12ab-34cd-56ef-1234567890ab" },
        expected: [`kmsKeyArn: ${KMS_HINT}the EBS CSI driver needs the key's full ARN (got "arn:aws:kms:us-east-1::key/1234abcd-12ab-34cd-56ef-1234567890ab")`],
    },
    {
        title: "both a key ARN and a created key",
        args: { kmsKeyArn: KEY_ARN, createKmsKey: true },
        expected: ["createKmsKey: cannot be combined with kmsKeyArn: name an existing key or create one (got true)"],
    },
    {
        title: "a created key for unencrypted volumes",
        args: { encrypted: false, createKmsKey: { description: "x" } },
        expected: ['createKmsKey: requires encrypted: true (a KMS key only applies to encrypted volumes) (got {"description":"x"})'],
    },
    { title: "a deletion window below 7 days", args: { createKmsKey: { deletionWindowInDays: 3 } }, expected: ["createKmsKey.deletionWindowInDays: must be an integer from 7 to 30 days (got 3)"] },
    { title: "createKmsKey as a string", args: { createKmsKey: "yes" }, expected: ['createKmsKey: must be true, false or { description?, deletionWindowInDays? } (got "yes")'] },
    {
        title: "an unknown createKmsKey option",
        args: { createKmsKey: { rotation: false } },
        expected: ["createKmsKey.rotation: is not a known field (known: deletionWindowInDays, description) (got false)"],
    },
    { title: "an unknown reclaim policy", args: { reclaimPolicy: "Recycle" }, expected: ['reclaimPolicy: must be one of "Retain", "Delete" (got "Recycle")'] },
    { title: "an unknown binding mode", args: { volumeBindingMode: "Later" }, expected: ['volumeBindingMode: must be one of "WaitForFirstConsumer", "Immediate" (got "Later")'] },
    { title: "allowVolumeExpansion as a string", args: { allowVolumeExpansion: "no" }, expected: ['allowVolumeExpansion: must be true or false (got "no")'] },
    { title: "an empty zone list", args: { zones: [] }, expected: ["zones: must not be empty (got [])"] },
    { title: "a region for a zone", args: { zones: ["us-east-1a", "us-east-1"] }, expected: ['zones[1]: must be an availability zone name such as "us-east-1a" (got "us-east-1")'] },
    { title: "a repeated zone", args: { zones: ["us-east-1a", "us-east-1a"] }, expected: ['zones[1]: must not repeat a zone listed before (got "us-east-1a")'] },
    {
        title: "a reserved tag key",
        args: { tags: { "aws:owner": "me" } },
        expected: ['tags["aws:owner"]: must have a key of 1 to 128 characters that contains no "=" and does not start with "aws:" (got "aws:owner")'],
    },
    {
        title: "a tag key with '='",
        args: { tags: { "a=b": "c" } },
        expected: ['tags["a=b"]: must have a key of 1 to 128 characters that contains no "=" and does not start with "aws:" (got "a=b")'],
    },
    { title: "a numeric tag value", args: { tags: { team: 7 } }, expected: ['tags["team"]: must be a string of at most 256 characters (got 7)'] },
    { title: "isDefault as a string", args: { isDefault: "true" }, expected: ['isDefault: must be true or false (got "true")'] },
    { title: "an invalid StorageClass name", args: { storageClassName: "Fast_SSD" }, expected: [`storageClassName: ${EXPECT.dns1123Subdomain} (got "Fast_SSD")`] },
    {
        title: "a component name that cannot be the default StorageClass name",
        name: "Fast SSD",
        args: {},
        expected: [`storageClassName: ${EXPECT.dns1123Subdomain}; it defaults to the component name "Fast SSD", which is not one, so set storageClassName explicitly (got undefined)`],
    },
    { title: "an unknown snapshot deletion policy", args: { snapshots: { deletionPolicy: "Keep" } }, expected: ['snapshots.deletionPolicy: must be one of "Retain", "Delete" (got "Keep")'] },
    { title: "an invalid snapshot class name", args: { snapshots: { name: "Bad Name" } }, expected: [`snapshots.name: ${EXPECT.dns1123Subdomain} (got "Bad Name")`] },
    { title: "snapshots as a string", args: { snapshots: "daily" }, expected: ['snapshots: must be true, false or { deletionPolicy?: "Retain" | "Delete", name? } (got "daily")'] },
    {
        title: "a misspelt argument",
        args: { iopsPerGB: 10 },
        expected: [
            'iopsPerGB: is not a known field; did you mean "iopsPerGb"? (got 10)',
        ],
    },
    {
        title: "several problems, all reported at once",
        args: { volumeType: "io2", throughputMibps: 500, encrypted: false, createKmsKey: true, reclaimPolicy: "Recycle" },
        expected: [
            "iops: is required for io2 volumes: set iops or iopsPerGb (got undefined)",
            "throughputMibps: must not be set for io2 volumes: only gp3 takes a throughput (got 500)",
            "createKmsKey: requires encrypted: true (a KMS key only applies to encrypted volumes) (got true)",
            'reclaimPolicy: must be one of "Retain", "Delete" (got "Recycle")',
        ],
    },
];

const GOOD_CASES: readonly { title: string; args: EbsStorageClassArgs }[] = [
    { title: "no arguments (gp3 defaults)", args: {} },
    { title: "gp3 at the top of its ranges", args: { iops: 80000, throughputMibps: 2000 } },
    { title: "gp3 throughput at exactly a quarter of the baseline", args: { throughputMibps: 750 } },
    { title: "gp3 with iopsPerGb and automatic increase", args: { iopsPerGb: 500, allowAutoIopsPerGbIncrease: true, throughputMibps: 2000 } },
    { title: "io1 at its maximum", args: { volumeType: "io1", iops: 64000 } },
    { title: "io2 with iopsPerGb", args: { volumeType: "io2", iopsPerGb: 1000 } },
    { title: "st1 and sc1 without performance settings", args: { volumeType: "st1", fsType: "xfs" } },
    { title: "an existing key", args: { kmsKeyArn: KEY_ARN } },
    { title: "a multi-region key in GovCloud", args: { kmsKeyArn: "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef" } },
    { title: "a created key with options", args: { createKmsKey: { description: "pg volumes", deletionWindowInDays: 7 } } },
    { title: "unencrypted volumes", args: { encrypted: false } },
    { title: "zones, including a Local Zone", args: { zones: ["us-east-1a", "us-west-2-lax-1a"] } },
    { title: "tags with '=' in a value and an empty value", args: { tags: { expr: "a=b", empty: "" } } },
    { title: "snapshots with Delete", args: { snapshots: { deletionPolicy: "Delete", name: "pg-snapshots" } } },
    { title: "Outputs are passed through unchecked", args: { iops: pulumi.output(1), kmsKeyArn: pulumi.output("alias/x"), throughputMibps: pulumi.output(5000) } },
];

describe("EbsStorageClass validation", () => {
    describe("refuses", () => {
        for (const c of EBS_BAD_CASES) {
            it(c.title, () => {
                const problems = validateEbsArgs(c.name ?? "fast", c.args);
                assert.deepStrictEqual(lines(problems), c.expected);
            });
        }
    });

    describe("accepts", () => {
        for (const c of GOOD_CASES) {
            it(c.title, () => {
                assert.deepStrictEqual(lines(validateEbsArgs("fast", c.args)), []);
            });
        }
    });

    it("lists the bad-input cases this suite covers (at least 40)", () => {
        assert.ok(EBS_BAD_CASES.length >= 40, `only ${EBS_BAD_CASES.length} cases`);
    });

    it("formats every problem into one message naming the component", () => {
        const problems = validateEbsArgs("fast", { volumeType: "io2", fsType: "ntfs" as any });
        assert.strictEqual(
            formatProblems({ kind: "EbsStorageClass", name: "fast" }, problems),
            [
                'EbsStorageClass "fast" has 2 invalid arguments:',
                "  - iops: is required for io2 volumes: set iops or iopsPerGb (got undefined)",
                '  - fsType: must be one of "ext4", "xfs" (got "ntfs")',
            ].join("\n"),
        );
    });

    it("refuses arguments that are not an object", () => {
        assert.deepStrictEqual(lines(validateEbsArgs("fast", "gp3" as any)), ['args: must be an object of EbsStorageClass arguments (got "gp3")']);
    });

    it("does not modify the caller's arguments", () => {
        const args = { zones: ["us-east-1b", "us-east-1a"], tags: { b: "2", a: "1" } };
        const before = JSON.stringify(args);
        validateEbsArgs("fast", args);
        buildEbsStorageClass("fast", args);
        assert.strictEqual(JSON.stringify(args), before);
    });
});

describe("EbsStorageClass builders", () => {
    it("renders the defaults: gp3, ext4, encrypted, Retain, expandable, WaitForFirstConsumer", () => {
        const object = buildEbsStorageClass("fast", {});
        assert.deepStrictEqual(object, {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { name: "fast", labels: { "app.kubernetes.io/managed-by": "stateful-stacks" } },
            provisioner: "ebs.csi.aws.com",
            parameters: { "csi.storage.k8s.io/fstype": "ext4", encrypted: "true", type: "gp3" },
            reclaimPolicy: "Retain",
            allowVolumeExpansion: true,
            volumeBindingMode: "WaitForFirstConsumer",
        });
        assert.deepStrictEqual(validateKubernetesObject(object as any), []);
    });

    it("renders every parameter as a string, keys sorted, tags numbered by sorted key", () => {
        const object = buildEbsStorageClass("fast", {
            storageClassName: "pg-fast",
            iops: 6000,
            throughputMibps: 500,
            fsType: "xfs",
            kmsKeyArn: KEY_ARN,
            zones: ["us-east-1c", "us-east-1a"],
            tags: { team: "db", app: "pg", env: "prod" },
            isDefault: true,
            reclaimPolicy: "Delete",
            allowVolumeExpansion: false,
            volumeBindingMode: "Immediate",
        });
        assert.deepStrictEqual(object, {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: {
                name: "pg-fast",
                labels: { "app.kubernetes.io/managed-by": "stateful-stacks" },
                annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
            },
            provisioner: "ebs.csi.aws.com",
            parameters: {
                "csi.storage.k8s.io/fstype": "xfs",
                encrypted: "true",
                iops: "6000",
                kmsKeyId: KEY_ARN,
                tagSpecification_1: "app=pg",
                tagSpecification_2: "env=prod",
                tagSpecification_3: "team=db",
                throughput: "500",
                type: "gp3",
            },
            reclaimPolicy: "Delete",
            allowVolumeExpansion: false,
            volumeBindingMode: "Immediate",
            allowedTopologies: [{ matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["us-east-1a", "us-east-1c"] }] }],
        });
        assert.deepStrictEqual(Object.keys(object.parameters), [...Object.keys(object.parameters)].sort());
        assert.deepStrictEqual(validateKubernetesObject(object as any), []);
    });

    it("renders iopsPerGB with the automatic increase for io2", () => {
        assert.deepStrictEqual(buildEbsStorageClass("fast", { volumeType: "io2", iopsPerGb: 50, allowAutoIopsPerGbIncrease: true }).parameters, {
            allowAutoIOPSPerGBIncrease: "true",
            "csi.storage.k8s.io/fstype": "ext4",
            encrypted: "true",
            iopsPerGB: "50",
            type: "io2",
        });
    });

    it("renders unencrypted volumes as encrypted \"false\" with no key", () => {
        assert.deepStrictEqual(buildEbsStorageClass("cold", { volumeType: "sc1", encrypted: false }).parameters, {
            "csi.storage.k8s.io/fstype": "ext4",
            encrypted: "false",
            type: "sc1",
        });
    });

    it("numbers tags deterministically, whatever the insertion order", () => {
        assert.deepStrictEqual(ebsTagParameters({ b: "2", a: "x=y", c: "" }), { tagSpecification_1: "a=x=y", tagSpecification_2: "b=2", tagSpecification_3: "c=" });
        assert.deepStrictEqual(ebsTagParameters({ c: "", a: "x=y", b: "2" }), ebsTagParameters({ b: "2", a: "x=y", c: "" }));
        assert.deepStrictEqual(ebsTagParameters(undefined), {});
    });

    it("renders the VolumeSnapshotClass with Retain and the volume tags", () => {
        const object = buildEbsSnapshotClass("fast", { snapshots: true, tags: { team: "db" } });
        assert.deepStrictEqual(object, {
            apiVersion: "snapshot.storage.k8s.io/v1",
            kind: "VolumeSnapshotClass",
            metadata: { name: "fast-snapshots", labels: { "app.kubernetes.io/managed-by": "stateful-stacks" } },
            driver: "ebs.csi.aws.com",
            deletionPolicy: "Retain",
            parameters: { tagSpecification_1: "team=db" },
        });
        assert.deepStrictEqual(validateKubernetesObject(object as any), []);
        assert.strictEqual(buildEbsSnapshotClass("fast", {}), undefined);
        assert.strictEqual(buildEbsSnapshotClass("fast", { snapshots: false }), undefined);
        assert.deepStrictEqual(buildEbsSnapshotClass("fast", { storageClassName: "pg", snapshots: { deletionPolicy: "Delete" } })?.metadata.name, "pg-snapshots");
    });

    it("builds the KMS key with rotation and a 30-day deletion window", () => {
        assert.deepStrictEqual(buildEbsKmsKeyArgs("fast", { createKmsKey: true }), {
            deletionWindowInDays: 30,
            description: "Encrypts EBS volumes of StorageClass fast",
            enableKeyRotation: true,
        });
        assert.deepStrictEqual(buildEbsKmsKeyArgs("fast", { createKmsKey: { description: "pg", deletionWindowInDays: 7 } }), {
            deletionWindowInDays: 7,
            description: "pg",
            enableKeyRotation: true,
        });
        assert.strictEqual(buildEbsKmsKeyArgs("fast", {}), undefined);
    });
});
