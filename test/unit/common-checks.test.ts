import * as assert from "assert";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import {
    checkAbsolutePath,
    checkAnnotations,
    checkBoolean,
    checkDistinctList,
    checkImage,
    checkInteger,
    checkLabels,
    checkList,
    checkMountPath,
    checkObject,
    checkOneOf,
    checkPlain,
    checkRequired,
    checkString,
    checkStringRecord,
    editDistance,
    EXPECT_CHECK,
    INT32_MAX,
    isOneOf,
    snapshotArgs,
    suggestName,
} from "../../components/common/checks";
import { checkKubernetesValue } from "../../components/common/kubernetes-schema";
import { describeValue, ProblemList } from "../../components/common/validation";
import { rows, run } from "../support/problems";

describe("common checks: objects and unknown fields", () => {
    const known = ["namespace", "replicas", "spread", "volumes"];

    it("refuses typos with a did-you-mean, each at its own path", () => {
        assert.deepStrictEqual(
            run((p) => checkObject(p, "", { replica: 3, voluems: [], zoneSpred: "required", namespace: "db" }, known)),
            [
                ["replica", "3", 'is not a known field; did you mean "replicas"?'],
                ["voluems", "[]", 'is not a known field; did you mean "volumes"?'],
                ["zoneSpred", '"required"', 'is not a known field; did you mean "spread"?'],
            ],
        );
        assert.deepStrictEqual(run((p) => checkObject(p, "spread", { zone: "required" }, ["zones", "hosts"])), [
            ["spread.zone", '"required"', 'is not a known field; did you mean "zones"?'],
        ]);
    });

    it("lists the known fields when nothing is close", () => {
        assert.deepStrictEqual(run((p) => checkObject(p, "spread", { banana: 1 }, ["zones", "hosts"])), [["spread.banana", "1", "is not a known field (known: zones, hosts)"]]);
    });

    it("refuses null, lists, Outputs and Promises where an object is needed", () => {
        assert.deepStrictEqual(
            run((p) => {
                checkObject(p, "a", null, known);
                checkObject(p, "b", [1], known);
                checkObject(p, "c", pulumi.output({}), known);
                checkObject(p, "d", Promise.resolve({}), known);
                assert.strictEqual(checkObject(p, "e", undefined, known), false);
            }),
            [
                ["a", "null", EXPECT_CHECK.object],
                ["b", "[1]", EXPECT_CHECK.object],
                ["c", "an Output", EXPECT_CHECK.deferred],
                ["d", "a Promise", EXPECT_CHECK.deferred],
            ],
        );
    });

    it("never finds a prototype member in a closed set", () => {
        assert.strictEqual(isOneOf("constructor", ["redis", "memcached"]), false);
        assert.strictEqual(isOneOf("toString", ["redis"]), false);
        assert.deepStrictEqual(run((p) => checkOneOf(p, "engine", "constructor", ["redis", "memcached"])), [["engine", '"constructor"', 'must be one of "redis", "memcached"']]);
        assert.deepStrictEqual(run((p) => checkOneOf(p, "policy", "delete", ["Retain", "Delete"])), [["policy", '"delete"', 'must be one of "Retain", "Delete"; did you mean "Delete"?']]);
        assert.deepStrictEqual(run((p) => checkObject(p, "x", { constructor: 1 }, ["a"])), [["x.constructor", "1", "is not a known field (known: a)"]]);
    });

    it("measures edit distance with transpositions", () => {
        assert.deepStrictEqual([editDistance("voluems", "volumes"), editDistance("replica", "replicas"), editDistance("abc", "xyz")], [1, 1, 3]);
        assert.strictEqual(suggestName("REPLICAS", ["replicas"]), "replicas");
        assert.strictEqual(suggestName("banana", ["replicas"]), undefined);
    });
});

describe("common checks: scalars", () => {
    it("checks strings: non-empty, trimmed, bounded", () => {
        assert.deepStrictEqual(
            run((p) => {
                checkString(p, "image", "postgres:16 ", { trimmed: true });
                checkString(p, "image", "  ", { nonEmpty: true });
                checkString(p, "image", 5);
                checkString(p, "image", null);
                checkString(p, "name", "abcdef", { maxLength: 3 });
                checkString(p, "image", pulumi.output("x"));
            }),
            [
                ["image", '"postgres:16 "', EXPECT_CHECK.trimmed],
                ["image", '"  "', EXPECT_CHECK.nonEmpty],
                ["image", "5", EXPECT_CHECK.string],
                ["image", "null", EXPECT_CHECK.notNull],
                ["name", '"abcdef"', "must be at most 3 characters long"],
                ["image", "an Output", EXPECT_CHECK.deferred],
            ],
        );
        assert.deepStrictEqual(run((p) => checkImage(p, "image", "postgres:16.4 ")), [["image", '"postgres:16.4 "', EXPECT_CHECK.image]]);
        assert.deepStrictEqual(run((p) => checkImage(p, "image", pulumi.output("computed"))), []);
    });

    it("checks integers against int32 and other bounds", () => {
        assert.deepStrictEqual(
            run((p) => {
                checkInteger(p, "minReadySeconds", 2 ** 31, { min: 0, max: INT32_MAX });
                checkInteger(p, "replicas", -1, { min: 0 });
                checkInteger(p, "replicas", 1.5, { min: 0 });
                checkInteger(p, "replicas", Number.NaN, { min: 0 });
                checkInteger(p, "replicas", "3", { min: 0 });
                checkInteger(p, "replicas", 2 ** 53, { min: 0 });
                checkInteger(p, "offset", 5, { max: 3 });
                assert.strictEqual(checkInteger(p, "ok", 3, { min: 0 }), true);
            }),
            [
                ["minReadySeconds", "2147483648", "must be an integer from 0 to 2147483647"],
                ["replicas", "-1", "must be an integer ≥ 0"],
                ["replicas", "1.5", "must be an integer ≥ 0"],
                ["replicas", "NaN", "must be an integer ≥ 0"],
                ["replicas", '"3"', "must be an integer ≥ 0"],
                ["replicas", "9007199254740992", "must be an integer ≥ 0"],
                ["offset", "5", "must be an integer ≤ 3"],
            ],
        );
    });

    it("checks booleans and required values", () => {
        assert.deepStrictEqual(
            run((p) => {
                checkBoolean(p, "skipAwait", "yes");
                checkBoolean(p, "skipAwait", pulumi.output(true));
                checkRequired(p, "image", undefined, "the container image");
                checkPlain(p, "replicas", Promise.resolve(3));
            }),
            [
                ["skipAwait", '"yes"', EXPECT_CHECK.boolean],
                ["skipAwait", "an Output", EXPECT_CHECK.deferred],
                ["image", "undefined", "is required: the container image"],
                ["replicas", "a Promise", EXPECT_CHECK.deferred],
            ],
        );
    });
});

describe("common checks: lists, records, paths and labels", () => {
    it("refuses an element repeating an earlier one's key, comparing only the valid ones", () => {
        const lowerCaseName = (_path: string, item: unknown) => (typeof item === "string" && /^[a-z]+$/i.test(item) ? item.toLowerCase() : undefined);
        assert.deepStrictEqual(
            run((p) => checkDistinctList(p, "hosts", ["db", "x-1", "DB", "x-1", "cache"], "a host", lowerCaseName)),
            [["hosts[2]", '"DB"', "must not repeat a host listed before"]],
        );
    });

    it("reports holes and nulls of a list at their index", () => {
        // eslint-disable-next-line no-sparse-arrays
        const sparse = [1, , 3, null, undefined];
        const seen: string[] = [];
        assert.deepStrictEqual(
            run((p) => checkList(p, "ports", sparse, (path) => seen.push(path))),
            [
                ["ports[1]", "undefined", EXPECT_CHECK.hole],
                ["ports[3]", "null", "must not be null or undefined"],
                ["ports[4]", "undefined", "must not be null or undefined"],
            ],
        );
        assert.deepStrictEqual(seen, ["ports[0]", "ports[2]"]);
        assert.deepStrictEqual(run((p) => checkList(p, "volumes", {})), [["volumes", "{}", EXPECT_CHECK.list]]);
        assert.deepStrictEqual(run((p) => checkList(p, "ports", [], undefined, { minLength: 1 })), [["ports", "[]", "must not be empty"]]);
        assert.deepStrictEqual(run((p) => checkList(p, "args", pulumi.output([]))), [["args", "an Output", EXPECT_CHECK.deferred]]);
    });

    it("checks records of strings", () => {
        assert.deepStrictEqual(run((p) => checkStringRecord(p, "tags", { b: 1, a: "x", c: undefined })), [
            ["tags.b", "1", EXPECT_CHECK.string],
            ["tags.c", "undefined", EXPECT_CHECK.string],
        ]);
        assert.deepStrictEqual(run((p) => checkStringRecord(p, "tags", "x")), [["tags", '"x"', "must be an object mapping names to values"]]);
    });

    it("checks absolute and mount paths", () => {
        assert.deepStrictEqual(
            run((p) => {
                for (const path of ["/data", "/data/", "/var/lib/postgresql/data"]) {
                    assert.strictEqual(checkMountPath(p, "ok", path), true, path);
                }
                checkAbsolutePath(p, "a", "data");
                checkAbsolutePath(p, "b", "/");
                checkAbsolutePath(p, "c", "/data/../etc");
                checkAbsolutePath(p, "d", "/c:/x");
                checkAbsolutePath(p, "e", "/my data");
                checkMountPath(p, "f", "/proc");
                checkMountPath(p, "g", "/sys/fs/cgroup");
                checkMountPath(p, "h", "/dev/");
                checkMountPath(p, "i", "/device");
            }),
            [
                ["a", '"data"', EXPECT_CHECK.absolutePath],
                ["b", '"/"', EXPECT_CHECK.absolutePath],
                ["c", '"/data/../etc"', EXPECT_CHECK.absolutePath],
                ["d", '"/c:/x"', EXPECT_CHECK.absolutePath],
                ["e", '"/my data"', EXPECT_CHECK.absolutePath],
                ["f", '"/proc"', EXPECT_CHECK.systemPath],
                ["g", '"/sys/fs/cgroup"', EXPECT_CHECK.systemPath],
                ["h", '"/dev/"', EXPECT_CHECK.systemPath],
            ],
        );
    });

    it("checks label and annotation keys and values", () => {
        assert.deepStrictEqual(
            run((p) => {
                checkLabels(p, "nodeSelector", { "bad key": "x", "example.com/role": "db", tier: "-x", zone: undefined });
                checkAnnotations(p, "podAnnotations", { "a/b/c": "x", ok: 3 });
            }),
            [
                ["nodeSelector.bad key", '"bad key"', EXPECT_CHECK.labelKey],
                ["nodeSelector.tier", '"-x"', EXPECT_CHECK.labelValue],
                ["nodeSelector.zone", "undefined", EXPECT_CHECK.labelValue],
                ["podAnnotations.a/b/c", '"a/b/c"', EXPECT_CHECK.labelKey],
                ["podAnnotations.ok", "3", EXPECT_CHECK.string],
            ],
        );
    });
});

describe("describeValue", () => {
    it("is depth-bounded and cycle-safe", () => {
        let deep: Record<string, unknown> = {};
        const root = deep;
        for (let i = 0; i < 5000; i++) {
            deep.a = {};
            deep = deep.a as Record<string, unknown>;
        }
        assert.strictEqual(describeValue(root), '{"a":{"a":{"a":{"a":{…}}}}}');
        const cyclic: Record<string, unknown> = { a: 1 };
        cyclic.self = cyclic;
        assert.strictEqual(describeValue(cyclic), '{"a":1,"self":[Circular]}');
        let list: unknown[] = [];
        const top = list;
        for (let i = 0; i < 5000; i++) {
            const next: unknown[] = [];
            list.push(next);
            list = next;
        }
        assert.strictEqual(describeValue(top), "[[[[[…]]]]]");
    });

    it("hides credentials: keys, URL userinfo, password parameters", () => {
        const planted = "hunter2-planted";
        const text = describeValue({ DB_PASSWORD: planted, url: `postgres://app:${planted}@db/x`, jdbc: `jdbc:x://db?password=${planted}` });
        assert.ok(!text.includes(planted), text);
        assert.strictEqual(describeValue("postgres://app:pw@db/x"), '"postgres://[secret]@db/x"');
    });

    it("renders holes, special numbers, symbols and nested Outputs without throwing", () => {
        // eslint-disable-next-line no-sparse-arrays
        assert.strictEqual(describeValue([1, , 3]), "[1,<empty>,3]");
        assert.strictEqual(describeValue([Number.NaN, Infinity, 10n]), "[NaN,Infinity,10n]");
        assert.strictEqual(describeValue({ a: pulumi.output(1), b: Symbol("x") }), '{"a":[Output],"b":a symbol}');
        const hostile = Object.defineProperty({}, "boom", {
            enumerable: true,
            get() {
                throw new Error("no");
            },
        });
        assert.strictEqual(describeValue(hostile), "an unprintable value");
    });
});

describe("common checks never throw", () => {
    const anything = fc.anything({ maxDepth: 4, withBigInt: true, withNullPrototype: true, withSparseArray: true, withObjectString: true, withBoxedValues: true });

    it("describeValue renders anything in at most 120 characters", () => {
        fc.assert(
            fc.property(anything, (value) => {
                const text = describeValue(value);
                assert.ok(typeof text === "string" && text.length > 0 && text.length <= 120, text);
            }),
            { seed: 4242, numRuns: 300 },
        );
    });

    it("the strict schema check refuses or accepts anything, every problem with a path", () => {
        const models = ["Probe", "ResourceRequirements", "PodSecurityContext", "SecurityContext", "Toleration"] as const;
        fc.assert(
            fc.property(fc.constantFrom(...models), anything, (model, value) => {
                const problems = new ProblemList();
                checkKubernetesValue(problems, "x", value, model);
                assert.ok(problems.problems.every((p) => p.path.startsWith("x")));
            }),
            { seed: 4243, numRuns: 300 },
        );
    });

    it("checkObject, checkList and checkRecord take anything", () => {
        fc.assert(
            fc.property(anything, (value) => {
                const problems = new ProblemList();
                checkObject(problems, "a", value, ["x", "y"]);
                checkList(problems, "b", value, (path, item) => checkString(problems, path, item));
                checkStringRecord(problems, "c", value);
                checkLabels(problems, "d", value);
                checkAnnotations(problems, "e", value);
                assert.ok(problems.problems.every((p) => p.path !== ""));
            }),
            { seed: 4244, numRuns: 300 },
        );
    });
});

describe("snapshotArgs", () => {
    it("copies plain objects and lists, keeps holes, cycles and everything else as given", () => {
        const output = pulumi.output("x");
        class Component {}
        const component = new Component();
        // eslint-disable-next-line no-sparse-arrays
        const source: Record<string, unknown> = { list: [1, , 3], output, component, nested: { a: 1 } };
        source.self = source;
        const { args, problems } = snapshotArgs(source);
        assert.deepStrictEqual(problems.problems, []);
        assert.notStrictEqual(args, source);
        assert.notStrictEqual(args.nested, source.nested);
        assert.strictEqual(args.self, args);
        assert.strictEqual(args.output, output);
        assert.strictEqual(args.component, component);
        assert.strictEqual((args.list as unknown[]).length, 3);
        assert.strictEqual(1 in (args.list as unknown[]), false);
    });

    it("turns throwing getters and proxies into problems at their paths", () => {
        const throwing = Object.defineProperty({ ok: 1 }, "bad", {
            enumerable: true,
            get() {
                throw new Error("boom");
            },
        });
        const proxy = new Proxy(
            {},
            {
                ownKeys() {
                    throw new Error("boom");
                },
            },
        );
        const { args, problems } = snapshotArgs({ a: throwing, b: proxy });
        assert.deepStrictEqual(args, { a: { ok: 1 }, b: {} });
        assert.deepStrictEqual(rows(problems.problems), [
            ["a.bad", "undefined", "could not be read (a getter threw)"],
            ["b", "undefined", "could not be read (a proxy threw)"],
        ]);
    });
});
