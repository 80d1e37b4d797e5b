import type { MessageContext, Quota, RemoveApp } from '@overcast/contracts';
import type {
  AppDraft,
  AppRecord,
  DeployRecord,
  DeployState,
  DistrictRecord,
  DistrictRef,
  EventLevel,
  OneoffRecord,
  ReleaseRecord,
  ReleaseSpec,
} from './records';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface NewEvent {
  level: EventLevel;
  message: string;
}

export interface DistrictFields {
  provider: string;
  aws: Record<string, string | null>;
  sealedCredentials: string | null;
  dockercfg: unknown;
}

export interface AppChange {
  tenantId: string;
  districtId: string;
  /** null: create the app (a taken name is `conflict`). */
  appId: string | null;
  draft: AppDraft;
  description: string;
  context?: MessageContext;
}

/** An app to create in the tenant's district named `district`. */
export interface NewApp {
  tenantId: string;
  district: string;
  draft: AppDraft;
  description: string;
  context?: MessageContext;
}

/** What a saved change wrote: enough to show the app without reading it back. */
export interface SavedChange {
  appId: string;
  release: number;
  /** The draft's services with every host port allocated. */
  services: ReleaseSpec['services'];
}

export interface StepCompletion {
  events: NewEvent[];
  /** The load balancer's DNS name of a service, once made. */
  endpoint?: { service: string; dnsName: string };
  /** A scheduled service's first tick (the durable scheduler takes it from there). */
  schedule?: { service: string; nextRunAt: Date | null };
  /** Ends the deploy (the app's applied release moves on `done`). */
  finish?: Exclude<DeployState, 'running'>;
}

export interface NewOneoff {
  tenantId: string;
  appId: string;
  command: string;
  imageTag: string | null;
  env: Record<string, string>;
  service: string | null;
  context?: MessageContext;
}

export interface OneoffProgress {
  taskArn?: string;
  status?: OneoffRecord['status'];
  exitCode?: number | null;
  reason?: string | null;
  output?: string | null;
}

export interface DueSchedule {
  tenantId: string;
  appId: string;
  service: string;
  command: string | null;
  schedule: string;
  nextRunAt: Date;
}

/** The app manager's persistence; data-access/app-store.ts implements it on Prisma. */
export interface AppStore {
  ping(): Promise<void>;
  close(): Promise<void>;

  insertDistrict(tenantId: string, name: string, fields: DistrictFields): Promise<DistrictRecord>;
  findDistrict(tenantId: string, name: string): Promise<DistrictRecord | null>;
  /** The district alone (no apps, no instances): what an app create needs. */
  findDistrictRef(tenantId: string, name: string): Promise<DistrictRef | null>;
  listDistricts(tenantId: string): Promise<DistrictRecord[]>;
  updateDistrict(tenantId: string, name: string, fields: Partial<DistrictFields>): Promise<DistrictRecord | null>;
  /** Deletes the district and its apps; `removals` become app.remove jobs in the same transaction. */
  deleteDistrict(tenantId: string, name: string, removals: (apps: AppRecord[]) => RemoveApp[]): Promise<boolean>;
  /** Queues the launch job (district.launch) for the instance broker's instances. */
  queueLaunch(tenantId: string, district: string, count: number, instanceType: string): Promise<void>;
  /** The tenant's districts and apps against their limits. */
  measureQuotas(tenantId: string): Promise<Quota[]>;
  /** Records an instance the broker launched for the district; a state it already passed is not taken back. */
  recordContainerInstance(
    districtId: string,
    instance: { id: string; state: string; instanceType: string; ipAddress: string | null },
  ): Promise<void>;
  /** The broker's news of an instance of the tenant's districts, applied when it is ahead; false otherwise. */
  advanceContainerInstance(change: {
    tenantId: string;
    id: string;
    state: string;
    ipAddress: string | null;
  }): Promise<boolean>;

  findApp(tenantId: string, name: string): Promise<AppRecord | null>;
  listApps(tenantId: string, districtId?: string): Promise<AppRecord[]>;
  /** Saves the draft as the app's next release and queues its deploy, in one transaction. */
  saveAppChange(change: AppChange): Promise<SavedChange>;
  /**
   * Creates the app as its first release and queues its deploy, atomically; null when the tenant has no such
   * district. A taken name is `conflict`, a tenant at its apps limit `quota_exceeded`.
   */
  createApp(app: NewApp): Promise<{ district: DistrictRef; saved: SavedChange } | null>;
  deleteApp(tenantId: string, name: string, removal: (app: AppRecord) => RemoveApp): Promise<boolean>;

  listReleases(appId: string): Promise<ReleaseRecord[]>;
  findRelease(appId: string, version: number): Promise<ReleaseRecord | null>;
  listEvents(
    appId: string,
    limit: number,
  ): Promise<{ id: string; level: EventLevel; message: string; release: number | null; createdAt: Date }[]>;

  findDeploy(deployId: string): Promise<DeployRecord | null>;
  /** Ids of deploys still `running` that started before `startedBefore`, oldest first. */
  findStaleDeploys(startedBefore: Date, limit: number): Promise<string[]>;
  /**
   * Commits step `step` as done (conditional: `committed` false when another try got there first); `superseded`
   * says whether the app has a newer release by then, so the next step needs no fresh read of the deploy.
   */
  completeStep(
    deploy: DeployRecord,
    step: number,
    completion: StepCompletion,
  ): Promise<{ committed: boolean; superseded: boolean }>;

  insertOneoff(oneoff: NewOneoff): Promise<OneoffRecord>;
  findOneoff(tenantId: string, id: string): Promise<OneoffRecord | null>;
  updateOneoff(id: string, progress: OneoffProgress): Promise<void>;
  /**
   * Claims the scheduled services due at `now` (row locks, SKIP LOCKED): each tick becomes a one-off and the
   * next run is moved to `nextTickOf(schedule, due, now)` (null: none), in one transaction, so a tick is run once
   * or not claimed.
   */
  claimDueSchedules(
    now: Date,
    nextTickOf: (schedule: string, due: Date, now: Date) => Date | null,
    limit: number,
  ): Promise<number>;
}
