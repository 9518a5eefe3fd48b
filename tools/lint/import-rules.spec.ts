import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from '../system/repository-root';

/**
 * The import rules of eslint.config.mjs, run by ESLint itself (its Node API, in lint-texts.mjs) on code
 * that keeps or breaks them. Each text is linted as the file at its path (nothing is written), so the
 * config of that place applies and import-x resolves its imports against the real libs.
 */
interface Problem {
  ruleId: string | null;
  message: string;
}

const root = repositoryRoot();
const messagingIndex = 'libs/messaging/src/index.ts';

const cases = {
  indexImport: {
    filePath: 'apps/analytics/src/analytics/lint-probe.ts',
    text: "import { centsColumn } from '@orderflow/persistence';\n\nexport const column = centsColumn;\n",
  },
  deepImport: {
    filePath: 'apps/analytics/src/analytics/lint-probe.ts',
    text: "import { centsColumn } from '@orderflow/persistence/cents-column';\n\nexport const column = centsColumn;\n",
  },
  relativeIntoAnotherLib: {
    filePath: 'libs/observability/src/logging/lint-probe.ts',
    text: "import { messagesOf } from '../../../messaging/src/kafka/kafka-batch-context';\n\nexport const of = messagesOf;\n",
  },
  // messaging's index re-exporting observability, whose files import messaging's index.
  cycleBetweenLibs: {
    filePath: messagingIndex,
    text: `${readFileSync(path.join(root, messagingIndex), 'utf8')}export * from '@orderflow/observability';\n`,
  },
  testingEntryOutsideSpecs: {
    filePath: 'apps/search/src/search/lint-probe.ts',
    text: "import { useTestDatabase } from '@orderflow/persistence/testing';\n\nexport const use = useTestDatabase;\n",
  },
  testingEntryInSpec: {
    filePath: 'apps/search/src/search/lint-probe.spec.ts',
    text: "import { useTestDatabase } from '@orderflow/persistence/testing';\n\nexport const use = useTestDatabase;\n",
  },
  anotherApp: {
    filePath: 'apps/gateway/src/orders/lint-probe.ts',
    text: "import { OrdersModule } from '../../../orders/src/orders/orders.module';\n\nexport const Module = OrdersModule;\n",
  },
};

describe('the import rules', () => {
  const problems = {} as Record<keyof typeof cases, Problem[]>;

  beforeAll(() => {
    const names = Object.keys(cases) as (keyof typeof cases)[];
    const linted = spawnSync(process.execPath, [path.join(__dirname, 'lint-texts.mjs')], {
      cwd: root,
      input: JSON.stringify(names.map((name) => cases[name])),
      encoding: 'utf8',
    });
    if (linted.status !== 0) throw new Error(`lint-texts.mjs failed: ${linted.stderr}`);
    const results = JSON.parse(linted.stdout) as Problem[][];
    names.forEach((name, index) => (problems[name] = results[index]));
  }, 180_000);

  const refusedBy = (ruleId: string, saying: string) =>
    expect.objectContaining({ ruleId, message: expect.stringContaining(saying) });

  it('pass an import of a lib through its index', () => {
    expect(problems.indexImport).toEqual([]);
  });

  it('refuse a deep import into a lib', () => {
    expect(problems.deepImport).toEqual([refusedBy('no-restricted-imports', 'through its index')]);
  });

  it('refuse a relative import into another lib', () => {
    expect(problems.relativeIntoAnotherLib).toEqual([refusedBy('no-restricted-imports', 'relative path')]);
  });

  it('refuse a cycle between two libs, both as a cycle and as a lib importing one above it', () => {
    expect(problems.cycleBetweenLibs).toEqual([
      refusedBy('import-x/no-cycle', 'Dependency cycle'),
      refusedBy('no-restricted-imports', 'libs/messaging imports only contracts, config, persistence'),
    ]);
  });

  it('refuse the testing entry outside specs, and allow it in a spec', () => {
    expect(problems.testingEntryOutsideSpecs).toEqual([refusedBy('no-restricted-imports', 'for specs')]);
    expect(problems.testingEntryInSpec).toEqual([]);
  });

  it('refuse an app importing another app', () => {
    expect(problems.anotherApp).toEqual([refusedBy('no-restricted-imports', 'another app')]);
  });
});
