import type { CloudAccount } from '@overcast/contracts';

/** What registering an AwsAccount needs of AWS (FACTS 4.1); the aws data-access implements it. */
export interface AwsAccountAccess {
  /**
   * Assumes the role and verifies the policy by DryRun, refusing with cloudigrade's wording. Resolves with the step
   * to run once the account row exists: the CloudTrail trail and the running instances with their images.
   */
  verifyAccount(arn: string, awsAccountId: string): Promise<{ afterSaving(account: CloudAccount): Promise<void> }>;
}
