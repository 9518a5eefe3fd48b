/**
 * Writes the generated section of docs/saga.md (between its saga-table markers) from the saga's table,
 * apps/orders/src/orders/order-saga-table.ts. `npm run docs:saga`; with `--check` it lists the file when
 * stale and exits 1, which a unit spec runs.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { formatted, writeOrCheck } from '../generated-files';
import { repositoryRoot } from '../system/repository-root';
import { withSagaSection } from './saga-markdown';

const SAGA_DOC = 'docs/saga.md';

export async function sagaDocFiles(): Promise<Map<string, string>> {
  const current = fs.readFileSync(path.join(repositoryRoot(), SAGA_DOC), 'utf8');
  return formatted(new Map([[SAGA_DOC, withSagaSection(current)]]));
}

async function main(argv: string[]): Promise<void> {
  writeOrCheck(await sagaDocFiles(), argv);
  if (process.exitCode === 1) process.stdout.write('run `npm run docs:saga` to refresh it\n');
}

if (require.main === module) void main(process.argv.slice(2));
