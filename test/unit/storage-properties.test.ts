import * as assert from "assert";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { Problem } from "../../components/common/validation";
import { EBS_LIMITS, EBS_VOLUME_TYPES, EbsVolumeType } from "../../components/storage/ebs-limits";
import { buildEbsSnapshotClass, buildEbsStorageClass, EbsStorageClass, EbsStorageClassArgs, validateEbsArgs } from "../../components/storage/ebs-storage-class";
import { buildEfsStorageClass, EfsStorageClass, EfsStorageClassArgs, validateEfsArgs } from "../../components/storage/efs-storage-class";
import { validateKubernetesObject } from "../../tools/engine/schema";
import { assertSchemaValid, expectInvalid, recorder, render } from "../support/pulumi";

/**
 * Property tests: over generated arguments (valid and invalid mixed), every accepted
 * input renders schema-valid objects with string-only parameters, and every refused
 * input is refused by the constructor with property paths that name an argument.
 */

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

/** Drops undefined fields, as a user writing an object literal would. */
function compact<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const names = fc.constantFrom("fast", "pg-io2", "bulk.cold", "Bad_Name", "x".repeat(250));

const mixedEbsArgs: fc.Arbitrary<EbsStorageClassArgs> = fc
    .record({
        volumeType: maybe(fc.constantFrom<any>(...EBS_VOLUME_TYPES, "gp4")),
        iops: maybe(fc.oneof(fc.integer({ min: 0, max: 300000 }), fc.constantFrom(3000, 16000, 64000))),
        iopsPerGb: maybe(fc.integer({ min: 0, max: 1200 })),
        allowAutoIopsPerGbIncrease: maybe(fc.boolean()),
        throughputMibps: maybe(fc.integer({ min: 100, max: 2500 })),
        fsType: maybe(fc.constantFrom<any>("ext4", "xfs", "btrfs")),
        encrypted: maybe(fc.boolean()),
        kmsKeyArn: maybe(fc.constantFrom(KEY_ARN, "alias/ebs")),
        createKmsKey: maybe(fc.oneof(fc.boolean(), fc.record({ deletionWindowInDays: fc.integer({ min: 1, max: 40 }) }))),
        reclaimPolicy: maybe(fc.constantFrom<any>("Retain", "Delete", "Recycle")),
        volumeBindingMode: maybe(fc.constantFrom<any>("WaitForFirstConsumer", "Immediate")),
        zones: maybe(fc.uniqueArray(fc.constantFrom("us-east-1a", "us-east-1b", "eu-west-2c", "us-east-1"), { maxLength: 3 })),
        tags: maybe(fc.dictionary(fc.constantFrom("team", "env", "aws:x", "a=b", "app"), fc.string({ maxLength: 8 }), { maxKeys: 3 })),
        isDefault: maybe(fc.boolean()),
        storageClassName: maybe(names),
        snapshots: maybe(fc.oneof(fc.boolean(), fc.record({ deletionPolicy: fc.constantFrom<any>("Retain", "Delete", "Keep") }))),
    })
    .map(compact);

const subnets = fc.uniqueArray(fc.constantFrom("subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-XY"), { maxLength: 3 });
const mixedEfsArgs: fc.Arbitrary<EfsStorageClassArgs> = fc
    .record({
        fileSystemId: maybe(fc.constantFrom("fs-0123456789abcdef0", "fs-bad")),
        fileSystem: maybe(
            fc
                .record({
                    vpcId: fc.constantFrom("vpc-0123456789abcdef0", "vpc-1"),
                    subnetIds: subnets,
                    allowedCidrBlocks: maybe(fc.uniqueArray(fc.constantFrom("10.0.0.0/16", "10.0.0.5/16", "0.0.0.0/0", "2001:db8::/56", "::/0"), { maxLength: 2 })),
                    allowedSecurityGroupIds: maybe(fc.uniqueArray(fc.constantFrom("sg-0123456789abcdef0", "sg-nodes"), { maxLength: 2 })),
                    performanceMode: maybe(fc.constantFrom<any>("generalPurpose", "maxIO")),
                    throughputMode: maybe(fc.constantFrom<any>("elastic", "bursting", "provisioned")),
                    provisionedThroughputMibps: maybe(fc.integer({ min: 0, max: 1024 })),
                    encrypted: maybe(fc.boolean()),
                    transitionToIa: maybe(fc.constantFrom<any>("AFTER_30_DAYS", "AFTER_7_DAYS", "30_DAYS")),
                    transitionToArchive: maybe(fc.constantFrom<any>("AFTER_90_DAYS")),
                    backups: maybe(fc.boolean()),
                })
                .map(compact),
        ),
        directoryPerms: maybe(fc.constantFrom("700", "0750", "778", "7")),
        uid: maybe(fc.integer({ min: -2, max: 70000 })),
        gid: maybe(fc.integer({ min: -2, max: 70000 })),
        gidRangeStart: maybe(fc.integer({ min: 0, max: 5000 })),
        gidRangeEnd: maybe(fc.integer({ min: 0, max: 9000 })),
        basePath: maybe(fc.constantFrom("/dynamic", "/a/b", "relative", "/a/../b", "/")),
        subPathPattern: maybe(fc.constantFrom("${.PVC.namespace}/${.PVC.name}", "${.PV.name}", "${.PVC.uid}")),
        ensureUniqueDirectory: maybe(fc.boolean()),
        reuseAccessPoint: maybe(fc.boolean()),
        reclaimPolicy: maybe(fc.constantFrom<any>("Retain", "Delete", "Recycle")),
        storageClassName: maybe(names),
    })
    .map(compact);

/** Performance settings that the EBS limits table accepts for a volume type. */
function validPerformance(type: EbsVolumeType): fc.Arbitrary<Partial<EbsStorageClassArgs>> {
    const limits = EBS_LIMITS[type];
    if (!limits.iops) {
        return fc.constant({});
    }
    const iops = fc.integer({ min: limits.iops.min, max: limits.iops.max }).map((n) => ({ iops: n }));
    const perGb = fc.record({ iopsPerGb: fc.integer({ min: 1, max: limits.maxIopsPerGib! }), allowAutoIopsPerGbIncrease: maybe(fc.boolean()) }).map(compact);
    const choice = limits.iopsRequired ? fc.oneof(iops, perGb) : fc.oneof(fc.constant({}), iops, perGb);
    if (!limits.throughputMibps) {
        return choice;
    }
    return choice.chain((perf: Partial<EbsStorageClassArgs>) => {
        const ceiling = "iopsPerGb" in perf ? limits.throughputMibps!.max : Math.min(limits.throughputMibps!.max, Math.floor(((perf.iops as number) ?? limits.iops!.min) / 4));
        return maybe(fc.integer({ min: limits.throughputMibps!.min, max: ceiling })).map((t) => compact({ ...perf, throughputMibps: t }));
    });
}

const validNames = fc.constantFrom("fast", "pg-io2", "bulk.cold");
const validEbsArgs: fc.Arbitrary<EbsStorageClassArgs> = fc.constantFrom(...EBS_VOLUME_TYPES).chain((volumeType) =>
    fc
        .record({
            performance: validPerformance(volumeType),
            fsType: maybe(fc.constantFrom<"ext4" | "xfs">("ext4", "xfs")),
            key: fc.constantFrom<Partial<EbsStorageClassArgs>>({}, { kmsKeyArn: KEY_ARN }, { createKmsKey: true }, { createKmsKey: { deletionWindowInDays: 7 } }, { encrypted: false }),
            reclaimPolicy: maybe(fc.constantFrom<"Retain" | "Delete">("Retain", "Delete")),
            zones: maybe(fc.uniqueArray(fc.constantFrom("us-east-1a", "us-east-1b", "us-west-2-lax-1a"), { minLength: 1, maxLength: 3 })),
            tags: maybe(fc.dictionary(fc.constantFrom("team", "env", "app"), fc.string({ maxLength: 12 }), { maxKeys: 3 })),
            isDefault: maybe(fc.boolean()),
            storageClassName: maybe(validNames),
            snapshots: maybe(fc.oneof(fc.boolean(), fc.record({ deletionPolicy: fc.constantFrom<"Retain" | "Delete">("Retain", "Delete") }))),
        })
        .map(({ performance, key, ...rest }) => compact({ volumeType, ...performance, ...key, ...rest })),
);

const validEfsArgs: fc.Arbitrary<EfsStorageClassArgs> = fc
    .record({
        source: fc.oneof(
            fc.constant({ fileSystemId: "fs-0123456789abcdef0" }),
            fc
                .record({
                    vpcId: fc.constant("vpc-0123456789abcdef0"),
                    subnetIds: fc.uniqueArray(fc.constantFrom("subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"), { minLength: 1, maxLength: 3 }),
                    allowedCidrBlocks: fc.uniqueArray(fc.constantFrom("10.0.0.0/16", "192.168.0.0/24", "2001:db8::/56"), { minLength: 1, maxLength: 3 }),
                    modes: fc.constantFrom<object>(
                        {},
                        { throughputMode: "bursting", performanceMode: "maxIO" },
                        { throughputMode: "provisioned", provisionedThroughputMibps: 128 },
                        { transitionToIa: "AFTER_30_DAYS", transitionToArchive: "AFTER_90_DAYS" },
                    ),
                    backups: maybe(fc.boolean()),
                })
                .map(({ modes, ...fs }) => ({ fileSystem: compact({ ...fs, ...modes }) as any })),
        ),
        directoryPerms: maybe(fc.constantFrom("700", "0750", "755")),
        uid: maybe(fc.integer({ min: 0, max: 70000 })),
        range: fc.oneof(fc.constant({}), fc.integer({ min: 1, max: 60000 }).map((start) => ({ gidRangeStart: start, gidRangeEnd: start + 1000 }))),
        basePath: maybe(fc.constantFrom("/dynamic", "/a/b", "/")),
        subPathPattern: maybe(fc.constantFrom("${.PVC.namespace}/${.PVC.name}", "${.PV.name}")),
        ensureUniqueDirectory: maybe(fc.boolean()),
        reclaimPolicy: maybe(fc.constantFrom<"Retain" | "Delete">("Retain", "Delete")),
        storageClassName: maybe(validNames),
    })
    .map(({ source, range, ...rest }) => compact({ ...source, ...range, ...rest }) as EfsStorageClassArgs);

const ebsArgs = fc.oneof(validEbsArgs, mixedEbsArgs);
const efsArgs = fc.oneof(validEfsArgs, mixedEfsArgs);

const EBS_ROOTS = new Set(["volumeType", "iops", "iopsPerGb", "allowAutoIopsPerGbIncrease", "throughputMibps", "fsType", "encrypted", "kmsKeyArn", "createKmsKey", "reclaimPolicy", "allowVolumeExpansion", "volumeBindingMode", "zones", "tags", "isDefault", "storageClassName", "snapshots"]);
const EFS_ROOTS = new Set(["fileSystemId", "fileSystem", "directoryPerms", "uid", "gid", "gidRangeStart", "gidRangeEnd", "basePath", "subPathPattern", "ensureUniqueDirectory", "reuseAccessPoint", "reclaimPolicy", "volumeBindingMode", "isDefault", "storageClassName"]);

/** The argument a property path starts with: `tags["a"]` → `tags`, `fileSystem.vpcId` → `fileSystem`. */
const root = (path: string) => path.split(/[.[]/)[0];

function assertStringParameters(parameters: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(parameters)) {
        assert.strictEqual(typeof value, "string", `parameter ${key} must be a string`);
    }
}

/** The component refuses with exactly the paths validation found, each naming one of its arguments (`roots`). */
function assertRefusedAt(construct: () => unknown, problems: readonly Problem[], roots: ReadonlySet<string>): void {
    const { paths } = expectInvalid(construct);
    assert.deepStrictEqual(paths, problems.map((p) => p.path));
    for (const path of paths) {
        assert.ok(roots.has(root(path)), `${path} names an argument`);
    }
}

describe("storage property tests", () => {
    before(async () => {
        await recorder();
    });

    it("EBS: accepted arguments render schema-valid objects; refused ones name an argument", () => {
        let accepted = 0;
        fc.assert(
            fc.property(names, ebsArgs, (name, args) => {
                const problems = validateEbsArgs(name, args);
                if (problems.length === 0) {
                    accepted++;
                    const object = buildEbsStorageClass(name, args, args.createKmsKey ? KEY_ARN : undefined);
                    assert.deepStrictEqual(validateKubernetesObject(object as any), []);
                    assertStringParameters(object.parameters);
                    const snapshots = buildEbsSnapshotClass(name, args);
                    if (snapshots) {
                        assert.deepStrictEqual(validateKubernetesObject(snapshots as any), []);
                    }
                    return;
                }
                assertRefusedAt(() => new EbsStorageClass(name, args), problems, EBS_ROOTS);
            }),
            { numRuns: 400, seed: 4242 },
        );
        assert.ok(accepted > 20, `only ${accepted} accepted inputs were generated`);
    });

    it("EFS: accepted arguments render schema-valid objects; refused ones name an argument", () => {
        let accepted = 0;
        fc.assert(
            fc.property(names, efsArgs, (name, args) => {
                const problems = validateEfsArgs(name, args);
                if (problems.length === 0) {
                    accepted++;
                    const object = buildEfsStorageClass(name, args, "fs-0123456789abcdef0");
                    assert.deepStrictEqual(validateKubernetesObject(object as any), []);
                    assertStringParameters(object.parameters);
                    return;
                }
                assertRefusedAt(() => new EfsStorageClass(name, args), problems, EFS_ROOTS);
            }),
            { numRuns: 400, seed: 2049 },
        );
        assert.ok(accepted > 10, `only ${accepted} accepted inputs were generated`);
    });

    it("EBS and EFS: accepted arguments register schema-valid objects through the engine", async () => {
        let rendered = 0;
        await fc.assert(
            fc.asyncProperty(ebsArgs, efsArgs, async (ebs, efs) => {
                const ebsOk = validateEbsArgs("prop-ebs", ebs).length === 0;
                const efsOk = validateEfsArgs("prop-efs", efs).length === 0;
                if (!ebsOk && !efsOk) {
                    return;
                }
                rendered++;
                const rec = await render(() => {
                    if (ebsOk) {
                        new EbsStorageClass("prop-ebs", ebs);
                    }
                    if (efsOk) {
                        new EfsStorageClass("prop-efs", efs);
                    }
                });
                assertSchemaValid(rec);
                for (const sc of rec.ofType("kubernetes:storage.k8s.io/v1:StorageClass")) {
                    assertStringParameters(sc.inputs.parameters);
                }
            }),
            { numRuns: 30, seed: 7 },
        );
        assert.ok(rendered > 5, `only ${rendered} inputs were rendered`);
    });

    it("inputs built from the documented rules are always accepted", () => {
        fc.assert(
            fc.property(validNames, validEbsArgs, validEfsArgs, (name, ebs, efs) => {
                assert.deepStrictEqual(validateEbsArgs(name, ebs), []);
                assert.deepStrictEqual(validateEfsArgs(name, efs), []);
            }),
            { numRuns: 300, seed: 11 },
        );
    });

    it("Outputs are never checked at construction, only passed through", () => {
        fc.assert(
            fc.property(fc.integer(), (n) => {
                assert.deepStrictEqual(validateEbsArgs("fast", { iops: pulumi.output(n), throughputMibps: pulumi.output(n) }), []);
            }),
            { numRuns: 20 },
        );
    });
});
