import type { Request } from 'express';
import type { Strategy } from 'passport';
import { runStrategies } from './run-strategies';

type Verdict = { kind: 'success'; user: unknown } | { kind: 'fail'; challenge: string } | { kind: 'error'; error: unknown } | { kind: 'redirect' };

/** A strategy that gives `verdict` and records that it ran. */
function strategy(name: string, verdict: Verdict, ran: string[]): Strategy {
  return {
    name,
    authenticate() {
      ran.push(name);
      if (verdict.kind === 'success') this.success(verdict.user as Express.User);
      else if (verdict.kind === 'fail') this.fail(verdict.challenge, 401);
      else if (verdict.kind === 'error') this.error(verdict.error as Error);
      else this.redirect('/elsewhere');
    },
  };
}

function run(strategies: Strategy[]) {
  let outcome: { error: unknown; user: unknown; challenges: unknown[] } | undefined;
  runStrategies(strategies, {} as Request, (error, user, challenges) => {
    if (outcome) throw new Error('done called twice');
    outcome = { error, user, challenges };
  });
  if (!outcome) throw new Error('done not called');
  return outcome;
}

describe('runStrategies', () => {
  it('ends with the first success, after the failures before it, and runs nothing after it', () => {
    const ran: string[] = [];
    const outcome = run([
      strategy('a', { kind: 'fail', challenge: 'no a' }, ran),
      strategy('b', { kind: 'success', user: { id: 7 } }, ran),
      strategy('c', { kind: 'success', user: { id: 8 } }, ran),
    ]);
    expect(outcome).toEqual({ error: null, user: { id: 7 }, challenges: ['no a'] });
    expect(ran).toEqual(['a', 'b']);
  });

  it('hands over every challenge, in order, when all fail', () => {
    const ran: string[] = [];
    const outcome = run([strategy('a', { kind: 'fail', challenge: 'no a' }, ran), strategy('b', { kind: 'fail', challenge: 'no b' }, ran)]);
    expect(outcome).toEqual({ error: null, user: undefined, challenges: ['no a', 'no b'] });
  });

  it('ends with an error at once', () => {
    const ran: string[] = [];
    const boom = new Error('database down');
    const outcome = run([strategy('a', { kind: 'error', error: boom }, ran), strategy('b', { kind: 'success', user: {} }, ran)]);
    expect(outcome.error).toBe(boom);
    expect(ran).toEqual(['a']);
  });

  it('refuses a strategy that redirects, naming it', () => {
    const outcome = run([strategy('oauth', { kind: 'redirect' }, [])]);
    expect(outcome.error).toEqual(new Error('strategy oauth redirected: not supported'));
  });

  it('fails without strategies', () => {
    expect(run([])).toEqual({ error: null, user: undefined, challenges: [] });
  });
});
