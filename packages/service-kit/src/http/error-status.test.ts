import { errorCodeOfHttpStatus, httpStatusOf } from './error-status';

describe('error statuses', () => {
  it('answers a quota 403 like forbidden, yet reads a bare 403 as forbidden, never as a quota', () => {
    expect(httpStatusOf('quota_exceeded')).toBe(403);
    expect(errorCodeOfHttpStatus(403)).toBe('forbidden');
    expect(errorCodeOfHttpStatus(429)).toBe('rate_limited');
    expect(errorCodeOfHttpStatus(418)).toBe('bad_request');
  });
});
