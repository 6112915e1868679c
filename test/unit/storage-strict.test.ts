import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EbsStorageClass } from "../../components/storage/ebs-storage-class";
import { EfsStorageClass } from "../../components/storage/efs-storage-class";
import { expectInvalid, recorder, render, settle } from "../support/pulumi";
import { deepObject, sparse } from "../support/hostile";

const FS = { allowedCidrBlocks: ["10.0.0.0/16"], subnetIds: ["subnet-0123456789abcdef0"], vpcId: "vpc-0123456789abcdef0" };
const DEFERRED = "must be a plain value known at construction, not an Output or a Promise";
const DEFERRED_ARGS = "must be a plain object known at construction, not an Output or a Promise: create the component inside apply() when its arguments are computed";
const HOLE = "must not be a hole: the list is sparse (an element was skipped or deleted)";

interface StrictCase {
    readonly title: string;
    readonly build: () => unknown;
    readonly message: string;
}

const ebs = (lines: string[]) => [`EbsStorageClass "fast" has ${lines.length} invalid argument${lines.length === 1 ? "" : "s"}:`, ...lines.map((l) => `  - ${l}`)].join("\n");
const efs = (lines: string[]) => [`EfsStorageClass "shared" has ${lines.length} invalid argument${lines.length === 1 ? "" : "s"}:`, ...lines.map((l) => `  - ${l}`)].join("\n");

export const STORAGE_STRICT_CASES: readonly StrictCase[] = [
    { title: "EBS arguments as an Output", build: () => new EbsStorageClass("fast", pulumi.output({}) as never), message: ebs([`args: ${DEFERRED_ARGS} (got an Output)`]) },
    { title: "EBS arguments that are a string", build: () => new EbsStorageClass("fast", "gp3" as never), message: ebs(['args: must be an object of EbsStorageClass arguments (got "gp3")']) },
    { title: "EBS misspelt volumeType", build: () => new EbsStorageClass("fast", { volumetype: "gp3" } as never), message: ebs(['volumetype: is not a known field; did you mean "volumeType"? (got "gp3")']) },
    { title: "EBS volumeType as an Output", build: () => new EbsStorageClass("fast", { volumeType: pulumi.output("gp3") } as never), message: ebs([`volumeType: ${DEFERRED} (got an Output)`]) },
    { title: "EBS a hole in zones", build: () => new EbsStorageClass("fast", { zones: sparse("x", "us-east-1a") as string[] }), message: ebs([`zones[0]: ${HOLE} (got undefined)`]) },
    { title: "EBS a null zone", build: () => new EbsStorageClass("fast", { zones: [null as never] }), message: ebs(["zones[0]: must not be null or undefined (got null)"]) },
    { title: "EBS createKmsKey as an Output", build: () => new EbsStorageClass("fast", { createKmsKey: pulumi.output(true) as never }), message: ebs(["createKmsKey: must be true, false or { description?, deletionWindowInDays? } (got an Output)"]) },
    { title: "EBS deletion window as a string", build: () => new EbsStorageClass("fast", { createKmsKey: { deletionWindowInDays: "7" as never } }), message: ebs(['createKmsKey.deletionWindowInDays: must be an integer from 7 to 30 days (got "7")']) },
    { title: "EBS deleteWithStack as a string", build: () => new EbsStorageClass("fast", { createKmsKey: true, deleteWithStack: "yes" as never }), message: ebs(['deleteWithStack: must be true or false (got "yes")']) },
    { title: "EBS misspelt snapshot class name", build: () => new EbsStorageClass("fast", { snapshots: { nmae: "x" } as never }), message: ebs(['snapshots.nmae: is not a known field; did you mean "name"? (got "x")']) },
    { title: "EBS null iops", build: () => new EbsStorageClass("fast", { iops: null as never }), message: ebs(["iops: must be an integer from 3000 to 80000 for gp3 volumes (got null)"]) },
    { title: "EBS storageClassName as an Output", build: () => new EbsStorageClass("fast", { storageClassName: pulumi.output("fast") as never }), message: ebs([`storageClassName: ${DEFERRED} (got an Output)`]) },
    {
        title: "EBS a 5,000-deep tag value",
        build: () => new EbsStorageClass("fast", { tags: deepObject(5000) as never }),
        message: ebs(['tags["a"]: must be a string of at most 256 characters (got {"a":{"a":{"a":{"a":{…}}}}})']),
    },
    {
        title: "EBS a component name that is not a string",
        build: () => new EbsStorageClass(5 as never, { storageClassName: "fast" }),
        message: 'EbsStorageClass "5" has 1 invalid argument:\n  - name: must be a non-empty string: the Pulumi resource name that the children\'s names derive from (got 5)',
    },
    { title: "EFS arguments as an Output", build: () => new EfsStorageClass("shared", pulumi.output({}) as never), message: efs([`args: ${DEFERRED_ARGS} (got an Output)`]) },
    { title: "EFS no arguments", build: () => new EfsStorageClass("shared", undefined as never), message: efs(["args: must be an object of EfsStorageClass arguments with fileSystemId or fileSystem (got undefined)"]) },
    {
        title: "EFS misspelt fileSystem",
        build: () => new EfsStorageClass("shared", { fileSyste: FS } as never),
        message: efs([
            'fileSyste: is not a known field; did you mean "fileSystem"? (got {"allowedCidrBlocks":["10.0.0.0/16"],"subnetIds":["subnet-0123456789abcdef0"],"vpcId":"vpc-0123456789abcdef0"})',
            "fileSystemId: is required unless fileSystem is given: set exactly one of fileSystemId or fileSystem (got undefined)",
        ]),
    },
    { title: "EFS fileSystem as an Output", build: () => new EfsStorageClass("shared", { fileSystem: pulumi.output(FS) as never }), message: efs(["fileSystem: must be an object with vpcId, subnetIds and allowed sources (got an Output)"]) },
    { title: "EFS a null CIDR block", build: () => new EfsStorageClass("shared", { fileSystem: { ...FS, allowedCidrBlocks: [null as never] } }), message: efs(["fileSystem.allowedCidrBlocks[0]: must not be null or undefined (got null)"]) },
    { title: "EFS a CIDR block as an Output", build: () => new EfsStorageClass("shared", { fileSystem: { ...FS, allowedCidrBlocks: [pulumi.output("10.0.0.0/8") as never] } }), message: efs([`fileSystem.allowedCidrBlocks[0]: ${DEFERRED} (got an Output)`]) },
    {
        title: "EFS a hole in subnetIds",
        build: () => new EfsStorageClass("shared", { fileSystem: { ...FS, subnetIds: sparse("x", "subnet-0123456789abcdef1") as string[] } }),
        message: efs([`fileSystem.subnetIds[0]: ${HOLE} (got undefined)`]),
    },
    {
        title: "EFS two halves of IPv4 opening NFS to everyone",
        build: () => new EfsStorageClass("shared", { fileSystem: { ...FS, allowedCidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] } }),
        message: efs([
            'fileSystem.allowedCidrBlocks: must not together cover every IPv4 address, which opens NFS to the whole internet: name the cluster\'s subnets or security groups instead (got ["0.0.0.0/1","128.0.0.0/1"])',
        ]),
    },
    { title: "EFS uid as a string", build: () => new EfsStorageClass("shared", { fileSystemId: "fs-0123456789abcdef0", uid: "1000" as never }), message: efs(['uid: must be an integer from 0 to 4294967295 (got "1000")']) },
    { title: "EFS backups as a string", build: () => new EfsStorageClass("shared", { fileSystem: { ...FS, backups: "yes" as never } }), message: efs(['fileSystem.backups: must be true or false (got "yes")']) },
    {
        title: "EFS a performance mode in the wrong case",
        build: () => new EfsStorageClass("shared", { fileSystem: { ...FS, performanceMode: "MaxIO" as never } }),
        message: efs(['fileSystem.performanceMode: must be one of "generalPurpose", "maxIO"; did you mean "maxIO"? (got "MaxIO")']),
    },
    { title: "EFS deleteWithStack as a number", build: () => new EfsStorageClass("shared", { deleteWithStack: 1 as never, fileSystemId: "fs-0123456789abcdef0" }), message: efs(["deleteWithStack: must be true or false (got 1)"]) },
    {
        title: "EFS a getter that throws",
        build: () =>
            new EfsStorageClass(
                "shared",
                Object.defineProperty({}, "fileSystemId", {
                    enumerable: true,
                    get() {
                        throw new Error("boom");
                    },
                }),
            ),
        message: efs([
            "fileSystemId: could not be read (a getter threw) (got undefined)",
            "fileSystemId: is required unless fileSystem is given: set exactly one of fileSystemId or fileSystem (got undefined)",
        ]),
    },
];

describe("storage classes: strict validation", () => {
    before(async () => {
        await recorder();
    });

    for (const c of STORAGE_STRICT_CASES) {
        it(`refuses ${c.title}, exactly, registering nothing`, async () => {
            const rec = await recorder();
            rec.reset();
            const { message, paths } = expectInvalid(c.build);
            await settle();
            assert.strictEqual(message, c.message);
            assert.ok(paths.every((p) => p.length > 0));
            assert.deepStrictEqual(rec.resources, []);
        });
    }

    it("validates and renders one reading of each argument: a getter cannot answer the render differently", async () => {
        let reads = 0;
        const args = Object.defineProperty({}, "volumeType", {
            enumerable: true,
            get() {
                reads++;
                return reads === 1 ? "gp3" : "io2";
            },
        });
        const rec = await render(() => new EbsStorageClass("fast", args));
        assert.strictEqual(rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "fast").inputs.parameters.type, "gp3");
        assert.strictEqual(reads, 1);
    });
});
