// Two projects: unit specs beside the code, e2e suites in test/ against a real broker and database.
// The libs' entries are tsconfig.json's paths, each one exactly (a lib is reached through its index).
const { paths } = require('./tsconfig.json').compilerOptions;
const aliases = Object.fromEntries(
  Object.entries(paths).map(([entry, [target]]) => [`^${entry}$`, `<rootDir>/${target}`]),
);
/**
 * @nestjs/typeorm declares `const require = createRequire(import.meta.url)`. The CommonJS transform renames
 * that binding and, with it, the `require` calls it writes for the module's own imports, which then run
 * before the binding exists ("Cannot access '_require' before initialization"). Renamed first, it is out
 * of the way, and a lib's index that reaches @nestjs/typeorm loads in Jest like any other module.
 */
function renameModuleRequire() {
  return {
    visitor: {
      Program(path) {
        if (path.scope.hasOwnBinding('require')) path.scope.rename('require', 'moduleRequire');
      },
    },
  };
}
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  // Nest 12 and jose ship ES modules only, and Jest's own module loader cannot require them (Node's
  // require of ES modules does not apply inside Jest): compile them to CommonJS.
  '^.+\\.js$': [
    'babel-jest',
    {
      babelrc: false,
      configFile: false,
      plugins: [renameModuleRequire, 'babel-plugin-transform-import-meta', '@babel/plugin-transform-modules-commonjs'],
    },
  ],
};
const transformIgnorePatterns = ['/node_modules/(?!@nestjs/|jose/)'];
/** The three-broker suite runs in a project of its own (`npm run test:cluster`). */
const CLUSTER_SUITE = 'test/failure/broker-cluster.e2e-spec.ts';

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
      testPathIgnorePatterns: [CLUSTER_SUITE],
      moduleNameMapper: aliases,
      transform,
      transformIgnorePatterns,
      setupFiles: ['reflect-metadata'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'],
    },
    {
      // Starts its own three-broker cluster and system: without the e2e global setup, whose broker and
      // system would idle beside it on the same two cores.
      displayName: 'cluster',
      rootDir: __dirname,
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: [`<rootDir>/${CLUSTER_SUITE}`],
      moduleNameMapper: aliases,
      transform,
      transformIgnorePatterns,
      setupFiles: ['reflect-metadata'],
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'],
    },
  ],
};
