import { DeployWaitError } from '../errors/wait-errors.ts';
import type { App } from '../types.ts';
import type { WaitOptions } from './poll-until.ts';
import { pollUntil } from './poll-until.ts';

export type WaitForDeployOptions = WaitOptions<App>;

/** Waits until the deploy of `release` (default: the app's newest) is done; one that failed or was superseded never will be. */
export function waitForDeploy(
  read: () => Promise<App>,
  release: number | undefined,
  options: WaitForDeployOptions = {},
) {
  let wanted = release;
  const ofWanted = (app: App) => app.release === (wanted ??= app.release);
  return pollUntil(
    {
      read,
      isDone: (app) => ofWanted(app) && app.deploy_state === 'done',
      whyNever: (app) =>
        ofWanted(app) && app.deploy_state !== 'running' && app.deploy_state !== 'done'
          ? `the deploy of ${app.name} release ${app.release} ended ${String(app.deploy_state)}`
          : app.release > (wanted ?? app.release)
            ? `${app.name} release ${String(wanted)} was superseded by release ${app.release}`
            : undefined,
      stillWaiting: (app) => `the deploy of ${app.name} release ${String(wanted)} is still ${String(app.deploy_state)}`,
      stateOf: (app) => String(app.deploy_state),
      fail: (message, reason, lastState) => new DeployWaitError(message, reason, lastState),
    },
    options,
  );
}
