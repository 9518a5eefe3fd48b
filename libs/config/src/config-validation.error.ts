/** One bad or missing variable: its name and what is wrong with it, never its value. */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

/** `VARIABLE: what is wrong`. */
export function describeProblem({ variable, problem }: ConfigProblem): string {
  return `${variable}: ${problem}`;
}

/** A bad environment, one line per bad or missing variable; the values themselves are never echoed. */
export class ConfigValidationError extends Error {
  /** `VARIABLE: what is wrong`, one per problem. */
  readonly problems: string[];

  constructor(readonly issues: readonly ConfigProblem[]) {
    const problems = issues.map(describeProblem);
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
    this.problems = problems;
  }
}
