import type { Role } from '@overcast/contracts';

/** Who is calling: resolved from a verified token, carried to every RPC as the tenant scope. */
export interface Principal {
  tokenId: number;
  tenantId: string;
  role: Role;
}

/** Admins may do everything developers may (Barcelona: "admin counts as developer"). */
export function roleAllows(actual: Role, required: Role): boolean {
  return required === 'developer' || actual === 'admin';
}
