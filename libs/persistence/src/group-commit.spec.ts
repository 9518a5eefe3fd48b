import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes an item at once when nothing else is being written', async () => {
    const writes: number[][] = [];
    const commit = new GroupCommit<number>(async (items) => void writes.push(items));
    await commit.submit(1);
    expect(writes).toEqual([[1]]);
  });

  it('writes the items submitted during a write together, in the next one', async () => {
    const writes: number[][] = [];
    let releaseFirst!: () => void;
    const firstWrite = new Promise<void>((resolve) => (releaseFirst = resolve));
    const commit = new GroupCommit<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await firstWrite;
    });
    const first = commit.submit(1);
    const later = [2, 3, 4].map((item) => commit.submit(item));
    releaseFirst();
    await Promise.all([first, ...later]);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('settles a promise only when its own item is written', async () => {
    let written = false;
    const commit = new GroupCommit<number>(async () => {
      await Promise.resolve();
      written = true;
    });
    await commit.submit(1);
    expect(written).toBe(true);
  });

  it('fails only the bad item of a failing batch: the others are written one by one', async () => {
    let releaseFirst!: () => void;
    const firstWrite = new Promise<void>((resolve) => (releaseFirst = resolve));
    const written: number[] = [];
    const commit = new GroupCommit<number>(async (items) => {
      if (items.length === 1 && items[0] === 0) return firstWrite;
      if (items.includes(13)) throw new Error('bad item 13');
      written.push(...items);
    });
    const first = commit.submit(0);
    const results = [12, 13, 14].map((item) =>
      commit.submit(item).then(
        () => 'ok',
        (error: Error) => error.message,
      ),
    );
    releaseFirst();
    await first;
    expect(await Promise.all(results)).toEqual(['ok', 'bad item 13', 'ok']);
    expect(written).toEqual([12, 14]);
  });

  it('keeps batches within the size limit', async () => {
    const sizes: number[] = [];
    let releaseFirst!: () => void;
    const firstWrite = new Promise<void>((resolve) => (releaseFirst = resolve));
    const commit = new GroupCommit<number>(async (items) => {
      sizes.push(items.length);
      if (sizes.length === 1) await firstWrite;
    }, 2);
    const all = [0, 1, 2, 3, 4].map((item) => commit.submit(item));
    releaseFirst();
    await Promise.all(all);
    expect(sizes).toEqual([1, 2, 2]);
  });
});
