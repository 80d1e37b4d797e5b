import { openApiDocument } from '..';
import { createResponseChecker } from './check-response';

const instance = {
  id: '0d654ef4-75b9-49a6-9f90-f9b1ae3501fc',
  provider: 'gce',
  image: 'image-2016-01-01',
  instance_type: 'standard',
  state: 'terminated',
  ip_address: null,
  upstream_id: null,
  error_reason: null,
  env: null,
  site: null,
  role: null,
  queue: null,
  instance_build_id: null,
  created_at: '2026-11-22T10:00:00.000Z',
  updated_at: '2026-11-22T10:00:00.000Z',
  name: '0d654ef4',
  image_id: 'image-2016-01-01',
  ip: '',
  private_ip: '',
  launch_time: '2026-11-22T10:00:00.000Z',
};
const envelope = { error: { code: 'not_found', message: 'instance not found', details: [], request_id: 'r1' } };

describe('createResponseChecker', () => {
  const check = createResponseChecker(openApiDocument);
  const json = 'application/json';

  it('accepts a terminated instance answered with 410 and the instance as body', () => {
    expect(
      check({ method: 'GET', path: `/instances/${instance.id}`, status: 410, contentType: json, body: instance }),
    ).toEqual([]);
  });

  it("requires cloud-brain's errors list on instance routes", () => {
    const path = `/instances/${instance.id}`;
    expect(check({ method: 'GET', path, status: 404, contentType: json, body: envelope })).toEqual([
      `GET ${path} → 404: (body) must have required property 'errors'`,
    ]);
    expect(
      check({
        method: 'GET',
        path,
        status: 404,
        contentType: json,
        body: { ...envelope, errors: ['instance not found'] },
      }),
    ).toEqual([]);
  });

  it('prefers the literal path over a templated one', () => {
    const body = { instances: [instance], next_cursor: null };
    expect(check({ method: 'GET', path: '/instances', status: 200, contentType: json, body })).toEqual([]);
  });

  it('reports a documented header that is missing', () => {
    const headers = new Headers({ 'content-type': json });
    expect(
      check({ method: 'POST', path: '/instances', status: 200, contentType: json, body: instance, headers }),
    ).toEqual(['POST /instances → 200: header Location is missing']);
  });

  it('matches media types without their parameters and checks text bodies', () => {
    const path = '/init-scripts/5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01';
    expect(
      check({
        method: 'GET',
        path,
        status: 200,
        contentType: 'text/x-shellscript; charset=utf-8',
        body: '#!/bin/sh\n',
      }),
    ).toEqual([]);
    expect(check({ method: 'GET', path, status: 200, contentType: json, body: {} })).toEqual([
      `GET ${path} → 200: content type "application/json" is not documented`,
    ]);
  });

  it('reports unknown routes and undocumented bodies', () => {
    expect(check({ method: 'GET', path: '/nowhere', status: 200, body: undefined })).toEqual([
      'GET /nowhere → 200: no operation in the spec',
    ]);
    expect(check({ method: 'DELETE', path: '/tokens/3', status: 204, contentType: json, body: { ok: true } })).toEqual([
      'DELETE /tokens/3 → 204: a body was sent where none is documented',
    ]);
  });
});
