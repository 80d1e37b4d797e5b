import type { InstanceLifecycleTransition } from '@overcast/contracts';
import { z } from 'zod';

/** The Message of an Auto Scaling lifecycle notification (the fields pudding read), unknown keys ignored. */
const LifecycleActionMessage = z.object({
  AutoScalingGroupName: z.string().min(1).max(255),
  LifecycleTransition: z.string(),
  LifecycleActionToken: z.string().min(1).max(255),
  LifecycleHookName: z.string().min(1).max(255),
  EC2InstanceId: z.string().min(1).max(255),
});

const transitions: Record<string, InstanceLifecycleTransition> = {
  'autoscaling:EC2_INSTANCE_LAUNCHING': 'launching',
  'autoscaling:EC2_INSTANCE_TERMINATING': 'terminating',
};

export interface LifecycleActionNotice {
  groupName: string;
  hookName: string;
  token: string;
  upstreamInstanceId: string;
  transition: InstanceLifecycleTransition;
}

/**
 * The lifecycle action a notification carries; null for anything else (Auto Scaling's TEST_NOTIFICATION, which
 * names no transition, an unknown transition, a Message that is not such JSON), which pudding logged and dropped.
 */
export function parseLifecycleActionMessage(message: string): LifecycleActionNotice | null {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return null;
  }
  const parsed = LifecycleActionMessage.safeParse(json);
  if (!parsed.success) return null;
  const transition = transitions[parsed.data.LifecycleTransition];
  if (!transition) return null;
  return {
    groupName: parsed.data.AutoScalingGroupName,
    hookName: parsed.data.LifecycleHookName,
    token: parsed.data.LifecycleActionToken,
    upstreamInstanceId: parsed.data.EC2InstanceId,
    transition,
  };
}
