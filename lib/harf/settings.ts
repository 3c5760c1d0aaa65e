/** Harf's polling defaults, free of the client's imports, so a node that only shows them loads nothing else. */

/** How waitForTasks paces its checks when not told otherwise (the user's settings start from these). */
export const DEFAULT_POLLING = {
  intervalMs: 2000,
  backoffFactor: 1.5,
  maxIntervalMs: 30_000,
  timeoutMs: 30 * 60_000,
  /** Status requests under way at once. */
  concurrency: 4,
} as const;
