import { Problem } from "../../components/common/validation";

/** Each problem as the user reads it: `path: expectation (got value)`. */
export function lines(problems: readonly Problem[]): string[] {
    return problems.map((p) => `${p.path}: ${p.expected} (got ${p.value})`);
}
