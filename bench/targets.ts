/** The issue's targets: the one place both the reports' `target` text and the printed table take them from. */
export const Targets = {
  requestReplyP50: 1.5,
  requestReplyP99: 2,
  consumption: 0.8,
  ordersPerSecond: 300,
  terminalP99Ms: 1_000,
  idleRssMb: 150,
  searchLagP99Ms: 1_000,
} as const;
