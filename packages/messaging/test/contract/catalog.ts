import { defineCommand, defineEvent, defineRpc } from '@overcast/contracts';
import { z } from 'zod';

/** Messages of a made-up shop, only for the contract suite. */
export const OrderPlaced = defineEvent({
  type: 'test.order_placed',
  schema: z.object({ orderId: z.string(), amount: z.number().int().nonnegative() }),
});

export const ShipOrder = defineCommand({
  type: 'test.ship_order',
  service: 'shipping',
  schema: z.object({ orderId: z.string() }),
});

export const QuoteShipping = defineRpc({
  type: 'test.quote_shipping',
  service: 'shipping',
  request: z.object({ orderId: z.string(), weightKg: z.number().positive() }),
  response: z.object({ orderId: z.string(), priceCents: z.number().int() }),
});

export const TrackParcel = defineRpc({
  type: 'test.track_parcel',
  service: 'tracking',
  request: z.object({ parcelId: z.string() }),
  response: z.object({ state: z.string() }),
});
