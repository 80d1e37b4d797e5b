import { defineCatalog } from '../catalog';
import { defineServiceStatusRpc } from '../platform';
import { defineServiceQuotasRpc } from '../quotas';
import { APP_MANAGER_SERVICE } from './app';
import {
  appDriftRpc,
  createAppRpc,
  createDistrictRpc,
  deleteAppRpc,
  deleteDistrictRpc,
  getAppRpc,
  getDistrictRpc,
  getOneoffRpc,
  getReleaseRpc,
  launchInstancesRpc,
  listAppEventsRpc,
  listAppsRpc,
  listDistrictsRpc,
  listReleasesRpc,
  rollbackReleaseRpc,
  runOneoffRpc,
  scaleServiceRpc,
  setEnvVarsRpc,
  unsetEnvVarsRpc,
  updateAppRpc,
  updateDistrictRpc,
} from './app-rpcs';
import {
  advanceDeployCommand,
  appDeployedEvent,
  launchContainerInstancesCommand,
  removeAppCommand,
  runOneoffTaskCommand,
  slackNoticeCommand,
} from './commands';

export * from './app';
export * from './app-rpcs';
export * from './commands';

export const appManagerStatusRpc = defineServiceStatusRpc(APP_MANAGER_SERVICE);
/** The tenant's districts and apps against their limits (`GET /quotas` lists them beside the broker's instances). */
export const appManagerQuotasRpc = defineServiceQuotasRpc(APP_MANAGER_SERVICE);

/** Every RPC the app manager answers (the gateway calls these). */
export const appManagerRpcs = defineCatalog(
  createDistrictRpc,
  listDistrictsRpc,
  getDistrictRpc,
  updateDistrictRpc,
  deleteDistrictRpc,
  launchInstancesRpc,
  createAppRpc,
  listAppsRpc,
  getAppRpc,
  updateAppRpc,
  deleteAppRpc,
  setEnvVarsRpc,
  unsetEnvVarsRpc,
  scaleServiceRpc,
  runOneoffRpc,
  getOneoffRpc,
  listReleasesRpc,
  getReleaseRpc,
  rollbackReleaseRpc,
  listAppEventsRpc,
  appDriftRpc,
  appManagerStatusRpc,
  appManagerQuotasRpc,
);

/** The app manager's work queue. */
export const appManagerCommands = defineCatalog(
  advanceDeployCommand,
  runOneoffTaskCommand,
  removeAppCommand,
  launchContainerInstancesCommand,
  slackNoticeCommand,
);

export const appEvents = defineCatalog(appDeployedEvent);
