import * as assert from "assert";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { EbsStorageClass } from "../../components/storage/ebs-storage-class";
import { EfsStorageClass } from "../../components/storage/efs-storage-class";
import { assertSchemaValid, recorder, render, settle } from "../support/pulumi";
import { deepObject, hostileRuns, hostileTally, reportHostileTally, sparse } from "../support/hostile";

/**
 * Hostile input for the storage classes: a valid argument set with one field (at any
 * level) replaced by a value a careless or hostile caller passes, a near-miss key added,
 * or the whole arguments replaced. Each input must be refused with property paths and
 * nothing registered, or register schema-valid objects with string-only parameters.
 */

const hostile: fc.Arbitrary<unknown> = fc.oneof(
    fc.constantFrom<unknown>(null, 0, -1, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY, "", " ", "3000", "constructor", "__proto__", true, false, [], {}, [null], { a: null }),
    fc.constant(null).map(() => sparse("x", "us-east-1a")),
    fc.constant(null).map(() => pulumi.output("gp3")),
    fc.constant(null).map(() => Promise.resolve(1)),
    fc.constant(null).map(() => deepObject(300)),
    fc.constantFrom("0.0.0.0/0", "::/0", "A".repeat(600), "arn:aws:kms:us-east-1:123456789012:alias/x"),
    fc.string({ maxLength: 10 }),
    fc.integer(),
);

const EBS_BASE = { createKmsKey: { deletionWindowInDays: 14 }, iops: 6000, snapshots: { deletionPolicy: "Retain" }, tags: { team: "db" }, throughputMibps: 250, volumeType: "gp3", zones: ["us-east-1a"] };
const EFS_BASE = {
    basePath: "/dynamic",
    fileSystem: { allowedCidrBlocks: ["10.0.0.0/16"], backups: true, subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], throughputMode: "elastic", vpcId: "vpc-0123456789abcdef0" },
    gid: 1000,
    uid: 1000,
};

const EBS_PATHS = [
    "volumeType", "iops", "iopsPerGb", "allowAutoIopsPerGbIncrease", "throughputMibps", "fsType", "encrypted", "kmsKeyArn", "createKmsKey", "createKmsKey.deletionWindowInDays",
    "createKmsKey.description", "reclaimPolicy", "allowVolumeExpansion", "volumeBindingMode", "zones", "tags", "tags.team", "isDefault", "storageClassName", "snapshots",
    "snapshots.deletionPolicy", "snapshots.name", "deleteWithStack", "volumetype", "snapshot",
];
const EFS_PATHS = [
    "fileSystemId", "fileSystem", "fileSystem.vpcId", "fileSystem.subnetIds", "fileSystem.allowedCidrBlocks", "fileSystem.allowedSecurityGroupIds", "fileSystem.performanceMode",
    "fileSystem.throughputMode", "fileSystem.provisionedThroughputMibps", "fileSystem.encrypted", "fileSystem.kmsKeyArn", "fileSystem.transitionToIa", "fileSystem.transitionToArchive",
    "fileSystem.backups", "fileSystem.subnetId", "directoryPerms", "uid", "gid", "gidRangeStart", "gidRangeEnd", "basePath", "subPathPattern", "ensureUniqueDirectory",
    "reuseAccessPoint", "reclaimPolicy", "volumeBindingMode", "isDefault", "storageClassName", "deleteWithStack", "fileSystm",
];

/** A deep copy of `base` with the field at `path` (dotted) set to `value`. */
function withField(base: object, path: string, value: unknown): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    const parts = path.split(".");
    let node = copy;
    for (const part of parts.slice(0, -1)) {
        if (node[part] === null || typeof node[part] !== "object") {
            node[part] = {};
        }
        node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
    return copy;
}

function inputs(base: object, paths: readonly string[]): fc.Arbitrary<unknown> {
    return fc.oneof(
        { arbitrary: fc.constant(base), weight: 1 },
        { arbitrary: fc.tuple(fc.constantFrom(...paths), hostile).map(([path, value]) => withField(base, path, value)), weight: 8 },
        { arbitrary: hostile, weight: 1 },
    );
}

async function check(build: () => unknown): Promise<"refused" | "accepted"> {
    let rec;
    try {
        rec = await render(build);
    } catch (err) {
        assert.ok(pulumi.InputPropertiesError.isInstance(err), `not a refusal: ${(err as Error)?.stack}`);
        assert.ok(err.errors.length > 0 && err.errors.every((e) => e.propertyPath.length > 0), "every problem names a property");
        await settle();
        assert.deepStrictEqual((await recorder()).resources, [], "nothing is registered on refusal");
        return "refused";
    }
    assertSchemaValid(rec);
    for (const sc of rec.ofType("kubernetes:storage.k8s.io/v1:StorageClass")) {
        for (const [key, value] of Object.entries(sc.inputs.parameters as Record<string, unknown>)) {
            assert.strictEqual(typeof value, "string", `parameter ${key} must be a string`);
        }
    }
    return "accepted";
}

/** Cases per class: bounded in the suite, more with STATEFUL_STACKS_HOSTILE_RUNS (the bench). */
const RUNS = hostileRuns(150);

describe("storage classes: hostile-input property", () => {
    before(async () => {
        await recorder();
    });

    const classes = [
        { kind: "EBS", inputs: inputs(EBS_BASE, EBS_PATHS), seed: 3000, create: (args: unknown) => new EbsStorageClass("fast", args as never) },
        { kind: "EFS", inputs: inputs(EFS_BASE, EFS_PATHS), seed: 2049, create: (args: unknown) => new EfsStorageClass("shared", args as never) },
    ];
    for (const c of classes) {
        it(`${c.kind}: every input is refused with paths and nothing registered, or renders schema-valid objects`, async () => {
            const seen = hostileTally(`${c.kind === "EBS" ? "Ebs" : "Efs"}StorageClass`, c.seed, RUNS);
            await fc.assert(
                fc.asyncProperty(c.inputs, async (args) => {
                    seen[await check(() => c.create(args))]++;
                }),
                { numRuns: RUNS, seed: c.seed },
            );
            reportHostileTally(seen);
            assert.ok(seen.refused > 50 && seen.accepted > 5, JSON.stringify(seen));
        });
    }
});
