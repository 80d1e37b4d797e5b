import {
  CreateInstanceBuildRequest,
  CreateInstanceRequest,
  GetInitScriptRequest,
  instanceBrokerCommands,
  instanceBrokerRpcs,
  instanceEvents,
  ListInstancesRequest,
  readInstanceConsoleRpc,
} from './index';

describe('instance broker contracts', () => {
  it('names every RPC after the broker and every event as <aggregate>.<past-tense>', () => {
    for (const rpc of Object.values(instanceBrokerRpcs)) expect(rpc.service).toBe('instance-broker');
    for (const command of Object.values(instanceBrokerCommands)) expect(command.service).toBe('instance-broker');
    expect(Object.keys(instanceEvents)).toEqual([
      'instance.state_changed',
      'instance.terminated',
      'instance-build.started',
      'instance-build.finished',
      'instance.lifecycle_reported',
    ]);
  });

  it('accepts a cloud-brain create with only provider and image', () => {
    expect(CreateInstanceRequest.parse({ tenantId: 't1', provider: 'gce', image: 'image-2016-01-01' })).toEqual({
      tenantId: 't1',
      provider: 'gce',
      image: 'image-2016-01-01',
    });
  });

  it('leaves an instance type to the provider (a native one passes) but refuses an empty one by naming the field', () => {
    const request = { tenantId: 't1', provider: 'aws', image: 'x' };
    expect(CreateInstanceRequest.safeParse({ ...request, instanceType: 'c3.2xlarge' }).success).toBe(true);
    const result = CreateInstanceRequest.safeParse({ ...request, instanceType: '' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['instanceType']);
  });

  it('lists every invalid instance build field at once', () => {
    const result = CreateInstanceBuildRequest.safeParse({
      tenantId: 't1',
      site: '',
      env: '',
      role: 'worker',
      queue: '',
      instanceType: 'standard',
      count: 0,
      bootInstance: true,
      gatewayUrl: 'https://overcast.example',
    });
    const fields = new Set(result.error?.issues.map((issue) => issue.path.join('.')));
    expect([...fields].sort()).toEqual(['count', 'env', 'queue', 'site']);
  });

  it('refuses a gateway URL that is not http(s)', () => {
    const result = CreateInstanceBuildRequest.safeParse({
      tenantId: 't1',
      site: 'org',
      env: 'test',
      role: 'worker',
      queue: 'docker',
      instanceType: 'standard',
      count: 1,
      bootInstance: true,
      gatewayUrl: 'file:///etc/passwd',
    });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['gatewayUrl']);
  });

  it('needs a tenant or a per-build secret to read an init script', () => {
    expect(GetInitScriptRequest.safeParse({ buildId: 'b' }).success).toBe(false);
    expect(GetInitScriptRequest.safeParse({ buildId: 'b', secret: 's' }).success).toBe(true);
    expect(GetInitScriptRequest.safeParse({ buildId: 'b', tenantId: 't' }).success).toBe(true);
  });

  it('defaults the page size of a list', () => {
    expect(ListInstancesRequest.parse({ tenantId: 't1', env: 'staging' }).limit).toBe(50);
  });

  it('offers the console read in the broker catalog, scoped to a tenant', () => {
    expect(instanceBrokerRpcs['instance.console']).toBe(readInstanceConsoleRpc);
    expect(readInstanceConsoleRpc.request.safeParse({ id: 'i-1' }).success).toBe(false);
    expect(readInstanceConsoleRpc.response.parse({ text: '' })).toEqual({ text: '' });
  });
});
