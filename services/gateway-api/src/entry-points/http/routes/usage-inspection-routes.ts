import { AppError, MachineImage, openImageInspectionRpc } from '@overcast/contracts';
import { principalOf } from '../request-context';
import { continueBody } from '../expect-continue';
import { defineRoute, type RouteDefinition } from '../route-definition';
import { machineImageToWire, usageUrls } from '../wire/usage-wire';
import { forwardUpload } from './forward-upload';
import type { UsageRouteDeps } from './usage-account-routes';
import { usageIdOf } from './usage-values';

/**
 * POST /api/v1/image/{id}/inspection: the gateway asks the image inspector over RPC for a single-use upload ticket
 * (which also refuses another tenant's image before a byte is read), then streams the body to the image inspector's
 * upload endpoint with it. The bus carries the ticket and the answer, never the disk image. A client that sent
 * `Expect: 100-continue` is told to send the disk only once the ticket is given.
 */
export function usageInspectionRoutes(deps: UsageRouteDeps): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/image/{id}/inspection',
      streamsBody: true,
      async handle(req, res, { path }) {
        const ticket = await deps.call(openImageInspectionRpc, {
          tenantId: principalOf(res).tenantId,
          id: usageIdOf(path.id),
        });
        const declared = Number(req.headers['content-length'] ?? 0);
        if (declared > ticket.maxBytes) {
          // Refused before reading: closeAfterEarlyAnswer reads a bounded part of the rest while the answer goes out.
          throw new AppError('payload_too_large', `The disk image is larger than ${ticket.maxBytes} bytes.`, {
            details: [{ path: 'body', message: `must be at most ${ticket.maxBytes} bytes` }],
          });
        }
        // Only now is a client that waits for 100 Continue told to send the disk.
        continueBody(res);
        const image = MachineImage.parse(await forwardUpload(req, ticket));
        res.json(machineImageToWire(image, usageUrls(deps.publicUrl())));
      },
    }),
  ];
}
