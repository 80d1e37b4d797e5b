import { hostname } from 'node:os';
import pino from 'pino';
import pinoPretty from 'pino-pretty';
import { correlation } from './correlation';
import { parseConfig } from './config/parse-config';
import { logFormatVariable, logLevelVariable, type LogFormat, type LogLevel } from './config/variables';
import { z } from 'zod';

export type Logger = pino.Logger;

export interface CreateLoggerOptions {
  /** Every line carries it, so one log stream can hold all services. */
  service: string;
  /** Default: LOG_LEVEL from the environment, else `info`. */
  level?: LogLevel;
  /** Default stdout; tests pass a stream to read the lines back. */
  destination?: pino.DestinationStream;
  /**
   * Default: LOG_FORMAT from the environment, else `pretty` when the output is stdout and a terminal, `json`
   * otherwise (a given destination, a pipe, a file, a container's log driver).
   */
  format?: LogFormat;
}

const logSettingsFromEnvironment = z.object({ LOG_LEVEL: logLevelVariable('info'), LOG_FORMAT: logFormatVariable() });

/** The format when none is asked for: people read terminals, programs read everything else. */
function defaultFormat(options: CreateLoggerOptions): LogFormat {
  return options.destination === undefined && process.stdout.isTTY === true ? 'pretty' : 'json';
}

/**
 * pino-pretty as a stream in this thread (its authors' stream form), synchronous like the JSON destination, so
 * the last lines before a crash are written. For people only: it renders the same fields, one line each.
 */
function prettyDestination(destination: pino.DestinationStream | undefined): pino.DestinationStream {
  return pinoPretty({
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    messageFormat: '{if correlationId}[{correlationId}] {end}{msg}',
    hideObject: false,
    sync: true,
    ...(destination === undefined ? {} : { destination }),
  });
}

/** One line per event, JSON or for people (see `format`); inside a correlation context each carries `correlationId`. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const settings = parseConfig(logSettingsFromEnvironment);
  const level = options.level ?? settings.LOG_LEVEL;
  const format = options.format ?? settings.LOG_FORMAT ?? defaultFormat(options);
  const destination =
    format === 'pretty'
      ? prettyDestination(options.destination)
      : (options.destination ?? pino.destination({ dest: 1, sync: true }));
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
    destination,
  );
}
