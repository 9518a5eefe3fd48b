/** What `npm run bench -- compare <git ref> [--rounds N] [--quick]` asks for. */
export interface CompareOptions {
  /** The older commit, as the user wrote it (resolved by git later). */
  ref: string;
  /** Runs per side, alternating old, new, old, new. */
  rounds: number;
  /** Passed through to each side's `npm run bench -- saga`. */
  quick: boolean;
}

const DEFAULT_ROUNDS = 2;

export const compareUsage = 'usage: npm run bench -- compare <git ref> [--rounds N] [--quick]';

/** The arguments after `compare`; throws with the usage on anything it does not know. */
export function parseCompareArgs(args: readonly string[]): CompareOptions {
  const refs: string[] = [];
  let rounds = DEFAULT_ROUNDS;
  let quick = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === '--quick') {
      quick = true;
    } else if (arg === '--rounds' || arg.startsWith('--rounds=')) {
      const value = arg === '--rounds' ? args[(index += 1)] : arg.slice('--rounds='.length);
      rounds = Number(value);
      if (!Number.isInteger(rounds) || rounds < 1) {
        throw new Error(`--rounds takes a whole number of at least 1, not ${value ?? 'nothing'}\n${compareUsage}`);
      }
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}\n${compareUsage}`);
    } else {
      refs.push(arg);
    }
  }
  if (refs.length !== 1) {
    throw new Error(
      `${refs.length === 0 ? 'a git ref is required' : `one git ref, not ${refs.join(' ')}`}\n${compareUsage}`,
    );
  }
  return { ref: refs[0], rounds, quick };
}
