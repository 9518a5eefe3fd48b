import { pollUntil } from './poll-until';

describe('pollUntil', () => {
  const options = { timeoutMs: 200, intervalMs: 5, timedOut: () => new Error('still not there') };

  it('returns as soon as the check answers true, asking again after a false or a failure', async () => {
    const answers = [false, 'fail', true];
    let asked = 0;
    await pollUntil(async () => {
      const answer = answers[asked++];
      if (answer === 'fail') throw new Error('not yet');
      return answer as boolean;
    }, options);
    expect(asked).toBe(3);
  });

  it('throws the timed-out error when the check kept answering false', async () => {
    await expect(pollUntil(async () => false, options)).rejects.toThrow('still not there');
  });

  it("throws the last check's own error when it kept failing", async () => {
    await expect(
      pollUntil(async () => {
        throw new Error('coordinator not available');
      }, options),
    ).rejects.toThrow('coordinator not available');
  });
});
