/**
 * Mocha root hooks for the whole suite.
 *
 * Pulumi's runtime reports "promises still active" at process exit and sets the exit
 * code to 1: in a real program that means an Output nobody awaited. In this suite it
 * only means that a test looked at some resources and not at every Output of every
 * resource it created (refused inputs, resources built only to inspect their args), so
 * the candidates are dropped once every test has run. Failures are still reported by
 * mocha itself.
 */
export const mochaHooks = {
    afterAll(): void {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { leakCandidates: Set<unknown> } };
        state.getStore().leakCandidates.clear();
    },
};
