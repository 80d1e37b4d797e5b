import { AppError, isPuddingInstanceReference } from '@overcast/contracts';
import { isUuid, notFound } from './not-found';
import type { InstanceRepository } from './ports';
import type { InstanceRecord } from './records';

/*
 * Pudding's callers name instances by EC2 id (`i-…`), and hubot-pudding puts `i-` before whatever id it is given,
 * keeping only 8 characters after it (`terminate instance (i-[a-z0-9]{8})`). So besides its uuid, an instance is
 * found by `i-<uuid>`, by `i-<first 8 hex digits of its uuid>` (the last part of its pudding `name`) and by its
 * provider's own id (`upstream_id`, e.g. a real EC2 `i-0abc…`). Only references starting with `i-` are pudding's:
 * any other id is an Overcast uuid or nothing.
 */

const shortIdPattern = /^[0-9a-f]{8}$/i;

/** The instances a reference names in the tenant: none, one, or (a short id shared by chance) several. */
export async function findInstancesByReference(
  instances: InstanceRepository,
  tenantId: string,
  reference: string,
): Promise<InstanceRecord[]> {
  if (!isPuddingInstanceReference(reference)) {
    const instance = isUuid(reference) ? await instances.findForTenant(tenantId, reference) : null;
    return instance ? [instance] : [];
  }
  const rest = reference.slice(2);
  if (isUuid(rest)) {
    const instance = await instances.findForTenant(tenantId, rest);
    return instance ? [instance] : [];
  }
  return instances.findByProviderReference(tenantId, reference, shortIdPattern.test(rest) ? rest : null);
}

/** Exactly one instance, or not_found; a short id that names several is a conflict naming how to be precise. */
export async function findInstanceByReference(
  instances: InstanceRepository,
  tenantId: string,
  reference: string,
): Promise<InstanceRecord> {
  const found = await findInstancesByReference(instances, tenantId, reference);
  const [only, ...others] = found;
  if (!only) throw notFound('instance');
  if (others.length > 0) {
    throw new AppError('conflict', `"${reference}" names ${found.length} instances; use the instance's full id`, {
      details: [{ path: 'path.id', message: `matches ${found.map((instance) => instance.id).join(', ')}` }],
    });
  }
  return only;
}
