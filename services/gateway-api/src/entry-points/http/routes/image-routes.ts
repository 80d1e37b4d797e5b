import { activateImageRpc, listImagesRpc, registerImageRpc } from '@overcast/contracts';
import { inputOf, principalOf } from '../request-context';
import { given, pathIdFor } from './forwarded-values';
import type { RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { imageToWire } from '../wire/instance-wire';

interface RegisterImageBody {
  provider: string;
  image_id: string;
  role: string;
  name: string;
  active: boolean;
}

/** The boot image catalog (pudding's /images); answered by the instance broker. */
export function imageRoutes(deps: { call: RpcClient }): RouteDefinition[] {
  return [
    {
      method: 'get',
      path: '/images',
      async handle(_req, res) {
        const query = inputOf(res).query as { active?: 'true' | 'false'; role?: string; provider?: string };
        const { images } = await deps.call(listImagesRpc, {
          tenantId: principalOf(res).tenantId,
          // Pudding compared with the literal string "true"; the spec allows exactly 'true' and 'false'.
          active: query.active === undefined ? undefined : query.active === 'true',
          role: given(query.role),
          provider: given(query.provider),
        });
        res.json({ images: images.map(imageToWire) });
      },
    },
    {
      method: 'post',
      path: '/images',
      async handle(_req, res) {
        const body = inputOf(res).body as RegisterImageBody;
        const image = await deps.call(registerImageRpc, {
          tenantId: principalOf(res).tenantId,
          provider: body.provider,
          imageId: body.image_id,
          role: body.role,
          name: body.name,
          active: body.active,
        });
        res.status(201).json(imageToWire(image));
      },
    },
    {
      method: 'post',
      path: '/images/{id}/activate',
      async handle(_req, res) {
        const image = await deps.call(activateImageRpc, { tenantId: principalOf(res).tenantId, id: pathIdFor(activateImageRpc.request, inputOf(res).path.id, 'image not found') });
        res.json(imageToWire(image));
      },
    },
  ];
}
