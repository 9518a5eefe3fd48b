import { portsNeededByStart, refuseTakenPorts } from './start-ports';

/**
 * `npm start`'s first step, before the build: one line and exit 1 when a port it needs is taken, so
 * that a second `npm start` beside a running one is refused at once. start.ts checks again just
 * before it starts anything, in case a port was taken during the build.
 */
portsNeededByStart()
  .then(refuseTakenPorts)
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
