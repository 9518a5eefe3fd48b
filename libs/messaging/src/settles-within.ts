/**
 * Waits for `promise` at most `ms`: true if it settled (resolved or rejected) in time, false if not.
 * The promise is not cancelled; a later rejection is absorbed, so giving up never leaves it unhandled.
 */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = promise.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}
