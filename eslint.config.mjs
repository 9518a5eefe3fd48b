import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import tseslint from 'typescript-eslint';

const apps = ['gateway', 'orders', 'inventory', 'payments', 'notifications', 'audit', 'search', 'analytics'];

/**
 * The libs from the bottom up: each imports only libs before it (contracts none), so the graph of libs/
 * has no cycle. import-x/no-cycle also catches a cycle between the files of libs/, inside a lib or across.
 */
const libs = ['contracts', 'config', 'persistence', 'messaging', 'observability', 'runtime'];

/**
 * A lib's entries are tsconfig.json's paths (which Jest maps too): its index, `@orderflow/<lib>`, and the
 * second entries declared there (the AsyncAPI documents; a testing entry, for specs only). Nothing deeper.
 */
const entries = Object.keys(
  JSON.parse(readFileSync(path.join(import.meta.dirname, 'tsconfig.json'), 'utf8')).compilerOptions.paths,
);
const secondEntries = entries.filter((entry) => entry.split('/').length > 2);
const testingEntries = secondEntries.filter((entry) => entry.endsWith('/testing'));
const specFiles = ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**'];

const deepImport = {
  regex: `^@orderflow/(?!(${secondEntries.map((entry) => entry.slice('@orderflow/'.length)).join('|')})$)[^/]+/`,
  message: `Import a lib through its index, @orderflow/<lib>, or an entry tsconfig.json declares (${secondEntries.join(', ')}).`,
};
const relativeIntoLibs = {
  regex: '^\\.\\.?/(.*/)?libs/',
  message: 'Import a lib through its @orderflow/<lib> alias, never by a relative path into libs/.',
};
const testingOnlyInSpecs = {
  group: testingEntries,
  message: 'Testing helpers are for specs and test/ only (the build leaves them out).',
};

/**
 * One `no-restricted-imports` per file (a later config object replaces the rule, it does not add to it):
 * `patterns` everywhere in `files`, and outside specs the testing entries refused too.
 */
function importRestrictions(files, patterns) {
  const rule = (extra) => ({ 'no-restricted-imports': ['error', { patterns: [...patterns, ...extra] }] });
  return [
    { files, rules: rule([]) },
    { files, ignores: specFiles, rules: rule([testingOnlyInSpecs]) },
  ];
}

function libRestrictions(lib, index) {
  const below = libs.slice(0, index);
  const notAllowed = libs.slice(index);
  const message =
    lib === 'contracts'
      ? 'libs/contracts imports nothing of ours: it is the language the services speak.'
      : `libs/${lib} imports only ${below.join(', ')} of our libs (bottom up: ${libs.join(' ← ')}), so libs/ has no cycle.`;
  const otherLibs = libs.filter((other) => other !== lib).join('|');
  return importRestrictions(
    [`libs/${lib}/**/*.ts`],
    [
      { group: notAllowed.flatMap((other) => [`@orderflow/${other}`, `@orderflow/${other}/**`]), message },
      deepImport,
      relativeIntoLibs,
      {
        regex: `^(\\.\\./)+(${otherLibs})(/|$)`,
        message: 'Import another lib through its @orderflow/<lib> alias, never by a relative path.',
      },
      { regex: '^\\.\\.?/(.*/)?apps/', message: 'A lib never imports an app.' },
    ],
  );
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-bench/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'tools/kafka/lib/**',
      'streams/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS, as Jest loads it: it reads the libs' entries from tsconfig.json with require.
    files: ['jest.config.js'],
    rules: { '@typescript-eslint/no-require-imports': ['error', { allow: ['/tsconfig\\.json$'] }] },
  },
  {
    // In libs/, where a cycle would tangle what apps build on. Apps keep TypeORM's two-way relations
    // (an order and its lines import each other), which the decorators read lazily.
    files: ['libs/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
      // Without these, import-x reads only .js files and follows no import through a .ts one: no cycle is found.
      'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // Outside libs/: libs only through their entries, and an app never imports another app.
  ...importRestrictions(
    ['tools/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'k8s/**/*.ts'],
    [deepImport, relativeIntoLibs],
  ),
  ...apps.flatMap((app) =>
    importRestrictions(
      [`apps/${app}/**/*.ts`],
      [
        {
          group: [`**/apps/!(${app})/**`, `apps/!(${app})/**`],
          message: 'An app never imports another app: share through libs/ or Kafka.',
        },
        {
          // `../../../orders/src/...` from apps/gateway/src/<feature>/ (the gateway has an `orders` feature too).
          regex: `^(\\.\\./)+(${apps.filter((other) => other !== app).join('|')})/src(/|$)`,
          message: 'An app never imports another app: share through libs/ or Kafka.',
        },
        deepImport,
        relativeIntoLibs,
      ],
    ),
  ),
  ...libs.flatMap(libRestrictions),
);
