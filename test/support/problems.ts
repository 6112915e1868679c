import * as assert from "assert";
import { ComponentRef, formatProblems, Problem, ProblemList } from "../../components/common/validation";

/**
 * Problems as `[path, value, expected]` rows, the form the validator tests compare with
 * `deepStrictEqual`, so that a failure shows every field that differs.
 */
export type Row = readonly [string, string, string];

/** The rows of `problems`, in order. */
export function rows(problems: readonly Problem[]): Row[] {
    return problems.map((p) => [p.path, p.value, p.expected]);
}

/** The rows of every problem that `check` adds to a fresh {@link ProblemList} made with `options`. */
export function run(check: (problems: ProblemList) => unknown, options?: ConstructorParameters<typeof ProblemList>[0]): Row[] {
    const problems = new ProblemList(options);
    check(problems);
    return rows(problems.problems);
}

/** What a workload validator says of a command or args given as one string. */
export const COMMAND_LIST = 'must be a list of strings, e.g. ["postgres", "-c", "max_connections=200"]: a single string is not split into words';

/** One refusal a validator must give, exactly. */
export interface StrictCase {
    readonly title: string;
    /** The whole args, when not the base arguments plus `args`. */
    readonly whole?: () => unknown;
    readonly args?: Record<string, unknown>;
    /** Every problem, as `[path, expected, got]`. */
    readonly problems: readonly (readonly [string, string, string])[];
}

/**
 * One test per case: `validate` refuses the case's arguments (`base` plus `args`, or
 * `whole`) of the component `component` with exactly its problems, as the refusal prints
 * them, and the message never shows `planted`.
 */
export function itRefusesEach(
    component: ComponentRef,
    validate: (name: string, args: unknown) => readonly Problem[],
    base: Record<string, unknown>,
    cases: readonly StrictCase[],
    planted: string,
): void {
    for (const c of cases) {
        it(`refuses ${c.title}`, () => {
            const args = c.whole ? c.whole() : { ...base, ...c.args };
            const message = formatProblems(component, validate(component.name, args));
            assert.strictEqual(message, formatProblems(component, c.problems.map(([path, expected, value]) => ({ expected, path, value }))));
            assert.ok(!message.includes(planted));
        });
    }
}

/** One argument a validator must refuse with one problem, at `path`. */
export interface BadCase<Args> {
    readonly title: string;
    /** The component name, when not the one the cases are checked with. */
    readonly name?: string;
    readonly args: Partial<Record<keyof Args, unknown>>;
    readonly path: string;
    readonly expected: string;
    /** The value as the refusal shows it. */
    readonly got: string;
}

/**
 * One test per case: `validate` refuses `base` plus the case's args with exactly one
 * problem, at its path, printed as the case says.
 */
export function itRefusesEachAt<Args>(
    component: ComponentRef,
    validate: (name: string, args: Args) => readonly Problem[],
    base: Args,
    cases: readonly BadCase<Args>[],
): void {
    for (const c of cases) {
        it(`refuses ${c.title} at ${c.path}`, () => {
            const problems = validate(c.name ?? component.name, { ...base, ...c.args } as Args);
            assert.deepStrictEqual(problems.map((p) => p.path), [c.path]);
            assert.strictEqual(formatProblems(component, problems), formatProblems(component, [{ expected: c.expected, path: c.path, value: c.got }]));
        });
    }
}
