import type { Server } from 'node:http';
import { awaitShutdownStep, ShutdownStep } from '@orderflow/messaging';

const IDLE_SWEEP_MS = 50;

/**
 * The HTTP side of a stop, beside the consumer's: no new connections, idle keep-alive connections
 * closed, the requests in flight answered within a first step's share of SHUTDOWN_TIMEOUT_MS. A
 * gateway request waits for a reply over Kafka for up to KAFKA_REQUEST_TIMEOUT_MS, and with the broker
 * unreachable each one takes all of it; past the share their connections are closed, and a client
 * retries with its Idempotency-Key. Nest's own close comes later and finds the server closed.
 */
export async function drainHttp(server: Server, options: Pick<ShutdownStep, 'settings' | 'logger'>): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // `close` ends the connections idle at that moment; a keep-alive connection whose request is still
  // in flight stays open after its answer, so idle ones are ended again until none is left.
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  try {
    await awaitShutdownStep(closed, {
      ...options,
      share: 'first-step',
      overrun: 'HTTP requests were still in flight',
      then: 'closing their connections',
    });
  } finally {
    clearInterval(sweep);
  }
  server.closeAllConnections();
}
