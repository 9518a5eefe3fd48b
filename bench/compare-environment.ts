import { delimiter } from 'node:path';

/**
 * The environment each side's `npm run bench -- saga` gets: this one, as a clean clone's shell would
 * have it, with the chosen Node first on PATH. Left out: the variables npm set for this run (they
 * describe this checkout, e.g. npm_config_local_prefix; each side's npm reads the .npmrc files again,
 * so an npm_config_* set by hand in the shell is not passed on), and KAFKA_BROKERS, so each run
 * starts a broker of its own.
 */
export function sideEnvironment(environment: NodeJS.ProcessEnv, nodeBinDirectory: string): NodeJS.ProcessEnv {
  const kept = Object.entries(environment).filter(
    ([name]) => !name.startsWith('npm_') && name !== 'INIT_CWD' && name !== 'KAFKA_BROKERS',
  );
  const path = environment.PATH ? `${nodeBinDirectory}${delimiter}${environment.PATH}` : nodeBinDirectory;
  return { ...Object.fromEntries(kept), PATH: path };
}
