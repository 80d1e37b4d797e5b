export { batchPerTurn } from './batch-per-turn';
export { PerTurnGroups } from './per-turn-groups';
