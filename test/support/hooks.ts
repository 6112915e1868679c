import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Mocha root hooks for the whole suite.
 *
 * Temp dirs: the suite runs with its own temp dir (TMPDIR, inherited by every child
 * process it starts), so that what a test leaves behind is told apart from what other
 * programs on the machine create meanwhile. After the last test the dir must hold nothing
 * but the link to tsx's transpile cache (kept shared so that child processes stay fast);
 * anything else is a leak and fails the run, naming each entry. The dir is removed when
 * the process exits, whatever happened.
 *
 * Pulumi's runtime reports "promises still active" at process exit and sets the exit
 * code to 1: in a real program that means an Output nobody awaited. In this suite it
 * only means that a test looked at some resources and not at every Output of every
 * resource it created (refused inputs, resources built only to inspect their args), so
 * the candidates are dropped once every test has run. Failures are still reported by
 * mocha itself.
 */

const machineTmp = os.tmpdir();
const suiteTmp = fs.mkdtempSync(path.join(machineTmp, "stateful-stacks-test-"));
const tsxCache = `tsx-${typeof process.geteuid === "function" ? process.geteuid() : os.userInfo().username}`;
fs.mkdirSync(path.join(machineTmp, tsxCache), { recursive: true });
fs.symlinkSync(path.join(machineTmp, tsxCache), path.join(suiteTmp, tsxCache));
process.env.TMPDIR = suiteTmp;
process.on("exit", () => fs.rmSync(suiteTmp, { recursive: true, force: true }));

/** What the suite left in its temp dir: entries other than the tsx cache link, sorted. */
function leftoverTempEntries(): string[] {
    return fs
        .readdirSync(suiteTmp)
        .filter((entry) => entry !== tsxCache)
        .sort();
}

function checkNoTempLeft(): void {
    const leftovers = leftoverTempEntries();
    if (leftovers.length) {
        throw new Error(`the suite left ${leftovers.length} temp entr${leftovers.length === 1 ? "y" : "ies"} behind (remove what a test creates in an after hook): ${leftovers.join(", ")}`);
    }
}

export const mochaHooks = {
    beforeAll(this: Mocha.Context): void {
        // Registered now, so that it runs after the root-level `after` hooks of the test
        // files (registered when the files loaded), not before them.
        this.test?.parent?.afterAll("no temp dir left behind", checkNoTempLeft);
    },
    afterAll(): void {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<unknown> } };
        state.getStore().leakCandidates.clear();
    },
};
