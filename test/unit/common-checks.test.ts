import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    checkAbsolutePath,
    checkAnnotations,
    checkBoolean,
    checkImage,
    checkInteger,
    checkLabels,
    checkList,
    checkMountPath,
    checkNotCredentialName,
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
    suggestName,
} from "../../components/common/checks";
import { containsCredential, isCredentialPath, looksLikeCredential, redactText } from "../../components/common/credentials";
import { checkKubernetesValue } from "../../components/common/kubernetes-schema";
import { describeValue, Problem, ProblemList } from "../../components/common/validation";

type Row = readonly [string, string, string];

function rows(problems: readonly Problem[]): Row[] {
    return problems.map((p) => [p.path, p.value, p.expected]);
}

function run(check: (problems: ProblemList) => unknown, options?: ConstructorParameters<typeof ProblemList>[0]): Row[] {
    const problems = new ProblemList(options);
    check(problems);
    return rows(problems.problems);
}

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

describe("common checks: credentials", () => {
    const credentials = ["PGPASSWORD", "MYSQL_PWD", "DB_PASS", "PGPASS", "REDIS_AUTH", "JWT_SIGNING_KEY", "ENCRYPTION_KEY", "API_KEY", "CLIENT_SECRET", "GH_TOKEN", "dbPassword"];
    const notCredentials = ["PGDATA", "PWD", "OLDPWD", "POSTGRES_PASSWORD_FILE", "TLS_SECRET_NAME", "MAX_TOKENS", "PASSWORDLESS_LOGIN", "DATABASE_URL", "CACHE_KEY_PREFIX"];

    it("knows credential names", () => {
        assert.deepStrictEqual(credentials.filter((n) => !looksLikeCredential(n)), []);
        assert.deepStrictEqual(notCredentials.filter((n) => looksLikeCredential(n)), []);
    });

    it("knows credential values whatever their name", () => {
        assert.deepStrictEqual(
            ["postgres://app:pw@db/x", "jdbc:postgresql://db/x?user=a&password=pw", "Server=db;Password=pw", "postgres://app@db/x", "http://db:5432/x", "password="].map(containsCredential),
            [true, true, true, false, false, false],
        );
    });

    it("hides URL userinfo and password parameters in any text", () => {
        assert.strictEqual(redactText("postgres://app:pw@db/x?sslmode=require&password=hunter2"), "postgres://[secret]@db/x?sslmode=require&password=[secret]");
    });

    it("knows credential paths; argument names like createKmsKey are not", () => {
        assert.deepStrictEqual(
            ["env.DB_PASSWORD", "options.apiToken", "initContainers[0].env.REDIS_AUTH", "createKmsKey", "secretEnv.DB_HOST.key", "env.PGDATA"].map(isCredentialPath),
            [true, true, true, false, false, false],
        );
    });

    it("refuses a credential name without printing its value", () => {
        assert.deepStrictEqual(run((p) => checkNotCredentialName(p, "options.password", "password", "options are written to a ConfigMap")), [
            ["options.password", "[secret]", "must not name a credential: password looks like a credential, and options are written to a ConfigMap"],
        ]);
    });

    it("never prints a value under a credential path when asked", () => {
        const planted = "73510296";
        const redacting = run((p) => p.add("env.DB_PASSWORD", Number(planted), "must be a string").add("env.MODE", 3, "must be a string"), { redactCredentialPaths: true });
        assert.deepStrictEqual(redacting, [
            ["env.DB_PASSWORD", "[secret]", "must be a string"],
            ["env.MODE", "3", "must be a string"],
        ]);
    });

    it("never has an empty path", () => {
        assert.deepStrictEqual(run((p) => p.add("", 5, "must be an object")), [["args", "5", "must be an object"]]);
        assert.deepStrictEqual(run((p) => p.add("", 5, "must be an object"), { root: "fileSystem" }), [["fileSystem", "5", "must be an object"]]);
        assert.deepStrictEqual(rows(new ProblemList().addAll([{ path: "", value: "1", expected: "x" }]).problems), [["args", "1", "x"]]);
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

describe("strict Kubernetes schema checks", () => {
    it("refuses unknown fields with a did-you-mean, wrong types and int32 overflows", () => {
        assert.deepStrictEqual(
            run((p) => checkKubernetesValue(p, "readinessProbe", { httpGet: { port: "pg", pth: "/x" }, periodSecond: 3, timeoutSeconds: 2 ** 31 }, "Probe")),
            [
                ["readinessProbe.httpGet.pth", '"/x"', 'is not a known field; did you mean "path"?'],
                ["readinessProbe.periodSecond", "3", 'is not a known field; did you mean "periodSeconds"?'],
                ["readinessProbe.timeoutSeconds", "2147483648", "must be an integer from -2147483648 to 2147483647"],
            ],
        );
    });

    it("refuses a string where a map is needed, nulls, bad quantities and enums", () => {
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "resources", { limits: "1Gi" }, "ResourceRequirements")), [["resources.limits", '"1Gi"', "must be an object"]]);
        assert.deepStrictEqual(
            run((p) => checkKubernetesValue(p, "resources", { limits: { cpu: "lots" }, requests: { memory: null } }, "ResourceRequirements")),
            [
                ["resources.requests.memory", "null", "must not be null; leave the field out instead"],
                ["resources.limits.cpu", '"lots"', 'must be a Kubernetes quantity such as "20Gi", "500Mi" or "1Ti", given as a string'],
            ],
        );
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "securityContext.pod", { fsGroupChangePolicy: "Sometimes" }, "PodSecurityContext")), [
            ["securityContext.pod.fsGroupChangePolicy", '"Sometimes"', 'must be one of "Always", "OnRootMismatch"'],
        ]);
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "livenessProbe", { tcpSocket: {} }, "Probe")), [["livenessProbe.tcpSocket.port", "undefined", "is required by the Kubernetes schema"]]);
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "startupProbe", { exec: { command: "pg_isready" } }, "Probe")), [["startupProbe.exec.command", '"pg_isready"', "must be a list"]]);
    });

    it("refuses holes and cycles, and leaves Outputs to the API server", () => {
        // eslint-disable-next-line no-sparse-arrays
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "securityContext.container", { capabilities: { drop: ["ALL", , "NET_RAW"] } }, "SecurityContext")), [
            ["securityContext.container.capabilities.drop[1]", "undefined", EXPECT_CHECK.hole],
        ]);
        const cyclic: Record<string, unknown> = { exec: { command: ["true"] } };
        (cyclic.exec as Record<string, unknown>).self = cyclic;
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "livenessProbe", cyclic, "Probe")), [["livenessProbe.exec.self", '{"exec":{"command":["true"],"self":[Circular]}}', "is not a known field (known: command)"]]);
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "livenessProbe", { exec: { command: pulumi.output(["true"]) } }, "Probe")), []);
    });

    it("accepts valid values of every type", () => {
        assert.deepStrictEqual(
            run((p) => {
                checkKubernetesValue(p, "a", { httpGet: { path: "/health", port: 8080, httpHeaders: [{ name: "X", value: "y" }] }, periodSeconds: 10 }, "Probe");
                checkKubernetesValue(p, "b", { limits: { memory: "1Gi" }, requests: { cpu: "250m" } }, "ResourceRequirements");
                checkKubernetesValue(p, "c", { runAsUser: 999, seccompProfile: { type: "RuntimeDefault" }, sysctls: [{ name: "net.core.somaxconn", value: "1024" }] }, "PodSecurityContext");
                checkKubernetesValue(p, "d", { capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] }, readOnlyRootFilesystem: true }, "SecurityContext");
                checkKubernetesValue(p, "e", { key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }, "Toleration");
            }),
            [],
        );
    });
});
