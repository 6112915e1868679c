import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import * as lib from "../../components";

/**
 * The public contract: what `require("stateful-stacks")` gives a user. Adding a name here
 * is a decision (it must then stay, see CHANGELOG.md); an accidental export fails.
 */

const barrelFile = path.resolve(__dirname, "../../components/index.ts");

/** Runtime names of the barrel, in `Array.prototype.sort` order. */
const RUNTIME_EXPORTS = [
    "DEFAULT_REPLICAS",
    "EBS_LIMITS",
    "EXTERNAL_STORE_MIN_CHECKSUM_KEY",
    "EbsStorageClass",
    "EbsVolumeAttributesClass",
    "EfsStorageClass",
    "ExternalStore",
    "GIB",
    "HOST_PATH_PREFIXES",
    "MAX_REPLICAS",
    "NodeLocalStore",
    "ReplicatedCache",
    "SKIP_AWAIT_ANNOTATION",
    "StatefulWorkload",
    "claimNames",
    "externalStoreWiring",
    "hostAntiAffinity",
    "isDnsName",
    "parseQuantity",
    "podDnsNames",
    "restrictedContainerSecurityContext",
    "restrictedPodSecurityContext",
    "selectorLabels",
    "standardLabels",
    "statefulWorkloadNames",
    "withExternalStores",
    "zoneSpread",
];

/** Names exported as types only: the components' arguments and every type they refer to. */
const TYPE_EXPORTS = [
    "AccessMode",
    "CacheEngine",
    "CacheMemoryVolume",
    "ConfigMapKeyEnv",
    "EbsFsType",
    "EbsKmsKeyArgs",
    "EbsSnapshotClassArgs",
    "EbsStorageClassArgs",
    "EbsVolumeAttributesClassArgs",
    "EbsVolumeLimits",
    "EbsVolumeType",
    "EfsFileSystemArgs",
    "EfsPerformanceMode",
    "EfsStorageClassArgs",
    "EfsThroughputMode",
    "EfsTransition",
    "ExistingSecretKeys",
    "ExternalStoreArgs",
    "ExternalStoreEngine",
    "ExternalStoreWiring",
    "ExternalStoreWiringOptions",
    "NodeLocalPort",
    "NodeLocalStoreArgs",
    "NodeLocalToleration",
    "OrdinalArgs",
    "PodArgs",
    "Range",
    "ReclaimPolicy",
    "ReplicatedCacheArgs",
    "SecretKeyEnv",
    "SnapshotSchedule",
    "SpreadArgs",
    "SpreadMode",
    "StatefulWorkloadArgs",
    "StatefulWorkloadNames",
    "StorageClassFacts",
    "StorageClassReference",
    "UncheckedStorageClass",
    "VolumeAttributesClassFacts",
    "VolumeAttributesClassReference",
    "VolumeBindingMode",
    "VolumeSnapshotClassSource",
    "WithExternalStoresOptions",
    "WorkloadDisruptionBudget",
    "WorkloadInitContainer",
    "WorkloadPort",
    "WorkloadRestore",
    "WorkloadSecurityArgs",
    "WorkloadSnapshots",
    "WorkloadUpdateStrategy",
    "WorkloadVolume",
];

const COMPONENTS = ["EbsStorageClass", "EfsStorageClass", "ExternalStore", "NodeLocalStore", "ReplicatedCache", "StatefulWorkload"];

/** "added: …; missing: …" between two name lists, for a message a reviewer can act on. */
function difference(actual: readonly string[], expected: readonly string[]): string {
    const added = actual.filter((n) => !expected.includes(n));
    const missing = expected.filter((n) => !actual.includes(n));
    return `exported but not in the contract: ${added.join(", ") || "none"}; in the contract but not exported: ${missing.join(", ") || "none"}`;
}

interface BarrelStatement {
    readonly line: number;
    readonly text: string;
    readonly kind: "named" | "star" | "other";
    readonly names: readonly string[];
}

function barrelStatements(): BarrelStatement[] {
    const source = ts.createSourceFile(barrelFile, fs.readFileSync(barrelFile, "utf8"), ts.ScriptTarget.Latest, true);
    return source.statements.map((statement) => {
        const line = source.getLineAndCharacterOfPosition(statement.getStart(source)).line + 1;
        const text = statement.getText(source).split("\n")[0];
        if (ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined) {
            if (statement.exportClause === undefined || ts.isNamespaceExport(statement.exportClause)) {
                return { line, text, kind: "star", names: [] };
            }
            return { line, text, kind: "named", names: statement.exportClause.elements.map((e) => e.name.text) };
        }
        return { line, text, kind: "other", names: [] };
    });
}

describe("contract: the public barrel", () => {
    it("exports exactly the contract's runtime names", () => {
        const actual = Object.keys(lib).sort();
        assert.deepStrictEqual(actual, [...RUNTIME_EXPORTS].sort(), difference(actual, RUNTIME_EXPORTS));
    });

    it("declares exactly the contract's names, types included, each once", () => {
        const declared = barrelStatements().flatMap((s) => s.names);
        const duplicates = declared.filter((n, i) => declared.indexOf(n) !== i);
        assert.deepStrictEqual(duplicates, [], `exported twice: ${duplicates.join(", ")}`);
        const expected = [...RUNTIME_EXPORTS, ...TYPE_EXPORTS].sort();
        assert.deepStrictEqual([...declared].sort(), expected, difference(declared, expected));
    });

    it("is made of named re-exports only: no `export *`, no declarations of its own", () => {
        const offending = barrelStatements()
            .filter((s) => s.kind !== "named")
            .map((s) => `components/index.ts:${s.line}: ${s.text}`);
        assert.deepStrictEqual(offending, []);
    });

    it("exports the six components as Pulumi component resources", () => {
        const exported = lib as unknown as Record<string, { prototype: unknown } | undefined>;
        const notComponents = COMPONENTS.filter((name) => typeof exported[name] !== "function" || !(exported[name]!.prototype instanceof pulumi.ComponentResource));
        assert.deepStrictEqual(notComponents, []);
    });

    it("gives the helpers a user needs for pods of their own, with the components' values", () => {
        assert.strictEqual(lib.SKIP_AWAIT_ANNOTATION, "pulumi.com/skipAwait");
        assert.deepStrictEqual(lib.restrictedContainerSecurityContext().capabilities, { drop: ["ALL"] });
        assert.strictEqual(lib.restrictedPodSecurityContext().runAsNonRoot, true);
        assert.deepStrictEqual(lib.podDnsNames(lib.statefulWorkloadNames("zk", {}), 2, "coord"), [
            "zk-0.zk-headless.coord.svc.cluster.local",
            "zk-1.zk-headless.coord.svc.cluster.local",
        ]);
        assert.deepStrictEqual(lib.claimNames("zk", [{ name: "data" }, { name: "log" }], 2), ["data-zk-0", "data-zk-1", "log-zk-0", "log-zk-1"]);
        assert.strictEqual(lib.parseQuantity("2Gi"), 2 * lib.GIB);
    });
});
