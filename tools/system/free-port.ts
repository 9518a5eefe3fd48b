import { createServer } from 'node:net';

/**
 * Ports are picked below Linux's ephemeral range (32768–60999 by default). A port the OS hands out
 * for `listen(0)` comes from that range, the same one every outgoing connection (kafkajs, pg) takes
 * its local port from: between the check here and the app's own bind, one of the many connections
 * a starting system opens could take it, and the app would fail with EADDRINUSE.
 */
const RANGE = { from: 20_000, to: 32_767 };
const ATTEMPTS = 200;
/** Never the same port twice in one process: a port handed out is free until its app binds it. */
const handedOut = new Set<number>();

/** A TCP port that nothing listens on right now and that this process has not handed out before. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = RANGE.from + Math.floor(Math.random() * (RANGE.to - RANGE.from + 1));
    if (handedOut.has(port) || !(await isPortFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free TCP port between ${RANGE.from} and ${RANGE.to} after ${ATTEMPTS} attempts`);
}

/** Whether nothing listens on `port`, on any address (an app binds all of them). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}
