// cloudigrade's ARN pattern (FACTS 4.1): partition, service, region, account id, resource type, resource.
const arnPattern = /^arn:(\w+):(\w+):(\w+(?:-\w+)+)?:(\d{1,12})?:([^:/]+)([:/])?(.*)/;

/** The AWS account id a role ARN names, or null when it is no ARN cloudigrade would accept. */
export function parseRoleArn(arn: string): { awsAccountId: string } | null {
  const match = arnPattern.exec(arn);
  const awsAccountId = match?.[4];
  return awsAccountId ? { awsAccountId } : null;
}
