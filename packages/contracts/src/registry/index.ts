import { defineCatalog } from '../catalog';
import { defineServiceStatusRpc } from '../platform';
import { datacenterStateChangedEvent, deploymentPlacedEvent } from './events';
import { REGISTRY_SERVICE } from './registry';
import {
  createAccountRpc,
  createDatacenterRpc,
  createDeploymentRpc,
  datacenterHeartbeatRpc,
  deleteDatacenterRpc,
  deleteDeploymentRpc,
  getDatacenterRpc,
  getDeploymentRpc,
  listDatacentersRpc,
  listDeploymentEventsRpc,
  listDeploymentsRpc,
  matchDatacentersRpc,
  notifyDeploymentRpc,
  updateDatacenterRpc,
  updateDeploymentRpc,
  validateDeploymentRpc,
} from './registry-rpcs';

export * from './registry';
export * from './registry-rpcs';
export * from './events';

export const registryStatusRpc = defineServiceStatusRpc(REGISTRY_SERVICE);

/** Every RPC the registry answers (the gateway calls these; heartbeats come from datacenter agents). */
export const registryRpcs = defineCatalog(
  createAccountRpc,
  createDatacenterRpc,
  listDatacentersRpc,
  getDatacenterRpc,
  updateDatacenterRpc,
  deleteDatacenterRpc,
  matchDatacentersRpc,
  datacenterHeartbeatRpc,
  validateDeploymentRpc,
  createDeploymentRpc,
  listDeploymentsRpc,
  getDeploymentRpc,
  updateDeploymentRpc,
  deleteDeploymentRpc,
  listDeploymentEventsRpc,
  notifyDeploymentRpc,
  registryStatusRpc,
);

/** Facts the registry publishes on the topic exchange. */
export const registryEvents = defineCatalog(deploymentPlacedEvent, datacenterStateChangedEvent);
