import { createMissedHeartbeatTimers } from './missed-heartbeat-timers';

describe('missed-heartbeat timers', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs a pass just after a datacenter’s timeout passes without a heartbeat, once', () => {
    const missed = jest.fn();
    const timers = createMissedHeartbeatTimers({ timeoutMs: 1_000, missed });
    timers.heartbeat('a');
    jest.advanceTimersByTime(1_000);
    expect(missed).not.toHaveBeenCalled();
    jest.advanceTimersByTime(10);
    expect(missed).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(10_000);
    expect(missed).toHaveBeenCalledTimes(1);
  });

  it('never runs one while heartbeats keep coming, and stops with its replica', () => {
    const missed = jest.fn();
    const timers = createMissedHeartbeatTimers({ timeoutMs: 1_000, missed });
    for (let beat = 0; beat < 10; beat += 1) {
      timers.heartbeat('a');
      jest.advanceTimersByTime(500);
    }
    expect(missed).not.toHaveBeenCalled();
    timers.stopAll();
    jest.advanceTimersByTime(10_000);
    expect(missed).not.toHaveBeenCalled();
  });
});
