// Two projects: unit specs beside the code, e2e suites in test/ against a real broker and database.
const aliases = {
  '^@orderflow/(contracts|messaging|persistence|observability|config)$': '<rootDir>/libs/$1/src',
  '^@orderflow/(contracts|messaging|persistence|observability|config)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  // Nest 12 ships ES modules only, which Jest cannot require on Node 20: compile them to CommonJS.
  '^.+\\.js$': [
    'babel-jest',
    {
      babelrc: false,
      configFile: false,
      plugins: ['babel-plugin-transform-import-meta', '@babel/plugin-transform-modules-commonjs'],
    },
  ],
};
const transformIgnorePatterns = ['/node_modules/(?!@nestjs/)'];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/bench', '<rootDir>/test/operations'],
      testMatch: ['**/*.spec.ts'],
      moduleNameMapper: aliases,
      transform,
      transformIgnorePatterns,
      setupFiles: ['reflect-metadata'],
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      moduleNameMapper: aliases,
      transform,
      transformIgnorePatterns,
      setupFiles: ['reflect-metadata'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'],
    },
  ],
};
