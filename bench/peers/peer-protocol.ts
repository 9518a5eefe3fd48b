/**
 * Benchmark peers are separate processes (as in production, the caller and the handler never share
 * an event loop). They speak to the runner with one JSON line on stdout per event; a responder's
 * `ready` says the Kafka settings it runs with (describeKafkaOptions), for the report.
 */
export type PeerReport =
  { ready: true; kafka?: Record<string, string> } | { done: true; count: number; firstAt: number; lastAt: number };

export function report(message: PeerReport): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

export function argument(name: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (!value) throw new Error(`--${name} is required`);
  return value;
}

/**
 * Counts handled messages and reports once, when `expected` have been seen. A batch may carry the count
 * past `expected` (a topic reused on a long-lived broker holds more than this run produced).
 */
export class CompletionCounter {
  private count = 0;
  private firstAt = 0;

  constructor(private readonly expected: number) {}

  seen(messages = 1): void {
    if (this.count === 0) this.firstAt = Date.now();
    const before = this.count;
    this.count += messages;
    if (before < this.expected && this.count >= this.expected)
      report({ done: true, count: this.count, firstAt: this.firstAt, lastAt: Date.now() });
  }
}
