import { z } from 'zod';
import { optionalList } from './names';

/** Photon's seven events; a notification without `events` gets them all. */
export const DeploymentEvent = z.enum([
  'cluster.created',
  'cluster.down',
  'cluster.node.created',
  'cluster.node.down',
  'deploy.begin',
  'deploy.complete',
  'deploy.failure',
]);
export type DeploymentEvent = z.infer<typeof DeploymentEvent>;

const Notification = z
  .strictObject({
    name: z.string().min(1),
    type: z.enum(['email', 'webhook']),
    events: z.array(DeploymentEvent).min(1).optional(),
    /** Where a webhook is sent; the registry decides which addresses it may reach. */
    url: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
    /** Where an email is sent (Photon names none; the account's address when left out). */
    email: z.email().optional(),
  })
  .transform((notification) => ({ ...notification, events: notification.events ?? DeploymentEvent.options }));

export const Notifications = optionalList(Notification);
export type Notification = z.infer<typeof Notification>;
