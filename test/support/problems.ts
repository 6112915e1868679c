import { Problem, ProblemList } from "../../components/common/validation";

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
