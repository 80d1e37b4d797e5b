import type {
  AutoscalingGroupInput,
  AutoscalingGroups,
  GroupInstance,
  LifecycleActionInput,
  LifecycleHookInput,
  MetricAlarmInput,
  ScalingPolicyInput,
} from '../core/autoscaling';

/** What the fake cloud holds, by name, as the real one would: one of each, whatever the retries. */
export interface FakeAutoscalingState {
  groups: Map<string, AutoscalingGroupInput>;
  policies: Map<string, ScalingPolicyInput & { arn: string }>;
  alarms: Map<string, MetricAlarmInput>;
  hooks: Map<string, LifecycleHookInput>;
  completedActions: LifecycleActionInput[];
  /** Instances the groups launched, by provider id: a test launches, changes and ends them here as a group would. */
  instances: Map<string, GroupInstance & { groupName: string }>;
  /** The provider ids terminated through their group, in call order. */
  terminatedInGroup: string[];
  confirmedSubscriptions: { topicArn: string; token: string }[];
}

export interface FakeAutoscalingGroups extends AutoscalingGroups {
  readonly state: FakeAutoscalingState;
}

/** In-memory autoscaling groups for tests and `pnpm start`-style demos: idempotent by name, like the real calls. */
export function createFakeAutoscalingGroups(): FakeAutoscalingGroups {
  const state: FakeAutoscalingState = {
    groups: new Map(),
    policies: new Map(),
    alarms: new Map(),
    hooks: new Map(),
    completedActions: [],
    confirmedSubscriptions: [],
    instances: new Map(),
    terminatedInGroup: [],
  };
  return {
    state,
    async createGroup(input) {
      if (!state.groups.has(input.name)) state.groups.set(input.name, input);
    },
    async putScalingPolicy(input) {
      const arn = `arn:fake:autoscaling:policy/${input.groupName}/${input.name}`;
      state.policies.set(input.name, { ...input, arn });
      return arn;
    },
    async putMetricAlarm(input) {
      state.alarms.set(input.name, input);
    },
    async putLifecycleHook(input) {
      state.hooks.set(input.name, input);
    },
    async completeLifecycleAction(input) {
      state.completedActions.push(input);
    },
    async describeGroupInstances({ groupName, known }) {
      return [...state.instances.values()]
        .filter((instance) => instance.groupName === groupName || known.includes(instance.upstreamId))
        .map(({ groupName: _group, ...instance }) => ({ ...instance }));
    },
    async terminateGroupInstance(upstreamInstanceId) {
      state.terminatedInGroup.push(upstreamInstanceId);
      const instance = state.instances.get(upstreamInstanceId);
      if (instance && instance.state !== 'terminated') instance.state = 'terminating';
    },
    async confirmSubscription(input) {
      state.confirmedSubscriptions.push(input);
    },
  };
}
