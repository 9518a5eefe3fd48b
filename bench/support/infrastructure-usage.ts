import { Client } from 'pg';
import { processUsage } from './process-usage';

/** CPU seconds of the processes beside the apps, by pid, at one moment. */
export interface InfrastructureUsage {
  broker?: number;
  /** The PostgreSQL backends serving the run's databases (a pool's connections live through the levels). */
  postgres: Map<number, number>;
}

/**
 * The server's shared background processes (WAL writer, checkpointer) are left out: the server may serve
 * others on this machine too. A backend that ended between two readings loses its share.
 */
export async function infrastructureUsage(
  brokerPid: number | undefined,
  serverUrl: string,
  databasePrefix: string,
): Promise<InfrastructureUsage> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE left(datname, length($1)) = $1',
      [databasePrefix],
    );
    const postgres = new Map<number, number>();
    for (const { pid } of rows) {
      const seconds = cpuSecondsOf(pid);
      if (seconds !== undefined) postgres.set(pid, seconds);
    }
    return { broker: brokerPid === undefined ? undefined : cpuSecondsOf(brokerPid), postgres };
  } finally {
    await client.end();
  }
}

/** CPU seconds per 1 000 orders between two readings; a backend first seen at the end counts from zero. */
export function infrastructureCpuPer1000Orders(
  start: InfrastructureUsage,
  end: InfrastructureUsage,
  orders: number,
): { broker?: { cpuSecondsPer1000Orders: number }; postgres: { cpuSecondsPer1000Orders: number; backends: number } } {
  const per1000 = (seconds: number) => Math.round(((seconds * 1000) / Math.max(1, orders)) * 100) / 100;
  const postgresSeconds = [...end.postgres].reduce(
    (sum, [pid, seconds]) => sum + seconds - (start.postgres.get(pid) ?? 0),
    0,
  );
  return {
    ...(start.broker !== undefined && end.broker !== undefined
      ? { broker: { cpuSecondsPer1000Orders: per1000(end.broker - start.broker) } }
      : {}),
    postgres: { cpuSecondsPer1000Orders: per1000(postgresSeconds), backends: end.postgres.size },
  };
}

function cpuSecondsOf(pid: number): number | undefined {
  try {
    return processUsage(pid).cpuSeconds;
  } catch {
    return undefined; // ended since it was listed
  }
}
