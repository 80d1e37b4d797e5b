export { ConfigError, loadConfigOrExit, parseConfig } from './config/parse-config';
export type { ConfigProblem, LoadConfigOptions } from './config/parse-config';
export {
  amqpUrlVariable,
  booleanVariable,
  databaseUrlVariable,
  logFormats,
  logFormatVariable,
  logLevels,
  logLevelVariable,
  optionalPortVariable,
  optionalPositiveIntegerVariable,
  portVariable,
  positiveIntegerVariable,
} from './config/variables';
export type { LogFormat, LogLevel } from './config/variables';
export { correlation } from './correlation';
export type { Correlation } from './correlation';
export { createLogger } from './logger';
export type { CreateLoggerOptions, Logger } from './logger';
export { requestId, requestIdFor, requestIdHeader, requestIdOf } from './http/request-id';
export { errorCodeOfHttpStatus, httpStatusByErrorCode, httpStatusOf } from './http/error-status';
export { toAppError } from './http/to-app-error';
export { findUnstorableText } from './input/unstorable-text';
export { errorHandler, errorResponse, notFoundHandler } from './http/error-handler';
export type { ErrorResponseBody, ErrorSite } from './http/error-handler';
export { accessLog } from './http/access-log';
export { createMetrics, unmatchedRoute } from './http/metrics';
export type { ServiceMetrics } from './http/metrics';
export { healthRoutes, runReadinessChecks } from './http/health';
export type { HealthOptions, ReadinessCheck, ReadinessReport } from './http/health';
export { createOpsApp, createServiceApp } from './http/service-app';
export type { OpsAppOptions, ServiceAppOptions } from './http/service-app';
export { ShutdownDeadlineError, startHttpServer } from './server/start-http-server';
export type { RunningHttpServer, StartHttpServerOptions } from './server/start-http-server';
export { handleShutdownSignals } from './server/handle-shutdown-signals';
export type { ShutdownOptions } from './server/handle-shutdown-signals';
export { createLogCapture } from './log-capture';
export type { LogCapture } from './log-capture';
export { startTracing } from './telemetry/start-tracing';
export type { StartTracingOptions, Tracing } from './telemetry/start-tracing';
export { tracingSettingsOf, tracingVariables } from './telemetry/tracing-variables';
export type { TracingSettings } from './telemetry/tracing-variables';
export { traceRequests } from './telemetry/trace-requests';
export { startMetricsServer } from './telemetry/metrics-server';
export { tracedFetch } from './telemetry/traced-fetch';
export { closeAfterEarlyAnswer, closeIfBodyUnread, uploadLingerLimits } from './http/close-after-early-answer';
export type { LingerLimits } from './http/close-after-early-answer';
