import { receiveSnsMessageRpc } from '@overcast/contracts';
import type { VerifySnsMessage } from '../../../domain/verify-sns-message';
import { defineRoute, type RouteDefinition } from '../route-definition';
import type { RpcClient } from '../rpc-client';
import { given } from './forwarded-values';

/**
 * Pudding's /sns-messages, where the autoscaling groups' topic delivers. No credentials (SNS sends none): the
 * message's signature is verified here, before anything reaches the broker, which acts once per MessageId.
 */
export function snsMessageRoutes(deps: { call: RpcClient; verifySnsMessage: VerifySnsMessage }): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/sns-messages',
      async handle(_req, res, { body }) {
        await deps.verifySnsMessage(body);
        await deps.call(receiveSnsMessageRpc, {
          messageId: body.MessageId,
          type: body.Type,
          topicArn: body.TopicArn,
          message: body.Message,
          token: given(body.Token),
        });
        res.json({ sns_messages: [body] });
      },
    }),
  ];
}
