import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import * as providerComponents from "../../components/provider";

/**
 * The schema other languages see (`pulumi package get-schema provider/`): inferred by
 * @pulumi/pulumi's component provider host from components/provider/, exactly as
 * run-plugin does when the engine starts the plugin, and committed in
 * schema/stateful-stacks.json (sorted keys). UPDATE_SCHEMA=1 rewrites the file.
 */

const root = path.resolve(__dirname, "../..");
const SCHEMA_FILE = path.join(root, "schema/stateful-stacks.json");
const PLUGIN_DIR = path.join(root, "provider");

/** JSON with sorted keys and a final newline: the committed form. */
function sortedJson(value: unknown): string {
    const sort = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(sort);
        if (v !== null && typeof v === "object") {
            return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
        }
        return v;
    };
    return `${JSON.stringify(sort(value), null, 2)}\n`;
}

const COMPONENTS = ["EbsStorageClass", "EfsStorageClass", "ExternalStore", "NodeLocalStore", "ReplicatedCache", "StatefulWorkload"];

describe("component provider: the inferred schema", function () {
    this.timeout(300000);
    let inferred: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

    before(async () => {
        const components = getPulumiComponents(providerComponents);
        const manifest = JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "package.json"), "utf8")) as { name: string };
        const provider = new ComponentProvider({ name: manifest.name, dirname: PLUGIN_DIR, components });
        inferred = JSON.parse(await provider.getSchema());
        if (process.env.UPDATE_SCHEMA === "1") {
            fs.writeFileSync(SCHEMA_FILE, sortedJson(inferred));
        }
    });

    it("is the committed schema/stateful-stacks.json (run with UPDATE_SCHEMA=1 after changing components/provider/)", () => {
        assert.strictEqual(sortedJson(inferred), fs.readFileSync(SCHEMA_FILE, "utf8"));
    });

    it("has the six components, each with its description and a description on every input and output", () => {
        assert.deepStrictEqual(Object.keys(inferred.resources).sort(), COMPONENTS.map((c) => `stateful-stacks:index:${c}`));
        const undocumented: string[] = [];
        for (const [token, resource] of Object.entries<any>(inferred.resources)) { // eslint-disable-line @typescript-eslint/no-explicit-any
            assert.strictEqual(resource.isComponent, true, token);
            if (!resource.description) undocumented.push(token);
            for (const [name, property] of Object.entries<any>({ ...resource.inputProperties, ...resource.properties })) { // eslint-disable-line @typescript-eslint/no-explicit-any
                if (!property.description) undocumented.push(`${token}.${name}`);
            }
        }
        for (const [token, type] of Object.entries<any>(inferred.types)) { // eslint-disable-line @typescript-eslint/no-explicit-any
            for (const [name, property] of Object.entries<any>(type.properties ?? {})) { // eslint-disable-line @typescript-eslint/no-explicit-any
                if (!property.description) undocumented.push(`${token}.${name}`);
            }
        }
        assert.deepStrictEqual(undocumented, []);
    });

    it("has the library's string-literal types as enums with the same values", () => {
        const values = (token: string) => (inferred.types[`stateful-stacks:index:${token}`].enum as { value: string }[]).map((e) => e.value);
        assert.deepStrictEqual(values("EbsVolumeType"), ["gp3", "gp2", "io1", "io2", "st1", "sc1"]);
        assert.deepStrictEqual(values("AccessMode"), ["ReadWriteOnce", "ReadWriteOncePod", "ReadOnlyMany", "ReadWriteMany"]);
        assert.deepStrictEqual(values("ReclaimPolicy"), ["Retain", "Delete"]);
        assert.deepStrictEqual(values("ExternalStoreEngine"), ["postgresql", "mysql", "mariadb", "sqlserver", "oracle", "mongodb", "redis", "cassandra", "other"]);
    });

    it("runs the build of the source it infers from (provider/package.json: main is exports, built)", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "package.json"), "utf8")) as { main: string; exports: string };
        assert.deepStrictEqual(
            { main: manifest.main, exports: manifest.exports },
            { main: "../bin/components/provider/index.js", exports: "../components/provider/index.ts" },
        );
        const build = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.build.json"), "utf8")) as { include: string[] };
        assert.ok(build.include.includes("components/**/*.ts"), "npm run build compiles components/provider/");
    });

    it("is the package's name and version (provider/package.json follows the root package.json)", () => {
        const rootManifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { name: string; version: string };
        assert.deepStrictEqual([inferred.name, inferred.version], [rootManifest.name, rootManifest.version]);
    });
});
