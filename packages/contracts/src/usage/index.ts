import { defineCatalog } from '../catalog';
import { defineServiceStatusRpc } from '../platform';
import { IMAGE_INSPECTOR_SERVICE } from './usage';
import {
  accountsReportRpc,
  challengeMachineImageRpc,
  createCloudAccountRpc,
  dailyUsageReportRpc,
  getCloudAccountRpc,
  getMachineImageRpc,
  getPowerEventRpc,
  getTrackedInstanceRpc,
  imagesReportRpc,
  ingestActivityLogRpc,
  listCloudAccountsRpc,
  listMachineImagesRpc,
  listPowerEventsRpc,
  listTrackedInstancesRpc,
  openImageInspectionRpc,
  renameCloudAccountRpc,
  usageSysconfigRpc,
} from './usage-rpcs';

export * from './usage';
export * from './usage-rpcs';

export const imageInspectorStatusRpc = defineServiceStatusRpc(IMAGE_INSPECTOR_SERVICE);

/** Every RPC the image inspector answers (the gateway's cloudigrade routes call these). */
export const imageInspectorRpcs = defineCatalog(
  createCloudAccountRpc,
  listCloudAccountsRpc,
  getCloudAccountRpc,
  renameCloudAccountRpc,
  listTrackedInstancesRpc,
  getTrackedInstanceRpc,
  listPowerEventsRpc,
  getPowerEventRpc,
  listMachineImagesRpc,
  getMachineImageRpc,
  challengeMachineImageRpc,
  openImageInspectionRpc,
  ingestActivityLogRpc,
  dailyUsageReportRpc,
  accountsReportRpc,
  imagesReportRpc,
  usageSysconfigRpc,
  imageInspectorStatusRpc,
);
