export { createAwsComputeProvider } from './aws-compute-provider';
export type { AwsComputeConfig, InstanceSize } from './config';
export { defaultInstanceTypes as defaultAwsInstanceTypes } from './config';
export { mapEc2State } from './ec2-instance-mapping';
