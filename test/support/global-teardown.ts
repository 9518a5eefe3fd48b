import { tearDown } from './global-setup';

/** Runs after the suites, whether they passed or not. */
export default async function globalTeardown(): Promise<void> {
  const run = globalThis.orderflowE2eRun;
  if (run) await tearDown(run);
}
