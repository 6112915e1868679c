import * as fs from "fs";

/**
 * Values of the hostile-input tests that take a few lines to build: a sparse list and a
 * deeply nested object. Built fresh on each call, so no test sees another's mutation.
 */

/** `items` with the first element deleted: a list with a hole, which `[...list]` and `forEach` skip over. */
export function sparse(...items: unknown[]): unknown[] {
    const list = [...items];
    delete list[0];
    return list;
}

/** `{ a: { a: … {} } }`, `levels` deep: the message renderer must neither overflow nor flood. */
export function deepObject(levels: number): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let i = 0; i < levels; i++) {
        const next: Record<string, unknown> = {};
        node.a = next;
        node = next;
    }
    return root;
}

/**
 * How many cases each hostile-input property tries: the suite's bound, unless
 * STATEFUL_STACKS_HOSTILE_RUNS asks for more (the bench's longer run). The seeds stay fixed,
 * so a longer run tries the suite's cases first and a failure replays.
 */
export const HOSTILE_RUNS_VARIABLE = "STATEFUL_STACKS_HOSTILE_RUNS";

/** A file each property appends its counts to, one JSON line per property (the bench sets it). */
export const HOSTILE_REPORT_VARIABLE = "STATEFUL_STACKS_HOSTILE_REPORT";

/** Most cases one property may be asked to try: about a day of the slowest property. */
export const MAX_HOSTILE_RUNS = 10_000_000;

/** The number of runs of a property whose suite bound is `suiteRuns`. */
export function hostileRuns(suiteRuns: number, env: NodeJS.ProcessEnv = process.env): number {
    const raw = env[HOSTILE_RUNS_VARIABLE];
    if (raw === undefined || raw === "") {
        return suiteRuns;
    }
    const runs = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(runs) || runs < 1 || runs > MAX_HOSTILE_RUNS) {
        throw new Error(`${HOSTILE_RUNS_VARIABLE} must be a whole number from 1 to ${MAX_HOSTILE_RUNS} (got ${JSON.stringify(raw)})`);
    }
    return runs;
}

/** What one hostile-input property tried: every generated input is refused or accepted. */
export interface HostileTally {
    /** The component (or class) whose arguments were generated. */
    readonly property: string;
    readonly seed: number;
    readonly runs: number;
    refused: number;
    accepted: number;
}

/** A new tally for `property`, run `runs` times from `seed`. */
export function hostileTally(property: string, seed: number, runs: number): HostileTally {
    return { accepted: 0, property, refused: 0, runs, seed };
}

/** Appends `tally` (with `tried`) as one JSON line to the report file, when the bench asked for one. */
export function reportHostileTally(tally: HostileTally, env: NodeJS.ProcessEnv = process.env): void {
    const file = env[HOSTILE_REPORT_VARIABLE];
    if (file === undefined || file === "") {
        return;
    }
    const line = { ...tally, tried: tally.refused + tally.accepted };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
}
