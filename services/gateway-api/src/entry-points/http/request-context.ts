import { AppError } from '@overcast/contracts';
import type { Response } from 'express';
import type { Principal } from '../../domain/principal';
import type { ValidatedInput } from './openapi-validator';
import type { Caller } from './passport-strategies';

// Per-request state lives in res.locals under these keys, read back through typed accessors only.
const callerKey = 'overcastCaller';
const inputKey = 'overcastInput';

export function setCaller(res: Response, caller: Caller): void {
  res.locals[callerKey] = caller;
}

export function callerOf(res: Response): Caller | undefined {
  return res.locals[callerKey] as Caller | undefined;
}

/** The token's principal; routes that reach this always ran token authentication first. */
export function principalOf(res: Response): Principal {
  const caller = callerOf(res);
  if (caller?.kind !== 'token') throw new AppError('internal', 'route reached without a verified token');
  return caller.principal;
}

export function setInput(res: Response, input: ValidatedInput): void {
  res.locals[inputKey] = input;
}

export function inputOf(res: Response): ValidatedInput {
  const input = res.locals[inputKey] as ValidatedInput | undefined;
  if (!input) throw new AppError('internal', 'route reached without validated input');
  return input;
}
