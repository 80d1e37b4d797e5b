import type { LiveServiceState } from './container-platform';
import { commandWordsOf, loadBalancerNameOf, recordNameOf, serviceNameOf, serviceStatusOf } from './names';

const live = (deployments: LiveServiceState['deployments'], status = 'ACTIVE'): LiveServiceState => ({
  app: 'nginx',
  service: 'web',
  name: 'nginx-web',
  status,
  desiredCount: 1,
  runningCount: 1,
  taskDefinition: 'nginx-web:1',
  image: 'nginx:latest',
  command: null,
  envKeys: [],
  deployments,
  loadBalancer: null,
});

describe('container platform names', () => {
  it('names a service, its family and its DNS record as Barcelona did', () => {
    expect(serviceNameOf({ app: 'awesome-app', service: 'web' })).toBe('awesome-app-web');
    expect(recordNameOf({ app: 'awesome-app', service: 'web' }, 'bcn.')).toBe('web.awesome-app.bcn.');
    expect(recordNameOf({ app: 'awesome-app', service: 'web' }, 'bcn')).toBe('web.awesome-app.bcn.');
  });

  it('keeps a load balancer name within 32 characters and distinct for two long names', () => {
    const first = loadBalancerNameOf({ app: 'a-very-long-application-name', service: 'worker-one' });
    const second = loadBalancerNameOf({ app: 'a-very-long-application-name', service: 'worker-two' });
    expect(loadBalancerNameOf({ app: 'nginx', service: 'web' })).toBe('nginx-web');
    expect(first.length).toBeLessThanOrEqual(32);
    expect(first).toMatch(/^[A-Za-z0-9-]+$/);
    expect(first).not.toBe(second);
  });

  it("maps the live service onto Barcelona's statuses", () => {
    const primary = { status: 'PRIMARY', taskDefinition: 'nginx-web:2', desiredCount: 1, runningCount: 1 };
    expect(serviceStatusOf(null)).toBe('not_created');
    expect(serviceStatusOf(live([primary], 'DRAINING'))).toBe('inactive');
    expect(serviceStatusOf(live([primary]))).toBe('active');
    expect(serviceStatusOf(live([{ ...primary, runningCount: 0 }]))).toBe('deploying');
    expect(serviceStatusOf(live([primary, { ...primary, status: 'ACTIVE', taskDefinition: 'nginx-web:1' }]))).toBe(
      'deploying',
    );
    expect(serviceStatusOf(live([]))).toBe('unknown');
  });

  it('splits a command on spaces, none when blank', () => {
    expect(commandWordsOf('rake  db:migrate')).toEqual(['rake', 'db:migrate']);
    expect(commandWordsOf('   ')).toBeUndefined();
    expect(commandWordsOf(null)).toBeUndefined();
  });
});
