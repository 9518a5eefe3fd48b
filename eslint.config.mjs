import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const apps = ['gateway', 'orders', 'inventory', 'payments', 'notifications', 'audit', 'search', 'analytics'];

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
  // An app never imports another app, and libs are reached only through their alias.
  ...apps.map((app) => ({
    files: [`apps/${app}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [`**/apps/!(${app})/**`, `apps/!(${app})/**`],
              message: 'An app never imports another app: share through libs/ or Kafka.',
            },
            { group: ['**/libs/**', '../../libs/*'], message: 'Import libs through their @orderflow/* alias.' },
          ],
        },
      ],
    },
  })),
  {
    files: ['libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@orderflow/*'], message: 'libs/contracts imports nothing of ours.' }] },
      ],
    },
  },
);
