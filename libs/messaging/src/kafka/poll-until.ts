export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  /** The error when the time is up and the last check answered false (not thrown). */
  timedOut: () => Error;
}

/**
 * Asks `check` every `intervalMs` until it answers true; a check that throws is asked again too.
 * When `timeoutMs` has passed: the last check's error, or `timedOut()` if it answered false.
 */
export async function pollUntil(check: () => Promise<boolean>, options: PollOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      if (await check()) return;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) throw failure ?? options.timedOut();
    await new Promise((wake) => setTimeout(wake, options.intervalMs));
  }
}
