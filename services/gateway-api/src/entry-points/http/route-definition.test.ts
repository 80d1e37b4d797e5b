import type { Request, Response } from 'express';
import { defineRoute, expressPathOf } from './route-definition';

// The `@ts-expect-error` lines are the point: `tsc` fails when the spec stops rejecting them (or a route stops
// being typed by it), so a handler that reads or answers what the spec does not say cannot compile.
describe('routes typed from the spec', () => {
  it("hands the handler the validated input under the spec's types", async () => {
    const seen: unknown[] = [];
    const route = defineRoute({
      method: 'post',
      path: '/instances',
      handle(_req, res, { body, headers }) {
        seen.push(body.provider, body.instance_type, headers['idempotency-key']);
        // @ts-expect-error -- CreateInstanceRequest has no such field
        seen.push(body.flavour);
        // @ts-expect-error -- an Instance answer needs its fields; an error-shaped body is not a 201 of this operation
        res.json({ code: 'created' });
      },
    });
    const body = { provider: 'fake', image: 'i', instance_type: 'standard' };
    const res = { json: () => res } as unknown as Response;
    await route.handle({} as Request, res, { path: {}, query: {}, headers: { 'idempotency-key': 'k' }, body });
    expect(route).toMatchObject({ method: 'post', path: '/instances' });
    expect(seen).toEqual(['fake', 'standard', 'k', undefined]);
  });

  it('accepts only operations of the spec', () => {
    // @ts-expect-error -- the spec has no PUT /instances
    const route = defineRoute({ method: 'put', path: '/instances', handle: () => undefined });
    expect(route.method).toBe('put');
    // @ts-expect-error -- nor this path
    expect(defineRoute({ method: 'get', path: '/instancez', handle: () => undefined }).path).toBe('/instancez');
  });

  it('writes spec path templates as express paths', () => {
    expect(expressPathOf('/init-scripts/{build_id}')).toBe('/init-scripts/:build_id');
  });
});
