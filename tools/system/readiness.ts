/** What waiting for a process's /health/ready needs to know about that process. */
export interface ReadinessWait {
  /** How errors name the process. */
  name: string;
  /** Its HTTP base URL (no trailing slash). */
  url: string;
  timeoutMs: number;
  /** How it exited (code or signal) once it has; undefined while it runs. */
  exited: () => string | undefined;
  /**
   * Why an answer is not the awaited process's own, or undefined when it is: a port can be held by
   * another system's app (npm start counts as up only its own children).
   */
  foreignAnswer?: (response: Response) => string | undefined;
  /** Appended to an error: where to look next (the end of its log). */
  details: () => string;
}

/**
 * Polls /health/ready until the process answers 200 itself, failing at once when it exits and, at the
 * deadline, with its last answer. Shared by the supervisor (AppProcess) and the image check.
 */
export async function waitUntilReady(wait: ReadinessWait): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  let lastAnswer = 'no answer';
  while (Date.now() < deadline) {
    const exited = wait.exited();
    if (exited !== undefined)
      throw new Error(`${wait.name} exited with ${exited} before it was ready${wait.details()}`);
    try {
      const response = await fetch(`${wait.url}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      const answer = `${response.status} ${(await response.text()).slice(0, 600)}`;
      const foreign = wait.foreignAnswer?.(response);
      if (foreign === undefined && response.ok) return;
      lastAnswer = foreign === undefined ? answer : `${answer}, ${foreign}`;
    } catch (error) {
      lastAnswer = error instanceof Error ? error.message : String(error);
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  throw new Error(
    `${wait.name} was not ready within ${wait.timeoutMs} ms (last /health/ready: ${lastAnswer})${wait.details()}`,
  );
}
