import { Retry } from './persistent-client';

/**
 * The 5xx answers the API documents as passing states: 504, "did not answer in time" or "could not be
 * reached", "the request may still take effect" (apps/gateway/src/http/http-errors.ts), which a careful
 * client retries with the same Idempotency-Key; and 503 "starting" from a gateway that holds its port
 * but does not serve yet (libs/runtime/src/not-ready-server.ts): the request never reached it. Any
 * other 5xx is a server error the retries would otherwise hide.
 */
export const DOCUMENTED_SERVER_ERRORS: readonly number[] = [504];
const STARTING = '"message":"starting"';

function isDocumented(retry: Retry): boolean {
  if (retry.status === undefined || DOCUMENTED_SERVER_ERRORS.includes(retry.status)) return true;
  return retry.status === 503 && (retry.answer ?? '').includes(STARTING);
}

/** Every retry of a run's clients, counted by cause, with the server errors the API does not document. */
export class ClientRetries {
  private readonly byCause = new Map<string, number>();
  private readonly undocumented: string[] = [];

  add(request: string, retries: readonly Retry[]): void {
    for (const retry of retries) {
      this.byCause.set(retry.cause, (this.byCause.get(retry.cause) ?? 0) + 1);
      if (!isDocumented(retry)) {
        this.undocumented.push(`${request}: ${retry.status} ${retry.answer ?? ''}`.trim());
      }
    }
  }

  get total(): number {
    return [...this.byCause.values()].reduce((sum, count) => sum + count, 0);
  }

  /** Count per cause, e.g. `{ 'HTTP 504': 3, 'network ECONNREFUSED': 12 }`. */
  get causes(): Record<string, number> {
    return Object.fromEntries([...this.byCause].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** The 5xx answers other than the documented ones, one line per answer. */
  get undocumentedServerErrors(): readonly string[] {
    return this.undocumented;
  }

  summary(): string {
    const causes = Object.entries(this.causes).map(([cause, count]) => `${cause} ${count}`);
    return `${this.total} client retries${causes.length > 0 ? ` (${causes.join(', ')})` : ''}`;
  }
}
