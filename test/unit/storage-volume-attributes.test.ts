import * as assert from "assert";
import * as crypto from "crypto";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import {
    buildEbsVolumeAttributesClass,
    ebsVolumeAttributesClassName,
    ebsVolumeAttributesParameters,
    MAX_VOLUME_ATTRIBUTES_PREFIX,
    validateEbsVolumeAttributesArgs,
} from "../../components/storage/ebs-volume-attributes-class";
import { EBS_LIMITS } from "../../components/storage/ebs-limits";
import { isDns1123Subdomain } from "../../components/common/kubernetes";
import { formatProblems } from "../../components/common/validation";
import { validateKubernetesObject } from "../../tools/engine/schema";

const LABELS = { "app.kubernetes.io/managed-by": "stateful-stacks" };

/** The message the component throws for `args`, or "" when they are valid. */
function message(name: string, args: unknown): string {
    const problems = validateEbsVolumeAttributesArgs(name, args as never);
    return problems.length === 0 ? "" : formatProblems({ kind: "EbsVolumeAttributesClass", name }, problems);
}

const one = (line: string) => `EbsVolumeAttributesClass "fast" has 1 invalid argument:\n  - ${line}`;

describe("EbsVolumeAttributesClass: render", () => {
    it("defaults to gp3 and names the class <component>-gp3", () => {
        assert.deepStrictEqual(buildEbsVolumeAttributesClass("fast", {}), {
            apiVersion: "storage.k8s.io/v1",
            driverName: "ebs.csi.aws.com",
            kind: "VolumeAttributesClass",
            metadata: { labels: LABELS, name: "fast-gp3" },
            parameters: { type: "gp3" },
        });
    });

    it("renders IOPS and throughput as strings under the driver's keys and names the class from them", () => {
        assert.deepStrictEqual(buildEbsVolumeAttributesClass("pg", { iops: 6000, namePrefix: "postgres-fast", throughputMibps: 250 }), {
            apiVersion: "storage.k8s.io/v1",
            driverName: "ebs.csi.aws.com",
            kind: "VolumeAttributesClass",
            metadata: { labels: LABELS, name: "postgres-fast-gp3-6000iops-250mibps" },
            parameters: { iops: "6000", throughput: "250", type: "gp3" },
        });
    });

    it("renders tags as tagSpecification_N sorted by key, and names them by a hash of what is rendered", () => {
        const tags = { team: "db", cost: "42" };
        const parameters = { iops: "16000", tagSpecification_1: "cost=42", tagSpecification_2: "team=db", type: "io2" };
        const digest = crypto.createHash("sha256").update('{"tagSpecification_1":"cost=42","tagSpecification_2":"team=db"}').digest("hex").slice(0, 8);
        assert.deepStrictEqual(ebsVolumeAttributesParameters({ iops: 16000, tags, volumeType: "io2" }), parameters);
        assert.strictEqual(ebsVolumeAttributesClassName("pg", { iops: 16000, tags, volumeType: "io2" }), `pg-io2-16000iops-tags-${digest}`);
        assert.deepStrictEqual(Object.keys(ebsVolumeAttributesParameters({ iops: 16000, tags, volumeType: "io2" })), Object.keys(parameters));
    });

    it("gp2 → gp3 is a class with only the type: volumes keep their size and get the gp3 baseline", () => {
        assert.deepStrictEqual(ebsVolumeAttributesParameters({ volumeType: "gp3" }), { type: "gp3" });
        assert.deepStrictEqual(ebsVolumeAttributesParameters({ volumeType: "st1" }), { type: "st1" });
    });

    it("equal parameters give equal names, in any key order; a different value or tag gives a different name", () => {
        const a = ebsVolumeAttributesClassName("c", { iops: 4000, tags: { a: "1", b: "2" }, throughputMibps: 500 });
        assert.strictEqual(ebsVolumeAttributesClassName("c", { throughputMibps: 500, tags: { b: "2", a: "1" }, iops: 4000 }), a);
        assert.notStrictEqual(ebsVolumeAttributesClassName("c", { iops: 4000, tags: { a: "1", b: "3" }, throughputMibps: 500 }), a);
        assert.notStrictEqual(ebsVolumeAttributesClassName("c", { iops: 4001, tags: { a: "1", b: "2" }, throughputMibps: 500 }), a);
    });

    it("the longest valid prefix with the longest parameters still makes a valid object name", () => {
        const prefix = `${"a".repeat(MAX_VOLUME_ATTRIBUTES_PREFIX - 1)}b`;
        for (const args of [
            { iops: 80000, namePrefix: prefix, tags: { k: "v" }, throughputMibps: 2000 },
            { iops: 256000, namePrefix: prefix, tags: { k: "v" }, volumeType: "io2" as const },
        ]) {
            assert.strictEqual(message("fast", args), "");
            const name = ebsVolumeAttributesClassName("fast", args);
            assert.ok(name.length <= 253 && isDns1123Subdomain(name), `${name.length}: ${name}`);
        }
        assert.strictEqual(MAX_VOLUME_ATTRIBUTES_PREFIX, 215);
    });

    it("every valid argument set renders a schema-valid object whose name is a DNS-1123 subdomain", () => {
        const gp3 = fc.record(
            {
                iops: fc.integer({ min: EBS_LIMITS.gp3.iops!.min, max: EBS_LIMITS.gp3.iops!.max }),
                namePrefix: fc.constantFrom("fast", "pg.fast", "a-b-c"),
                tags: fc.dictionary(fc.constantFrom("team", "cost", "env"), fc.string({ maxLength: 20 })),
            },
            { requiredKeys: [] },
        );
        fc.assert(
            fc.property(gp3, fc.integer({ min: 125, max: 2000 }), (args, throughput) => {
                const full = { ...args, throughputMibps: Math.min(throughput, Math.floor((args.iops ?? 3000) / 4)) };
                assert.strictEqual(message("fast", full), "");
                const object = buildEbsVolumeAttributesClass("fast", full);
                assert.deepStrictEqual(validateKubernetesObject({ ...object }), []);
                assert.ok(isDns1123Subdomain(object.metadata.name));
                assert.ok(Object.values(object.parameters).every((v) => typeof v === "string"));
            }),
            { numRuns: 200, seed: 1034 },
        );
    });
});

describe("EbsVolumeAttributesClass: validation (the StorageClass's EBS limits, one wording)", () => {
    const cases: [string, unknown, string][] = [
        ["IOPS above the gp3 range", { iops: 90000 }, one("iops: must be an integer from 3000 to 80000 for gp3 volumes (got 90000)")],
        ["IOPS below the io1 range", { iops: 50, volumeType: "io1" }, one("iops: must be an integer from 100 to 64000 for io1 volumes (got 50)")],
        ["io2 without IOPS", { volumeType: "io2" }, one("iops: is required for io2 volumes: set iops (got undefined)")],
        ["IOPS for gp2", { iops: 3000, volumeType: "gp2" }, one("iops: must not be set for gp2 volumes: only gp3, io1, io2 take provisioned IOPS (got 3000)")],
        ["throughput for io1", { iops: 1000, throughputMibps: 200, volumeType: "io1" }, one("throughputMibps: must not be set for io1 volumes: only gp3 takes a throughput (got 200)")],
        ["throughput above a quarter of the IOPS", { iops: 3000, throughputMibps: 1000 }, one("throughputMibps: must be at most a quarter of the IOPS: 750 MiB/s for iops 3000 (got 1000)")],
        [
            "throughput above a quarter of the baseline",
            { throughputMibps: 1000 },
            one("throughputMibps: must be at most a quarter of the IOPS: 750 MiB/s for the gp3 baseline of 3000 IOPS, as iops is not set (got 1000)"),
        ],
        [
            "IOPS as an Output",
            { iops: pulumi.output(3000) },
            one("iops: must be a plain value known at construction, not an Output or a Promise: a VolumeAttributesClass is immutable and its name is derived from its parameters (got an Output)"),
        ],
        [
            "throughput as a Promise",
            { throughputMibps: Promise.resolve(250) },
            one("throughputMibps: must be a plain value known at construction, not an Output or a Promise: a VolumeAttributesClass is immutable and its name is derived from its parameters (got a Promise)"),
        ],
        ["a misspelt key", { iop: 3000 }, one('iop: is not a known field; did you mean "iops"? (got 3000)')],
        ["a StorageClass-only key", { iopsPerGb: 10 }, one("iopsPerGb: is not a known field (known: iops, namePrefix, tags, throughputMibps, volumeType) (got 10)")],
        ["an unknown type", { volumeType: "gp4" }, one('volumeType: must be one of "gp3", "gp2", "io1", "io2", "st1", "sc1" (got "gp4")')],
        ["a tag key of AWS's", { tags: { "aws:x": "y" } }, one('tags["aws:x"]: must have a key of 1 to 128 characters that contains no "=" and does not start with "aws:" (got "aws:x")')],
        [
            "a prefix that is no object name",
            { namePrefix: "Fast_Class" },
            one(
                "namePrefix: must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit (got \"Fast_Class\")",
            ),
        ],
        ["arguments that are no object", 5, one("args: must be an object of EbsVolumeAttributesClass arguments (got 5)")],
    ];
    for (const [what, args, expected] of cases) {
        it(`refuses ${what}`, () => {
            assert.strictEqual(message("fast", args), expected);
        });
    }

    it("refuses a prefix too long for the derived part, and a component name that cannot be the default prefix", () => {
        assert.strictEqual(
            message("fast", { namePrefix: "a".repeat(216) }),
            one(`namePrefix: must be at most 215 characters, leaving room for the part of the name derived from the parameters (got "${"a".repeat(116)}...)`),
        );
        assert.strictEqual(
            message("My_Class", {}),
            'EbsVolumeAttributesClass "My_Class" has 1 invalid argument:\n  - namePrefix: must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, \'-\' and \'.\', each part starting and ending with a letter or digit; it defaults to the component name "My_Class", which is not one, so set namePrefix explicitly (got undefined)',
        );
        assert.strictEqual(message("My_Class", { namePrefix: "my-class" }), "");
    });

    it("lists every problem at once", () => {
        assert.strictEqual(
            message("fast", { iops: "6000", namePrefix: "-x", tags: { "a=b": 1 }, throughputMibps: 2.5 }),
            [
                'EbsVolumeAttributesClass "fast" has 5 invalid arguments:',
                '  - iops: must be an integer from 3000 to 80000 for gp3 volumes (got "6000")',
                "  - throughputMibps: must be an integer from 125 to 2000 MiB/s (got 2.5)",
                '  - tags["a=b"]: must have a key of 1 to 128 characters that contains no "=" and does not start with "aws:" (got "a=b")',
                '  - tags["a=b"]: must be a string of at most 256 characters (got 1)',
                "  - namePrefix: must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit (got \"-x\")",
            ].join("\n"),
        );
    });

    it("accepts every valid combination the StorageClass accepts for the same type", () => {
        for (const args of [{}, { iops: 3000 }, { iops: 80000, throughputMibps: 2000 }, { iops: 100, volumeType: "io1" }, { iops: 256000, volumeType: "io2" }, { volumeType: "gp2" }, { volumeType: "sc1" }]) {
            assert.strictEqual(message("fast", args), "", JSON.stringify(args));
        }
    });
});
