import { AppError, defineRpc } from '@overcast/contracts';
import { z } from 'zod';
import { silentLogger } from '../bus-options';
import { RpcTimeoutError } from '../errors';
import { PendingCalls } from './pending-calls';
import { parseReplyBody } from './rpc-reply';

const GetState = defineRpc({
  type: 'test.get_state',
  service: 'test',
  request: z.object({}),
  response: z.object({ state: z.string() }),
});

describe('pending calls', () => {
  it('resolves a call with its parsed reply and ignores a late duplicate', async () => {
    const calls = new PendingCalls(silentLogger);
    const reply = calls.wait('call-1', GetState, Date.now() + 1000, 1000);
    calls.settle('call-1', { ok: true, result: { state: 'running' } });
    calls.settle('call-1', { ok: true, result: { state: 'late' } });
    await expect(reply).resolves.toEqual({ state: 'running' });
    expect(calls.size).toBe(0);
  });

  it('rejects with RpcTimeoutError when no reply comes in time', async () => {
    const calls = new PendingCalls(silentLogger);
    const deadline = Date.now() + 10;
    await expect(calls.wait('call-2', GetState, deadline, 10)).rejects.toBeInstanceOf(RpcTimeoutError);
    // Never before the deadline the request carries, whatever the timer does.
    expect(Date.now()).toBeGreaterThanOrEqual(deadline);
  });

  it('rejects with the AppError the handler answered', async () => {
    const calls = new PendingCalls(silentLogger);
    const reply = calls.wait('call-3', GetState, Date.now() + 1000, 1000);
    calls.settle('call-3', { ok: false, error: new AppError('not_found', 'no such instance').toJSON() });
    await expect(reply).rejects.toMatchObject({ code: 'not_found', message: 'no such instance' });
  });

  it('rejects as internal a reply that is unreadable or does not match the response schema', async () => {
    const calls = new PendingCalls(silentLogger);
    const unreadable = calls.wait('call-4', GetState, Date.now() + 1000, 1000);
    const mismatched = calls.wait('call-5', GetState, Date.now() + 1000, 1000);
    calls.settle('call-4', parseReplyBody('{"ok": maybe}'));
    calls.settle('call-5', { ok: true, result: { state: 42 } });
    await expect(unreadable).rejects.toMatchObject({ code: 'internal', message: 'unreadable reply to test.get_state' });
    await expect(mismatched).rejects.toMatchObject({
      code: 'internal',
      message: 'the reply to test.get_state does not match its schema',
    });
  });

  it('fails every waiting call at once', async () => {
    const calls = new PendingCalls(silentLogger);
    const replies = [
      calls.wait('a', GetState, Date.now() + 1000, 1000),
      calls.wait('b', GetState, Date.now() + 1000, 1000),
    ];
    calls.failAll(new Error('connection lost'));
    await expect(Promise.allSettled(replies)).resolves.toEqual([
      { status: 'rejected', reason: new Error('connection lost') },
      { status: 'rejected', reason: new Error('connection lost') },
    ]);
  });
});
