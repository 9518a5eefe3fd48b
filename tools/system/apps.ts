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

/** Each app's MANAGEMENT_PORT by default (`/metrics`): its HTTP port plus 1000, as in its env schema. */
export function managementPortOf(app: AppName): number {
  return appPorts[app] + 1000;
}

/** Apps that own a database (all but the stateless gateway). */
export const appsWithDatabase: readonly AppName[] = appNames.filter((app) => app !== 'gateway');

/**
 * V8 flags every Node app runs with, here and in the image (the Dockerfile's CMD; a test keeps them
 * equal). A young generation of 8 MiB semi-spaces instead of V8's 16 MiB: a smaller idle RSS at the
 * same event throughput (measured in bench/README.md, "Optimisations").
 */
export const nodeOptions = ['--max-semi-space-size=8'] as const;

/**
 * ORDERFLOW_CPU_PROFILE_DIR=<dir> profiles a Node process (node --cpu-prof), written to
 * `<dir>/<name>.cpuprofile` when it stops; no options when it is unset.
 */
export function cpuProfileOptions(name: string): string[] {
  const profileDir = process.env.ORDERFLOW_CPU_PROFILE_DIR;
  return profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

export function builtEntryPoint(app: AppName): string {
  return `dist/apps/${app}/src/main.js`;
}
