import { AppError, type Role } from '@overcast/contracts';
import type { TokenRecord, TokenRepository } from './ports';
import { roleAllows, type Principal } from './principal';
import { formatToken, generateSecretHex } from './token-format';
import { generateSalt, hashSecret } from './token-hashing';

export interface CreateTokenInput {
  tenantId: string;
  description: string;
  role: Role;
  /** The caller, when created over the API: nobody mints a token more powerful than their own. */
  createdBy?: Principal;
}

export interface CreatedToken {
  /** Shown once; only its salted scrypt hash is kept. */
  token: string;
  record: TokenRecord;
}

export function createCreateToken(deps: { tokens: Pick<TokenRepository, 'insertToken'> }) {
  return async function createToken(input: CreateTokenInput): Promise<CreatedToken> {
    const description = input.description.trim();
    if (description.length === 0) {
      throw new AppError('bad_request', 'description must not be empty', {
        details: [{ path: 'description', message: 'must not be empty' }],
      });
    }
    if (input.createdBy && !roleAllows(input.createdBy.role, input.role)) {
      throw new AppError('forbidden', `a ${input.createdBy.role} token cannot create ${input.role} tokens`);
    }
    if (input.createdBy && input.createdBy.tenantId !== input.tenantId) {
      throw new AppError('forbidden', 'tokens can only be created in the caller’s own tenant');
    }
    const secretHex = generateSecretHex();
    const salt = generateSalt();
    const hash = await hashSecret(secretHex, salt);
    const record = await deps.tokens.insertToken({
      tenantId: input.tenantId,
      description,
      role: input.role,
      salt,
      hash,
    });
    return { token: formatToken(record.id, secretHex), record };
  };
}

export type CreateToken = ReturnType<typeof createCreateToken>;
