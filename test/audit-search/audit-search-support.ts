import { expect } from '@jest/globals';
import { Kafka, RecordMetadata } from 'kafkajs';
import type { OrderSearchResult } from '@orderflow/contracts';
import { eventually } from '../support/eventually';
import { Http } from '../support/http';

/** A word the English stemmer leaves alone (no vowels, so no suffix to strip), unique per call. */
export function uniqueWord(): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  return Array.from({ length: 10 }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
}

/** Waits until `group` has committed past every record sent: the consumer has handled them. */
export async function handledBy(kafka: Kafka, group: string, sent: RecordMetadata[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await eventually(
      async () => {
        for (const record of sent) {
          const [committed] = await admin.fetchOffsets({ groupId: group, topics: [record.topicName] });
          const partition = committed.partitions.find((entry) => entry.partition === record.partition);
          expect(Number(partition?.offset ?? -1)).toBeGreaterThan(Number(record.baseOffset));
        }
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  } finally {
    await admin.disconnect();
  }
}

export async function searchOrders(http: Http, query: Record<string, string | number>): Promise<OrderSearchResult> {
  const parameters = new URLSearchParams(
    Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]),
  );
  const response = await http.get<OrderSearchResult>(`/search/orders?${parameters}`);
  expect(response.status).toBe(200);
  return response.body;
}

/** Follows `nextCursor` to the end; every order id of every page, in page order. */
export async function allPages(http: Http, query: Record<string, string | number>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: OrderSearchResult = await searchOrders(http, cursor ? { ...query, cursor } : query);
    ids.push(...page.items.map((item) => item.orderId));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}
