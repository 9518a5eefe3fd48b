/** The Nest apps of the system, in start order, with the HTTP port each uses by default. */
export const appPorts = {
  orders: 3101,
  inventory: 3102,
  payments: 3103,
  notifications: 3104,
  analytics: 3107,
  audit: 3105,
  search: 3106,
  gateway: 3000,
} as const;

export type AppName = keyof typeof appPorts;
export const appNames = Object.keys(appPorts) as AppName[];

/** Apps that own a database (all but the stateless gateway). */
export const appsWithDatabase: readonly AppName[] = appNames.filter((app) => app !== 'gateway');

export function builtEntryPoint(app: AppName): string {
  return `dist/apps/${app}/src/main.js`;
}
