import { createActivateImage } from './activate-image';
import { createCompleteLifecycleAction, createConfirmSnsSubscription } from './autoscaling-jobs';
import { createCreateAutoscalingGroupBuild } from './create-autoscaling-group-build';
import { createProvisionAutoscalingGroupBuild } from './provision-autoscaling-group-build';
import { createReceiveSnsMessage } from './receive-sns-message';
import { createCreateInstance } from './create-instance';
import { createCreateInstanceBuild } from './create-instance-build';
import { createDeprovisionInstance } from './deprovision-instance';
import { createGetInitScript } from './get-init-script';
import { createGetInstance } from './get-instance';
import { createGetInstanceBuild } from './get-instance-build';
import { createHeartbeatInstance } from './heartbeat-instance';
import { createListImages } from './list-images';
import { createListInstances } from './list-instances';
import { createListQuotas } from './list-quotas';
import type { ConvergenceFollowUp } from './follow-up-convergence';
import type { DomainLogger } from './logger';
import type { BrokerStore, Clock } from './ports';
import type { ProviderDirectory } from './provider-directory';
import { createProvisionInstance } from './provision-instance';
import { createProvisionInstanceBuild } from './provision-instance-build';
import { createReapInstances } from './reap-instances';
import { createReadInstanceConsole } from './read-instance-console';
import { createRefreshInstances } from './refresh-instances';
import { createSyncAutoscalingGroups } from './sync-autoscaling-groups';
import type { InitScriptTemplate } from './init-script';
import { createRegisterImage } from './register-image';
import { createReportInstanceLifecycle } from './report-instance-lifecycle';
import type { SecretBox } from './secret-box';
import { createSendNotification, type Notifier } from './send-notification';
import { createTerminateInstance } from './terminate-instance';
import { createUpdateInstanceBuild } from './update-instance-build';
import type { CrashPoints } from './worker-context';

export interface UseCaseSettings {
  idempotencyTtlMs: number;
  defaultProvider: string;
  initScriptTemplate: InitScriptTemplate;
  initScriptTtlMs: number;
  sshSecurityGroupName: string;
  reaperGraceMs: number;
  snsConfirmation: boolean;
}

export interface UseCaseDeps {
  store: BrokerStore;
  providers: ProviderDirectory;
  secretBox: SecretBox;
  clock: Clock;
  logger: DomainLogger;
  notifier: Notifier | undefined;
  crashPoints: CrashPoints;
  settings: UseCaseSettings;
  /** Prompt convergence after a create; without it `starting` waits for the refresh sweep. */
  followUp?: ConvergenceFollowUp;
}

/** All of the broker's use cases, wired once (explicit factories, no container). */
export function createUseCases(deps: UseCaseDeps) {
  const { store, providers, clock, logger, settings } = deps;
  return {
    createInstance: createCreateInstance({ store, providers, clock, idempotencyTtlMs: settings.idempotencyTtlMs }),
    getInstance: createGetInstance({ store }),
    listInstances: createListInstances({ store }),
    terminateInstance: createTerminateInstance({ store }),
    readInstanceConsole: createReadInstanceConsole({ store, providers }),
    createInstanceBuild: createCreateInstanceBuild({ store, providers, defaultProvider: settings.defaultProvider }),
    getInstanceBuild: createGetInstanceBuild({ store }),
    updateInstanceBuild: createUpdateInstanceBuild({ store }),
    getInitScript: createGetInitScript({ store, clock, initScriptTemplate: settings.initScriptTemplate }),
    reportInstanceLifecycle: createReportInstanceLifecycle({ store, clock }),
    heartbeatInstance: createHeartbeatInstance({ store, clock }),
    listImages: createListImages({ store, providers }),
    registerImage: createRegisterImage({ store, providers }),
    activateImage: createActivateImage({ store }),
    listQuotas: createListQuotas({ store }),
    provisionInstance: createProvisionInstance({
      store,
      providers,
      secretBox: deps.secretBox,
      logger,
      crashPoints: deps.crashPoints,
      followUp: deps.followUp,
    }),
    deprovisionInstance: createDeprovisionInstance({ store, providers, logger }),
    provisionInstanceBuild: createProvisionInstanceBuild({
      store,
      providers,
      secretBox: deps.secretBox,
      clock,
      logger,
      initScriptTemplate: settings.initScriptTemplate,
      initScriptTtlMs: settings.initScriptTtlMs,
      sshSecurityGroupName: settings.sshSecurityGroupName,
    }),
    createAutoscalingGroupBuild: createCreateAutoscalingGroupBuild({ store, providers, clock }),
    provisionAutoscalingGroupBuild: createProvisionAutoscalingGroupBuild({ store, providers, logger }),
    receiveSnsMessage: createReceiveSnsMessage({ store, clock, logger, snsConfirmation: settings.snsConfirmation }),
    confirmSnsSubscription: createConfirmSnsSubscription({ store, providers, logger }),
    completeLifecycleAction: createCompleteLifecycleAction({ store, providers, logger }),
    sendNotification: createSendNotification({ notifier: deps.notifier, logger }),
    // Longer than a provision job's whole retry schedule, so only a lost job is given up.
    refreshProvider: createRefreshInstances({
      store,
      providers,
      clock,
      logger,
      creatingTimeoutMs: settings.reaperGraceMs,
    }),
    autoscalingSync: createSyncAutoscalingGroups({ store, providers, clock, logger }),
    reapProvider: createReapInstances({ store, providers, clock, logger, graceMs: settings.reaperGraceMs }),
  };
}

export type UseCases = ReturnType<typeof createUseCases>;
