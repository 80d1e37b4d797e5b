import { defineCatalog } from '../catalog';
import { defineServiceStatusRpc } from '../platform';
import { defineServiceQuotasRpc } from '../quotas';
import {
  provisionInstanceBuildCommand,
  provisionInstanceCommand,
  sendNotificationCommand,
  terminateRequestedCommand,
} from './commands';
import {
  instanceBuildFinishedEvent,
  instanceBuildStartedEvent,
  instanceLifecycleReportedEvent,
  instanceStateChangedEvent,
  instanceTerminatedEvent,
} from './events';
import { createAutoscalingGroupBuildRpc, provisionAutoscalingGroupBuildCommand } from './autoscaling-group-build';
import { completeLifecycleActionCommand, confirmSnsSubscriptionCommand, receiveSnsMessageRpc } from './sns-messages';
import { activateImageRpc, listImagesRpc, registerImageRpc } from './image-rpcs';
import { INSTANCE_BROKER_SERVICE } from './instance';
import {
  createInstanceBuildRpc,
  getInitScriptRpc,
  getInstanceBuildRpc,
  reportInstanceLifecycleRpc,
  updateInstanceBuildRpc,
} from './instance-build-rpcs';
import { heartbeatInstanceRpc } from './instance-heartbeat-rpcs';
import {
  createInstanceRpc,
  getInstanceRpc,
  listInstancesRpc,
  readInstanceConsoleRpc,
  terminateInstanceRpc,
} from './instance-rpcs';

export * from './instance';
export * from './instance-build';
export * from './image';
export * from './instance-rpcs';
export * from './instance-build-rpcs';
export * from './instance-heartbeat-rpcs';
export * from './image-rpcs';
export * from './commands';
export * from './events';
export * from './autoscaling-group-build';
export * from './sns-messages';

export const instanceBrokerStatusRpc = defineServiceStatusRpc(INSTANCE_BROKER_SERVICE);
export const instanceBrokerQuotasRpc = defineServiceQuotasRpc(INSTANCE_BROKER_SERVICE);

/** Every RPC the broker answers (the gateway calls these). */
export const instanceBrokerRpcs = defineCatalog(
  createInstanceRpc,
  getInstanceRpc,
  listInstancesRpc,
  terminateInstanceRpc,
  readInstanceConsoleRpc,
  createInstanceBuildRpc,
  getInstanceBuildRpc,
  updateInstanceBuildRpc,
  getInitScriptRpc,
  reportInstanceLifecycleRpc,
  heartbeatInstanceRpc,
  createAutoscalingGroupBuildRpc,
  receiveSnsMessageRpc,
  listImagesRpc,
  registerImageRpc,
  activateImageRpc,
  instanceBrokerStatusRpc,
  instanceBrokerQuotasRpc,
);

/** The broker's own work queue. */
export const instanceBrokerCommands = defineCatalog(
  provisionInstanceCommand,
  terminateRequestedCommand,
  provisionInstanceBuildCommand,
  sendNotificationCommand,
  provisionAutoscalingGroupBuildCommand,
  confirmSnsSubscriptionCommand,
  completeLifecycleActionCommand,
);

/** Facts the broker publishes on the topic exchange. */
export const instanceEvents = defineCatalog(
  instanceStateChangedEvent,
  instanceTerminatedEvent,
  instanceBuildStartedEvent,
  instanceBuildFinishedEvent,
  instanceLifecycleReportedEvent,
);
