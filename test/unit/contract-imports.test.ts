import * as assert from "assert";
import * as path from "path";
import { moduleReferences, ModuleReference, sourceFiles } from "../support/imports";

/**
 * Who may import what. The scenario stacks and the examples are programs a user could
 * have written: they reach the library only through its public barrel. Inside the
 * library, imports run one way (STYLE.md): `common` ← `storage`, `external` ← `workload`.
 */

const root = path.resolve(__dirname, "../..");
const BARREL = "components/index.ts";

/** The library's folders and the sibling folders each may import from. */
const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
    common: [],
    storage: ["common"],
    external: ["common"],
    workload: ["common", "storage", "external"],
    // The provider-facing components (PulumiPlugin.yaml): they wrap every other folder's
    // components, and nothing in the library (nor its barrel) imports them.
    provider: ["common", "storage", "external", "workload"],
};

function where(ref: ModuleReference): string {
    return `${ref.file}:${ref.line} imports "${ref.specifier}"`;
}

/** The library folder (`common`, `storage`, …) of a repository-relative path, if it is in one. */
function libraryFolder(file: string): string | undefined {
    const match = /^components\/([^/]+)\//.exec(file);
    return match?.[1];
}

/** Problems with a program's imports: deep imports into the library, and package subpaths. */
function programImportProblems(refs: readonly ModuleReference[], packageOnly: boolean): string[] {
    return refs.flatMap((ref) => {
        if (ref.specifier === "stateful-stacks") {
            return [];
        }
        if (ref.specifier.startsWith("stateful-stacks/")) {
            return [`${where(ref)}: only "stateful-stacks" itself is public`];
        }
        if (ref.resolved === undefined) {
            return [];
        }
        if (packageOnly) {
            return [`${where(ref)}: an example is a standalone program; it imports "stateful-stacks", not files of this repository`];
        }
        if (ref.resolved.startsWith("components/") && ref.resolved !== BARREL) {
            return [`${where(ref)} (${ref.resolved}): import from the public barrel ("../components") instead`];
        }
        if (!ref.resolved.startsWith("components/") && !ref.resolved.startsWith("stacks/")) {
            return [`${where(ref)} (${ref.resolved}): a stack uses only the library and other stack modules`];
        }
        return [];
    });
}

/** Problems with the library's internal imports: direction between folders, the barrel, leaving the library. */
function libraryImportProblems(refs: readonly ModuleReference[]): string[] {
    return refs.flatMap((ref) => {
        if (ref.resolved === undefined) {
            return ref.specifier.startsWith("stateful-stacks") ? [`${where(ref)}: the library does not import itself by name`] : [];
        }
        const from = libraryFolder(ref.file);
        if (ref.resolved === BARREL) {
            return [`${where(ref)}: only users import the barrel; import the module that declares the name`];
        }
        const to = libraryFolder(ref.resolved);
        if (to === undefined) {
            return [`${where(ref)} (${ref.resolved}): the library imports nothing outside components/`];
        }
        if (from === undefined || from === to) {
            return [];
        }
        const allowed = ALLOWED_IMPORTS[from];
        if (allowed === undefined) {
            return [`${ref.file}: components/${from}/ is not a known library folder (${Object.keys(ALLOWED_IMPORTS).join(", ")})`];
        }
        if (!allowed.includes(to)) {
            const may = allowed.length ? `only ${allowed.join(", ")}` : "no other library folder";
            return [`${where(ref)} (${ref.resolved}): ${from}/ may import ${may}, not ${to}/`];
        }
        return [];
    });
}

function refsOf(dir: string): ModuleReference[] {
    return sourceFiles(path.join(root, dir)).flatMap((file) => moduleReferences(root, file));
}

describe("contract: import rules", () => {
    describe("the rules themselves", () => {
        const ref = (file: string, specifier: string, resolved?: string): ModuleReference => ({ file, line: 3, specifier, resolved });

        it("name each deep import of a stack, and accept the barrel and sibling stack modules", () => {
            assert.deepStrictEqual(
                programImportProblems(
                    [
                        ref("stacks/a.ts", "../components", BARREL),
                        ref("stacks/a.ts", "../components/index", BARREL),
                        ref("stacks/a.ts", "./base", "stacks/base.ts"),
                        ref("stacks/a.ts", "@pulumi/pulumi"),
                        ref("stacks/a.ts", "../components/workload/pod-defaults", "components/workload/pod-defaults.ts"),
                        ref("stacks/a.ts", "../tools/plan", "tools/plan/index.ts"),
                        ref("stacks/a.ts", "stateful-stacks/bin/components/index.js"),
                    ],
                    false,
                ),
                [
                    'stacks/a.ts:3 imports "../components/workload/pod-defaults" (components/workload/pod-defaults.ts): import from the public barrel ("../components") instead',
                    'stacks/a.ts:3 imports "../tools/plan" (tools/plan/index.ts): a stack uses only the library and other stack modules',
                    'stacks/a.ts:3 imports "stateful-stacks/bin/components/index.js": only "stateful-stacks" itself is public',
                ],
            );
        });

        it("let an example import only packages", () => {
            assert.deepStrictEqual(
                programImportProblems([ref("examples/x/index.ts", "stateful-stacks"), ref("examples/x/index.ts", "../../components", BARREL)], true),
                ['examples/x/index.ts:3 imports "../../components": an example is a standalone program; it imports "stateful-stacks", not files of this repository'],
            );
        });

        it("refuse an import against the direction, the barrel from inside, and anything outside the library", () => {
            assert.deepStrictEqual(
                libraryImportProblems([
                    ref("components/workload/a.ts", "../external/b", "components/external/b.ts"),
                    ref("components/workload/a.ts", "./c", "components/workload/c.ts"),
                    ref("components/storage/a.ts", "../workload/b", "components/workload/b.ts"),
                    ref("components/common/a.ts", "../storage/b", "components/storage/b.ts"),
                    ref("components/external/a.ts", "..", BARREL),
                    ref("components/external/a.ts", "../../tools/plan", "tools/plan/index.ts"),
                ]),
                [
                    'components/storage/a.ts:3 imports "../workload/b" (components/workload/b.ts): storage/ may import only common, not workload/',
                    'components/common/a.ts:3 imports "../storage/b" (components/storage/b.ts): common/ may import no other library folder, not storage/',
                    'components/external/a.ts:3 imports "..": only users import the barrel; import the module that declares the name',
                    'components/external/a.ts:3 imports "../../tools/plan" (tools/plan/index.ts): the library imports nothing outside components/',
                ],
            );
        });

        it("let the provider-facing folder import the library, and no library folder import it", () => {
            assert.deepStrictEqual(
                libraryImportProblems([
                    ref("components/provider/a.ts", "../workload/b", "components/workload/b.ts"),
                    ref("components/provider/a.ts", "../storage/b", "components/storage/b.ts"),
                    ref("components/workload/a.ts", "../provider/b", "components/provider/b.ts"),
                ]),
                ['components/workload/a.ts:3 imports "../provider/b" (components/provider/b.ts): workload/ may import only common, storage, external, not provider/'],
            );
        });
    });

    it("the scenario stacks import the library only through its barrel", () => {
        const refs = refsOf("stacks");
        assert.ok(refs.some((r) => r.resolved === BARREL), "no stack imports the barrel: the parser found nothing");
        assert.deepStrictEqual(programImportProblems(refs, false), []);
    });

    it("the examples import only packages, the library as \"stateful-stacks\"", () => {
        const refs = refsOf("examples");
        assert.ok(refs.filter((r) => r.specifier === "stateful-stacks").length >= 3, "fewer than three examples import stateful-stacks");
        assert.deepStrictEqual(programImportProblems(refs, true), []);
    });

    it("the barrel does not export the provider-facing components (their names are the library's)", () => {
        const refs = refsOf("components").filter((r) => r.file === BARREL);
        assert.ok(refs.length > 0, "the parser found no import in the barrel");
        assert.deepStrictEqual(refs.filter((r) => r.resolved?.startsWith("components/provider/")).map(where), []);
    });

    it("the library's imports run one way: common ← storage, external ← workload", () => {
        const refs = refsOf("components").filter((r) => r.file !== BARREL);
        assert.ok(refs.some((r) => r.resolved?.startsWith("components/common/")), "the parser found no import of common/");
        assert.deepStrictEqual(libraryImportProblems(refs), []);
    });
});
