import { createLogCapture } from '../log-capture';
import { createLogger } from '../logger';
import { handleShutdownSignals } from './handle-shutdown-signals';

describe('handleShutdownSignals', () => {
  const capture = createLogCapture();
  const logger = createLogger({ service: 'test', level: 'info', destination: capture.destination });
  let removeHandlers: () => void = () => undefined;
  afterEach(() => {
    removeHandlers();
    capture.lines.length = 0;
  });

  function exitCode() {
    let resolve!: (code: number) => void;
    const code = new Promise<number>((done) => {
      resolve = done;
    });
    return { code, exit: jest.fn((value: number) => resolve(value)) };
  }

  it('stops once on SIGTERM, logs, and exits 0', async () => {
    const stop = jest.fn(() => Promise.resolve());
    const { code, exit } = exitCode();
    removeHandlers = handleShutdownSignals(stop, logger, { exit });
    process.emit('SIGTERM', 'SIGTERM');
    expect(await code).toBe(0);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(capture.lines.map((line) => line.msg)).toEqual(['shutting down', 'stopped']);
    expect(capture.lines[0]).toMatchObject({ signal: 'SIGTERM' });
  });

  it('handles SIGINT the same way', async () => {
    const { code, exit } = exitCode();
    removeHandlers = handleShutdownSignals(() => Promise.resolve(), logger, { exit });
    process.emit('SIGINT', 'SIGINT');
    expect(await code).toBe(0);
  });

  it('exits 1 and logs the cause when stopping fails', async () => {
    const { code, exit } = exitCode();
    removeHandlers = handleShutdownSignals(() => Promise.reject(new Error('bus would not close')), logger, { exit });
    process.emit('SIGTERM', 'SIGTERM');
    expect(await code).toBe(1);
    expect(capture.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'shutdown failed',
        err: expect.objectContaining({ message: 'bus would not close' }),
      }),
    );
  });

  it('exits 1 when stopping misses the deadline', async () => {
    const { code, exit } = exitCode();
    removeHandlers = handleShutdownSignals(() => new Promise<void>(() => undefined), logger, { exit, deadlineMs: 10 });
    process.emit('SIGTERM', 'SIGTERM');
    expect(await code).toBe(1);
    expect(capture.lines).toContainEqual(
      expect.objectContaining({ msg: 'shutdown did not finish before its deadline' }),
    );
  });

  it('does not stop twice, and exits 1 at once on a second signal', async () => {
    const stop = jest.fn(() => new Promise<void>(() => undefined));
    const { code, exit } = exitCode();
    removeHandlers = handleShutdownSignals(stop, logger, { exit });
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGINT', 'SIGINT');
    expect(await code).toBe(1);
    expect(stop).toHaveBeenCalledTimes(1);
  });
});
