export { backoffCeilingMs, backoffDelayMs } from './backoff';
export type { BackoffPolicy } from './backoff';
export { batchPerTurn } from './batch-per-turn';
export { PerTurnGroups } from './per-turn-groups';
