import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/**
 * The module references of TypeScript source files, read with the TypeScript parser (not
 * with regular expressions): `import … from`, `import type`, `export … from`,
 * `import x = require()`, `require()`, `import()` and `import("…").Type`, each with its
 * line, so that a test can name the offending line exactly.
 */

/** One module reference in a source file. */
export interface ModuleReference {
    /** The file, relative to the repository root, with forward slashes. */
    readonly file: string;
    /** 1-based line of the reference. */
    readonly line: number;
    /** The module specifier as written (`"../components"`, `"@pulumi/pulumi"`). */
    readonly specifier: string;
    /** For a relative specifier: the file it resolves to, relative to the root; else undefined. */
    readonly resolved?: string;
}

const EXTENSIONS = [".ts", ".tsx", ".d.ts", ".js"];

/** Every module reference in `file` (absolute), in source order. */
export function moduleReferences(root: string, file: string): ModuleReference[] {
    const text = fs.readFileSync(file, "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const found: ModuleReference[] = [];
    const add = (node: ts.Node, literal: ts.Expression | undefined): void => {
        if (literal === undefined || !ts.isStringLiteralLike(literal)) {
            return;
        }
        const specifier = literal.text;
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        const resolved = specifier.startsWith(".") ? resolveRelative(root, path.dirname(file), specifier) : undefined;
        found.push({ file: relative(root, file), line, specifier, resolved });
    };
    const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
            add(node, node.moduleSpecifier);
        } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
            add(node, node.moduleReference.expression);
        } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
            const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
            if (isRequire || node.expression.kind === ts.SyntaxKind.ImportKeyword) {
                add(node, node.arguments[0]);
            }
        } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
            add(node, node.argument.literal as ts.Expression);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

/** The `.ts` files under `dir` (absolute), recursively, sorted; `node_modules` is skipped. */
export function sourceFiles(dir: string): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((entry) => {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                return entry.name === "node_modules" ? [] : sourceFiles(full);
            }
            return entry.name.endsWith(".ts") ? [full] : [];
        })
        .sort();
}

/** The repository-relative path, with forward slashes. */
export function relative(root: string, file: string): string {
    return path.relative(root, file).split(path.sep).join("/");
}

function resolveRelative(root: string, fromDir: string, specifier: string): string {
    const target = path.resolve(fromDir, specifier);
    const candidates = [...EXTENSIONS.map((ext) => target + ext), ...EXTENSIONS.map((ext) => path.join(target, `index${ext}`))];
    const hit = (fs.existsSync(target) && fs.statSync(target).isFile() ? target : undefined) ?? candidates.find((c) => fs.existsSync(c));
    return relative(root, hit ?? target);
}
