import * as fs from "fs";
import * as path from "path";
import { REPO } from "./toolchain";

/** What a copy of the project holds: the program and its config, never the repository's own stack files. */
const COPIED = ["Pulumi.yaml", "package.json", "tsconfig.json", "stacks", "components"];

/**
 * Copies the project into `dir` (created), with `node_modules` a link to the repository's,
 * so `pulumi config set` and `stack init` write stack files there, not in the repository.
 * `edit` may rewrite files of the copy (relative path → new text), e.g. for a renamed component.
 */
export function copyProject(dir: string, edit: Readonly<Record<string, (text: string) => string>> = {}): string {
    fs.mkdirSync(dir, { recursive: true });
    for (const entry of COPIED) {
        fs.cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    for (const [file, change] of Object.entries(edit)) {
        const target = path.join(dir, file);
        const before = fs.readFileSync(target, "utf8");
        const after = change(before);
        if (after === before) {
            throw new Error(`editing ${file} of the project copy changed nothing`);
        }
        fs.writeFileSync(target, after);
    }
    return dir;
}
