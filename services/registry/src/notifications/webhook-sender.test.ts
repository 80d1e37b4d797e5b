import { isHostAllowed } from './webhook-sender';

describe('the webhook host allow-list', () => {
  it('allows nothing when empty, any host with *, and subdomains only with *.domain', () => {
    expect(isHostAllowed('hooks.example.com', [])).toBe(false);
    expect(isHostAllowed('hooks.example.com', ['*'])).toBe(true);
    expect(isHostAllowed('hooks.example.com', ['*.example.com'])).toBe(true);
    expect(isHostAllowed('example.com', ['*.example.com'])).toBe(false);
    expect(isHostAllowed('evilexample.com', ['*.example.com'])).toBe(false);
    expect(isHostAllowed('HOOKS.example.com.', ['hooks.example.com'])).toBe(true);
    expect(isHostAllowed('hooks.example.com.evil.net', ['hooks.example.com'])).toBe(false);
  });
});
