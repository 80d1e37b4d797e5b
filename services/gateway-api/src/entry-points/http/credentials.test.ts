import type { Request } from 'express';
import { credentialsOf } from './credentials';

const token = '3-00112233445566778899aabbccddeeff';
const request = (headers: Record<string, string>) =>
  ({ headers, get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('credentialsOf', () => {
  it.each([
    ['Authorization: token', { authorization: `token ${token}` }],
    ["pudding's Authorization: token=", { authorization: `token=${token}` }],
    ['Authorization: Bearer', { authorization: `Bearer ${token}` }],
    ['Basic with user token (netrc)', { authorization: basic('token', token) }],
    ['X-Barcelona-Token', { 'x-barcelona-token': token }],
  ])('reads the token from %s', (_form, headers) => {
    expect(credentialsOf(request(headers))).toEqual({ kind: 'token', token });
  });

  it("treats Basic with another user as a build's init-script secret", () => {
    expect(credentialsOf(request({ authorization: basic('x', 's3cret') }))).toEqual({
      kind: 'build-secret',
      secret: 's3cret',
    });
  });

  it('prefers Authorization over X-Barcelona-Token', () => {
    expect(credentialsOf(request({ authorization: `Bearer ${token}`, 'x-barcelona-token': 'other' }))).toEqual({
      kind: 'token',
      token,
    });
  });

  it('tells an absent credential from an unusable one', () => {
    expect(credentialsOf(request({}))).toEqual({ kind: 'none' });
    expect(credentialsOf(request({ authorization: 'Digest abc' }))).toEqual({ kind: 'unusable' });
    expect(credentialsOf(request({ authorization: basic('token', '') }))).toEqual({ kind: 'unusable' });
  });
});
