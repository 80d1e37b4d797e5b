import {
  ClientException,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  InvalidParameterException,
  RegisterTaskDefinitionCommand,
  ServiceNotActiveException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DeleteLoadBalancerCommand, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing';
import { DeleteRuleCommand, RemoveTargetsCommand, ResourceNotFoundException } from '@aws-sdk/client-eventbridge';
import {
  ChangeResourceRecordSetsCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
} from '@aws-sdk/client-route-53';
import { serviceStatusOf } from '../names';
import { createMockedContainerPlatform } from './testing/aws-container-mocks';

const web = { app: 'nginx', service: 'web' };
const taskDefinitionArn = 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/nginx-web:7';
const loadBalancer = {
  name: 'nginx-web',
  dnsName: 'nginx-web-1.elb.amazonaws.com',
  recordName: 'web.nginx.bcn.',
  containerName: 'web',
  containerPort: 80,
};

describe('aws services', () => {
  it("registers Barcelona's task definition: family <app>-<service>, command split, host ports, env, syslog", async () => {
    const { cluster, mocks, sent } = createMockedContainerPlatform();
    mocks.ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn, revision: 7 } });

    const registered = await cluster.registerTaskDefinition({
      ...web,
      image: 'nginx:latest',
      cpu: 128,
      memory: 256,
      command: 'nginx -g daemon-off',
      env: { RAILS_ENV: 'production' },
      portMappings: [{ lbPort: 80, containerPort: 80, hostPort: 10080 }],
      release: 3,
    });

    expect(registered).toEqual({ family: 'nginx-web', revision: 7, id: taskDefinitionArn });
    expect(sent()).toEqual([
      {
        command: 'RegisterTaskDefinition',
        input: {
          family: 'nginx-web',
          containerDefinitions: [
            {
              name: 'web',
              image: 'nginx:latest',
              cpu: 128,
              memory: 256,
              essential: true,
              command: ['nginx', '-g', 'daemon-off'],
              portMappings: [{ containerPort: 80, hostPort: 10080 }],
              environment: [{ name: 'RAILS_ENV', value: 'production' }],
              dockerLabels: { 'overcast.release': '3' },
              logConfiguration: {
                logDriver: 'syslog',
                options: { 'syslog-address': 'tcp://127.0.0.1:514', tag: 'web' },
              },
            },
          ],
        },
      },
    ]);
  });

  it('creates a missing service with the client token, its load balancer and the service role', async () => {
    const { cluster, mocks, sent } = createMockedContainerPlatform();
    mocks.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    mocks.ecs.on(CreateServiceCommand).resolves({ service: { serviceArn: 'arn:service/nginx-web' } });

    const created = await cluster.ensureService({
      ...web,
      taskDefinition: taskDefinitionArn,
      desiredCount: 1,
      clientToken: 'deploy-42-web',
      loadBalancer,
    });

    expect(created).toEqual({ name: 'nginx-web', id: 'arn:service/nginx-web', created: true });
    expect(sent()).toEqual([
      { command: 'DescribeServices', input: { cluster: 'default', services: ['nginx-web'] } },
      {
        command: 'CreateService',
        input: {
          cluster: 'default',
          serviceName: 'nginx-web',
          taskDefinition: taskDefinitionArn,
          desiredCount: 1,
          clientToken: 'deploy-42-web',
          loadBalancers: [{ loadBalancerName: 'nginx-web', containerName: 'web', containerPort: 80 }],
          role: 'ecs-service-role',
        },
      },
    ]);
  });

  it('updates an ACTIVE service and creates nothing (a retried step never makes two)', async () => {
    const { cluster, mocks } = createMockedContainerPlatform();
    mocks.ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'nginx-web', status: 'ACTIVE' }] });
    mocks.ecs.on(UpdateServiceCommand).resolves({ service: { serviceArn: 'arn:service/nginx-web' } });

    const updated = await cluster.ensureService({
      ...web,
      taskDefinition: taskDefinitionArn,
      desiredCount: 2,
      clientToken: 'deploy-43-web',
      loadBalancer,
    });

    expect(updated.created).toBe(false);
    expect(mocks.ecs.commandCalls(CreateServiceCommand)).toHaveLength(0);
    expect(mocks.ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
      cluster: 'default',
      service: 'nginx-web',
      taskDefinition: taskDefinitionArn,
      desiredCount: 2,
    });
  });

  it("fails a create ECS refuses as the caller's mistake for good, and a race over the name for a retry", async () => {
    const { cluster, mocks } = createMockedContainerPlatform();
    const $metadata = { httpStatusCode: 400 };
    mocks.ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [] })
      .resolvesOnce({ services: [{ serviceName: 'nginx-web', status: 'ACTIVE' }] })
      .resolves({ services: [] });
    mocks.ecs
      .on(CreateServiceCommand)
      .rejectsOnce(new ClientException({ message: 'Unable to assume role ecs-service-role', $metadata }))
      .rejects(new InvalidParameterException({ message: 'Creation of service was not idempotent.', $metadata }));
    mocks.ecs
      .on(UpdateServiceCommand)
      .rejects(new ServiceNotActiveException({ message: 'Service was not ACTIVE.', $metadata }));
    const ensure = () =>
      cluster.ensureService({ ...web, taskDefinition: taskDefinitionArn, desiredCount: 1, clientToken: 'deploy-44' });

    await expect(ensure()).rejects.toMatchObject({
      retryable: false,
      code: 'ClientException',
      message: 'ECS CreateService failed: ClientException: Unable to assume role ecs-service-role',
    });
    // Made by another create meanwhile, then gone before the update: both races are worth a retry.
    await expect(ensure()).rejects.toMatchObject({ retryable: true, code: 'ServiceNotActiveException' });
    await expect(ensure()).rejects.toMatchObject({ retryable: true, code: 'InvalidParameterException' });
  });

  it('describes the live service for drift: counts, deployments, image, env keys and listeners', async () => {
    const { cluster, mocks } = createMockedContainerPlatform();
    mocks.ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'nginx-web',
          status: 'ACTIVE',
          desiredCount: 3,
          runningCount: 2,
          taskDefinition: taskDefinitionArn,
          loadBalancers: [{ loadBalancerName: 'nginx-web', containerName: 'web', containerPort: 80 }],
          deployments: [
            { status: 'PRIMARY', taskDefinition: taskDefinitionArn, desiredCount: 3, runningCount: 1 },
            { status: 'ACTIVE', taskDefinition: 'nginx-web:6', desiredCount: 1, runningCount: 1 },
          ],
        },
      ],
    });
    mocks.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        containerDefinitions: [
          { name: 'web', image: 'nginx:edited', command: ['nginx'], environment: [{ name: 'B' }, { name: 'A' }] },
        ],
      },
    });
    mocks.elb.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancerDescriptions: [
        {
          LoadBalancerName: 'nginx-web',
          DNSName: 'nginx-web-1.elb.amazonaws.com',
          ListenerDescriptions: [{ Listener: { Protocol: 'TCP', LoadBalancerPort: 80, InstancePort: 10080 } }],
        },
      ],
    });

    const live = await cluster.describeService(web);
    await cluster.describeService(web);

    // A revision never changes: the second look describes the service and balancer, not the task definition again.
    expect(mocks.ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(1);
    expect(mocks.ecs.commandCalls(DescribeServicesCommand)).toHaveLength(2);
    expect(live).toMatchObject({
      desiredCount: 3,
      runningCount: 2,
      taskDefinition: taskDefinitionArn,
      image: 'nginx:edited',
      command: 'nginx',
      envKeys: ['A', 'B'],
      loadBalancer: { listeners: [{ protocol: 'TCP', lbPort: 80, instancePort: 10080 }] },
    });
    expect(serviceStatusOf(live)).toBe('deploying');
  });

  it('deletes as Barcelona did: scale to 0, delete the service, its ELB and CNAME, then any schedule', async () => {
    const { cluster, mocks, sent } = createMockedContainerPlatform();
    mocks.ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'nginx-web', status: 'ACTIVE' }] });
    mocks.route53
      .on(GetHostedZoneCommand)
      .resolves({ HostedZone: { Id: 'Z1234567890', Name: 'bcn.', CallerReference: 'r' } });
    const record = { Name: 'web.nginx.bcn.', Type: 'CNAME' as const, TTL: 300, ResourceRecords: [{ Value: 'x.elb' }] };
    mocks.route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: [record], IsTruncated: false, MaxItems: 1 });
    mocks.events.on(RemoveTargetsCommand).rejects(new ResourceNotFoundException({ message: 'no rule', $metadata: {} }));

    await cluster.deleteService(web);

    expect(sent().map((call) => call.command)).toEqual([
      'DescribeServices',
      'UpdateService',
      'DeleteService',
      'DeleteLoadBalancer',
      'GetHostedZone',
      'ListResourceRecordSets',
      'ChangeResourceRecordSets',
      'RemoveTargets',
    ]);
    expect(mocks.ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
      cluster: 'default',
      service: 'nginx-web',
      desiredCount: 0,
    });
    expect(mocks.ecs.commandCalls(DeleteServiceCommand)[0]?.args[0].input).toEqual({
      cluster: 'default',
      service: 'nginx-web',
    });
    expect(mocks.elb.commandCalls(DeleteLoadBalancerCommand)[0]?.args[0].input).toEqual({
      LoadBalancerName: 'nginx-web',
    });
    expect(mocks.route53.commandCalls(ChangeResourceRecordSetsCommand)[0]?.args[0].input).toEqual({
      HostedZoneId: 'Z1234567890',
      ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: record }] },
    });
    expect(mocks.events.commandCalls(DeleteRuleCommand)).toHaveLength(0);
  });

  it('deleting a service that is gone touches no ECS service and no record', async () => {
    const { cluster, mocks } = createMockedContainerPlatform();
    mocks.ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'nginx-web', status: 'INACTIVE' }] });
    mocks.route53
      .on(GetHostedZoneCommand)
      .resolves({ HostedZone: { Id: 'Z1234567890', Name: 'bcn.', CallerReference: 'r' } });
    mocks.route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: [], IsTruncated: false, MaxItems: 1 });

    await cluster.deleteService(web);

    expect(mocks.ecs.commandCalls(DeleteServiceCommand)).toHaveLength(0);
    expect(mocks.route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
  });
});
