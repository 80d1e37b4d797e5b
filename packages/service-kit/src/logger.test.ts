import { Writable } from 'node:stream';
import { correlation } from './correlation';
import { ConfigError } from './config/parse-config';
import { createLogCapture } from './log-capture';
import { createLogger } from './logger';

describe('createLogger', () => {
  it('writes JSON lines carrying the service, a level label and a timestamp', () => {
    const capture = createLogCapture();
    createLogger({ service: 'gateway-api', level: 'info', destination: capture.destination }).info(
      { port: 8080 },
      'listening',
    );
    expect(capture.lines).toEqual([
      expect.objectContaining({
        service: 'gateway-api',
        level: 'info',
        msg: 'listening',
        port: 8080,
        time: expect.any(String),
      }),
    ]);
  });

  it('adds the correlation (and causation) id to lines logged inside a correlation context', async () => {
    const capture = createLogCapture();
    const logger = createLogger({ service: 'instance-broker', level: 'info', destination: capture.destination });
    logger.info('before');
    await correlation.run({ correlationId: 'req-42', causationId: 'msg-7' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.info('inside');
    });
    expect(capture.lines[0]).not.toHaveProperty('correlationId');
    expect(capture.lines[1]).toMatchObject({ msg: 'inside', correlationId: 'req-42', causationId: 'msg-7' });
  });

  it('lets a correlation id passed explicitly win without duplicating the key', () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: 's',
      level: 'info',
      destination: { write: (line: string) => lines.push(line) },
    });
    correlation.runSync({ correlationId: 'ambient' }, () => logger.info({ correlationId: 'explicit' }, 'x'));
    expect(lines[0]?.match(/"correlationId"/g)).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ correlationId: 'explicit' });
  });

  it('serializes a thrown error under err: type, message, code, stack and cause', () => {
    const capture = createLogCapture();
    const logger = createLogger({ service: 's', level: 'info', destination: capture.destination });
    const error = Object.assign(new TypeError('query failed', { cause: new Error('connection refused') }), {
      code: '57P01',
    });
    logger.error({ err: error }, 'boom');
    expect(capture.lines[0]).toMatchObject({
      err: {
        type: 'TypeError',
        message: 'query failed',
        code: '57P01',
        stack: expect.stringContaining('TypeError: query failed'),
        cause: { type: 'Error', message: 'connection refused' },
      },
    });
  });

  it('writes nothing at level silent', () => {
    const capture = createLogCapture();
    createLogger({ service: 's', level: 'silent', destination: capture.destination }).error('not shown');
    expect(capture.lines).toEqual([]);
  });

  describe('level from LOG_LEVEL', () => {
    const original = process.env.LOG_LEVEL;
    afterEach(() => {
      process.env.LOG_LEVEL = original;
    });

    it('follows LOG_LEVEL when no level is given', () => {
      process.env.LOG_LEVEL = 'warn';
      const capture = createLogCapture();
      const logger = createLogger({ service: 's', destination: capture.destination });
      logger.info('dropped');
      logger.warn('kept');
      expect(capture.lines.map((line) => line.msg)).toEqual(['kept']);
    });

    it('refuses an unknown LOG_LEVEL, naming the variable', () => {
      process.env.LOG_LEVEL = 'chatty';
      expect(() => createLogger({ service: 's' })).toThrow(ConfigError);
      expect(() => createLogger({ service: 's' })).toThrow(/LOG_LEVEL: must be one of/);
    });
  });

  describe('format', () => {
    const original = process.env.LOG_FORMAT;
    afterEach(() => {
      if (original === undefined) delete process.env.LOG_FORMAT;
      else process.env.LOG_FORMAT = original;
    });

    function linesOf(format: 'json' | 'pretty' | undefined): string[] {
      const lines: string[] = [];
      const logger = createLogger({
        service: 'gateway-api',
        level: 'info',
        // A real stream: pino-pretty writes to streams, not to any object with write().
        destination: new Writable({
          write(chunk: Buffer, _encoding, done) {
            lines.push(chunk.toString());
            done();
          },
        }),
        ...(format === undefined ? {} : { format }),
      });
      correlation.runSync({ correlationId: 'req-9' }, () => logger.info({ port: 8080 }, 'listening'));
      return lines
        .join('')
        .split('\n')
        .filter((line) => line !== '');
    }

    it('writes one line a person reads: time, level, correlation id, message, then the fields', () => {
      const [line, ...fields] = linesOf('pretty');
      expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[req-9\] listening$/);
      expect(fields.join('\n')).toContain('port: 8080');
      expect(() => JSON.parse(line ?? '')).toThrow();
    });

    it('writes JSON to anything but a terminal unless LOG_FORMAT says otherwise', () => {
      expect(JSON.parse(linesOf(undefined)[0] ?? '')).toMatchObject({ msg: 'listening', correlationId: 'req-9' });
      process.env.LOG_FORMAT = 'pretty';
      expect(linesOf(undefined)[0]).toMatch(/INFO: \[req-9\] listening$/);
      process.env.LOG_FORMAT = 'json';
      expect(JSON.parse(linesOf(undefined)[0] ?? '')).toMatchObject({ msg: 'listening' });
    });

    it('refuses an unknown LOG_FORMAT, naming the variable', () => {
      process.env.LOG_FORMAT = 'xml';
      expect(() => createLogger({ service: 's' })).toThrow(/LOG_FORMAT: must be one of json, pretty/);
    });
  });
});
