import { anyCloudTypeOf, canonicalInstanceType, ec2InstanceTypeOf, gceMachineTypeOf } from './machine-types';

const sizes = { standard: 'small-one', premium: 'big-one' };

describe('machine types per provider', () => {
  it("maps cloud-brain's default to the standard size and keeps standard and premium", () => {
    expect(canonicalInstanceType('default')).toBe('standard');
    expect(ec2InstanceTypeOf('default', sizes)).toBe('small-one');
    expect(gceMachineTypeOf('premium', sizes)).toBe('big-one');
  });

  it('boots an EC2 native type as named and refuses a GCE one on EC2', () => {
    expect(ec2InstanceTypeOf('c3.2xlarge', sizes)).toBe('c3.2xlarge');
    expect(ec2InstanceTypeOf('n1-standard-4', sizes)).toBeNull();
  });

  it('boots a GCE machine type as named and refuses an EC2 one on GCE', () => {
    expect(gceMachineTypeOf('n1-standard-4', sizes)).toBe('n1-standard-4');
    expect(gceMachineTypeOf('custom-4-8192', sizes)).toBe('custom-4-8192');
    expect(gceMachineTypeOf('c3.2xlarge', sizes)).toBeNull();
  });

  it('runs any cloud type locally, but nothing that is not a type name', () => {
    expect(anyCloudTypeOf('c3.2xlarge')).toBe('c3.2xlarge');
    expect(anyCloudTypeOf('e2-micro')).toBe('e2-micro');
    expect(anyCloudTypeOf('default')).toBe('standard');
    expect(anyCloudTypeOf('huge')).toBeNull();
    expect(anyCloudTypeOf('C3.2XLARGE; rm')).toBeNull();
  });
});
