export { createAwsContainerPlatform } from './aws-container-platform';
export type { AwsContainerClients, AwsContainerOptions } from './aws-container-clients';
export { eventBridgeScheduleOf } from './aws-schedules';
