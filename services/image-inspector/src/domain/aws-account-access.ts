/** An instance running in a customer's account when it registered (FACTS 4.1). */
export interface DiscoveredInstance {
  cloudInstanceId: string;
  region: string;
  imageId: string | null;
  instanceType: string | null;
  subnet: string | null;
}

/** An image those instances run, as EC2 describes it. */
export interface DiscoveredImage {
  cloudImageId: string;
  name: string | null;
  ownerAccountId: string | null;
  windows: boolean;
  /** Tagged `cloudigrade-ocp-present`. */
  openshift: boolean;
}

/** What registering an AwsAccount needs of AWS; the aws data-access implements it. */
export interface AwsAccountAccess {
  /**
   * Assumes the role, verifies the policy (EC2 actions by DryRun, the EBS direct API actions the inspection job reads
   * snapshots with by a probe on a snapshot that does not exist), configures the CloudTrail trail `cloudigrade-<account id>` and
   * lists the running instances of every region with their images; refuses with cloudigrade's wording (bad_request
   * naming `account_arn`). Idempotent: registering again finds the trail and updates it.
   */
  registerAccount(
    arn: string,
    awsAccountId: string,
  ): Promise<{ instances: DiscoveredInstance[]; images: DiscoveredImage[] }>;
}
