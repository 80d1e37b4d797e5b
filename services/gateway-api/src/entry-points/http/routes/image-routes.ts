import { activateImageRpc, listImagesRpc, registerImageRpc } from '@overcast/contracts';
import { principalOf } from '../request-context';
import { given, pathIdFor } from './forwarded-values';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { imageToWire } from '../wire/instance-wire';

/** The boot image catalog (pudding's /images); answered by the instance broker. */
export function imageRoutes(deps: { call: RpcClient }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/images',
      async handle(_req, res, { query }) {
        const { images } = await deps.call(listImagesRpc, {
          tenantId: principalOf(res).tenantId,
          // Pudding compared with the literal string "true"; the spec allows exactly 'true' and 'false'.
          active: query.active === undefined ? undefined : query.active === 'true',
          role: given(query.role),
          provider: given(query.provider),
        });
        res.json({ images: images.map(imageToWire) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/images',
      async handle(_req, res, { body }) {
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
    }),
    defineRoute({
      method: 'post',
      path: '/images/{id}/activate',
      async handle(_req, res, { path }) {
        const image = await deps.call(activateImageRpc, {
          tenantId: principalOf(res).tenantId,
          id: pathIdFor(activateImageRpc.request, path.id, 'image not found'),
        });
        res.json(imageToWire(image));
      },
    }),
  ];
}
