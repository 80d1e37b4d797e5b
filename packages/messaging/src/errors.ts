import { AppError } from '@overcast/contracts';

/** The RPC got no reply in time: the service is down, overloaded, or the request expired unprocessed. */
export class RpcTimeoutError extends AppError {
  constructor(type: string, timeoutMs: number) {
    super('timeout', `no reply to ${type} within ${timeoutMs} ms`);
    this.name = 'RpcTimeoutError';
  }
}

/** The broker is unreachable or refused the message; nothing was sent. */
export class BusUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('unavailable', message, { cause });
    this.name = 'BusUnavailableError';
  }
}

/** No queue takes the message: a command nobody consumes, or an RPC to a service that never served. Nothing was sent. */
export class UnroutableMessageError extends AppError {
  constructor(type: string) {
    super('unavailable', `no queue takes ${type}: is its service deployed?`);
    this.name = 'UnroutableMessageError';
  }
}
