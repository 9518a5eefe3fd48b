interface Pending<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items submitted while a write is running are written together by the next one, so
 * under load many handlers share one transaction and its round trips, and with nothing else going on
 * an item is written at once, alone. Each caller's promise settles when its own item is written. A
 * batch that fails is written again one item at a time, so a bad item fails alone and the others go
 * through.
 */
export class GroupCommit<T> {
  private queue: Pending<T>[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 200,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.startWriting();
    });
  }

  private startWriting(): void {
    if (this.writing) return;
    this.writing = this.writeQueued().finally(() => {
      this.writing = undefined;
      // Submitted after the loop saw an empty queue, before this ran.
      if (this.queue.length > 0) this.startWriting();
    });
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.write(batch.map(({ item }) => item));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        if (batch.length === 1) batch[0].reject(error);
        else for (const pending of batch) await this.write([pending.item]).then(pending.resolve, pending.reject);
      }
    }
  }
}
