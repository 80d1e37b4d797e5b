import { hostname } from 'node:os';
import pino from 'pino';
import { correlation } from './correlation';
import { parseConfig } from './config/parse-config';
import { logLevelVariable, type LogLevel } from './config/variables';
import { z } from 'zod';

export type Logger = pino.Logger;

export interface CreateLoggerOptions {
  /** Every line carries it, so one log stream can hold all services. */
  service: string;
  /** Default: LOG_LEVEL from the environment, else `info`. */
  level?: LogLevel;
  /** Default stdout; tests pass a stream to read the lines back. */
  destination?: pino.DestinationStream;
}

const logLevelFromEnvironment = z.object({ LOG_LEVEL: logLevelVariable('info') });

/** JSON lines on stdout; inside a correlation context each line also carries `correlationId`. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const level = options.level ?? parseConfig(logLevelFromEnvironment).LOG_LEVEL;
  return pino(
    {
      level,
      base: { service: options.service, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Label, not number: log pipelines filter on `"level":"error"` without a lookup table.
      formatters: { level: (label) => ({ level: label }) },
      // `err` is the one field a thrown error is logged under, tree-wide (a lint rule refuses `error`); errWithCause
      // keeps `cause` chains, which is where the real reason of a wrapped error lives.
      serializers: { err: pino.stdSerializers.errWithCause },
      mixin: () => {
        const context = correlation.current();
        if (context === undefined) return {};
        return context.causationId
          ? { correlationId: context.correlationId, causationId: context.causationId }
          : { correlationId: context.correlationId };
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
