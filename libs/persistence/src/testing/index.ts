// A second entry of libs/persistence (@orderflow/persistence/testing), for specs only: a database per spec file.
export * from './test-database';
