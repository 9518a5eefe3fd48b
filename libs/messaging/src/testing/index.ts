// A second entry of libs/messaging (@orderflow/messaging/testing), for specs only.
export * from './relay-woken-by-hand';
