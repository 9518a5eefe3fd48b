import { AppProcess } from '../../tools/system/app-process';
import { RunningSystem } from '../../tools/system/system';
import { eventually } from '../support/eventually';

async function readinessStatus(app: AppProcess): Promise<number | string> {
  try {
    const response = await fetch(`${app.url}/health/ready`, { signal: AbortSignal.timeout(3_000) });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Each app's `/health/ready` answers something other than 200 at least once before the deadline. */
export async function expectReadinessDropped(apps: readonly AppProcess[], timeoutMs: number): Promise<void> {
  await Promise.all(
    apps.map((app) =>
      eventually(
        async () =>
          expect({ app: app.name, ready: (await readinessStatus(app)) === 200 }).toEqual({
            app: app.name,
            ready: false,
          }),
        { timeoutMs, intervalMs: 200 },
      ),
    ),
  );
}

/** Every app of the system answers 200 on `/health/ready` again before the deadline. */
export async function expectEveryAppReady(system: RunningSystem, timeoutMs: number): Promise<void> {
  await eventually(
    async () => {
      const statuses = await Promise.all(
        system.all.map(async (app) => ({ app: app.name, status: await readinessStatus(app) })),
      );
      expect(statuses.filter((entry) => entry.status !== 200)).toEqual([]);
    },
    { timeoutMs, intervalMs: 500 },
  );
}
