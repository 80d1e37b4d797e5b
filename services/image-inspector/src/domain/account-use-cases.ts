import { AppError, type CloudAccount, type CreateCloudAccountRequest } from '@overcast/contracts';
import { parseRoleArn } from './role-arn';
import { AccountConflict, type Clock, type OffsetPage, type Page, type UsageStore } from './ports';
import type { AwsAccountAccess } from './aws-account-access';

function fieldError(path: string, ...messages: string[]): AppError {
  return new AppError('bad_request', messages.join(' '), { details: messages.map((message) => ({ path, message })) });
}

const notFound = () => new AppError('not_found', 'Not found.');

export interface AccountUseCases {
  createAccount(request: CreateCloudAccountRequest): Promise<CloudAccount>;
  listAccounts(request: { tenantId: string } & OffsetPage): Promise<Page<CloudAccount>>;
  getAccount(request: { tenantId: string; id: number }): Promise<CloudAccount>;
  renameAccount(request: {
    tenantId: string;
    id: number;
    name?: string | null;
    accountArn?: string;
  }): Promise<CloudAccount>;
}

/** Accounts as cloudigrade kept them (FACTS 4.1), every refusal worded as it was, the field named by each detail. */
export function createAccountUseCases(deps: {
  store: UsageStore;
  aws: AwsAccountAccess | null;
  clock: Clock;
}): AccountUseCases {
  const { store, aws, clock } = deps;

  function nameTaken(tenantId: string, name: string | null | undefined): AppError {
    return fieldError('non_field_errors', `Account with name '${name ?? ''}' for user '${tenantId}' already exists`);
  }

  async function insert(tenantId: string, account: Parameters<UsageStore['insertAccount']>[0]) {
    try {
      return await store.insertAccount(account);
    } catch (error) {
      if (!(error instanceof AccountConflict)) throw error;
      if (error.rule === 'arn') throw fieldError('account_arn', 'aws account with this account arn already exists.');
      throw nameTaken(tenantId, account.name);
    }
  }

  async function createAwsAccount(request: CreateCloudAccountRequest): Promise<CloudAccount> {
    const { tenantId } = request;
    if (request.accountArn === undefined) throw fieldError('account_arn', 'This field is required.');
    const arn = parseRoleArn(request.accountArn);
    if (!arn) throw fieldError('account_arn', 'Invalid ARN.');
    const named = request.name === undefined ? [] : await store.filterAccounts(tenantId, { words: [] });
    if (named.some((account) => account.name === request.name)) throw nameTaken(tenantId, request.name);
    const sameAwsAccount = await store.findAccountsByAwsAccountId(arn.awsAccountId);
    if (sameAwsAccount.some((account) => account.accountArn === request.accountArn))
      throw fieldError('account_arn', 'aws account with this account arn already exists.');
    if (sameAwsAccount.length > 0)
      throw fieldError('account_arn', `An ARN already exists for account "${arn.awsAccountId}"`);
    if (!aws) {
      throw new AppError('unprocessable', 'AWS accounts are not configured on this Overcast (no AWS credentials).', {
        details: [{ path: 'resourcetype', message: 'AwsAccount needs AWS credentials on the image inspector' }],
      });
    }
    const discovered = await aws.registerAccount(request.accountArn, arn.awsAccountId);
    const account = await insert(tenantId, {
      tenantId,
      type: 'aws',
      name: request.name ?? null,
      awsAccountId: arn.awsAccountId,
      accountArn: request.accountArn,
    });
    await store.recordDiscovery(tenantId, account.id, { ...discovered, at: clock.now() });
    return account;
  }

  return {
    async createAccount(request) {
      if (request.type === 'aws') return createAwsAccount(request);
      if (request.accountArn !== undefined) throw fieldError('account_arn', 'A local account has no ARN.');
      return insert(request.tenantId, {
        tenantId: request.tenantId,
        type: 'local',
        name: request.name ?? null,
        awsAccountId: null,
        accountArn: null,
      });
    },
    listAccounts: ({ tenantId, ...page }) => store.listAccounts(tenantId, page),
    async getAccount({ tenantId, id }) {
      return (await store.findAccount(tenantId, id)) ?? Promise.reject(notFound());
    },
    async renameAccount({ tenantId, id, name, accountArn }) {
      const account = await store.findAccount(tenantId, id);
      if (!account) throw notFound();
      if (accountArn !== undefined && accountArn !== account.accountArn)
        throw fieldError('account_arn', 'You cannot change this field.');
      if (name === undefined) return account;
      try {
        return (await store.renameAccount(tenantId, id, name)) ?? Promise.reject(notFound());
      } catch (error) {
        if (error instanceof AccountConflict) throw nameTaken(tenantId, name);
        throw error;
      }
    },
  };
}
