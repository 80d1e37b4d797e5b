import type { ContainerPlatform, DistrictPlatform } from '../container-platform';
import { loadBalancerNameOf } from '../names';
import { deleteCluster, ensureCluster, listContainerInstances } from './aws-cluster';
import type { AwsContainerClients, AwsContainerOptions } from './aws-container-clients';
import { createAwsContainerClients } from './aws-container-clients';
import { deleteServiceRecord } from './aws-dns';
import { deleteLoadBalancer, ensureLoadBalancer } from './aws-load-balancer';
import { scheduleTask, unscheduleTask } from './aws-schedules';
import { deleteEcsService, describeService, ensureService, scaleService } from './aws-services';
import { describeTask, runTask } from './aws-tasks';
import { registerTaskDefinition } from './aws-task-definitions';

/**
 * Barcelona's district on AWS: an ECS cluster named after it, services `<app>-<service>` behind classic ELBs with a
 * Route53 CNAME each, one-off tasks by RunTask, cron services as EventBridge rules. Each district's calls use its
 * own credentials; clients are built once per district name.
 */
export function createAwsContainerPlatform(options: AwsContainerOptions = {}): ContainerPlatform {
  const clientsByDistrict = new Map<string, AwsContainerClients>();

  return {
    name: 'aws',
    forDistrict(district): DistrictPlatform {
      const key = `${district.name}\0${district.region ?? ''}\0${district.credentials?.accessKeyId ?? ''}`;
      let clients = clientsByDistrict.get(key);
      if (!clients) {
        clients = (options.clientsFor ?? ((of) => createAwsContainerClients(of, options)))(district);
        clientsByDistrict.set(key, clients);
      }
      const bound = clients;
      const cluster = district.name;
      return {
        ensureCluster: () => ensureCluster(bound, cluster),
        deleteCluster: () => deleteCluster(bound, cluster),
        listContainerInstances: () => listContainerInstances(bound, cluster),
        registerTaskDefinition: (input) => registerTaskDefinition(bound, input),
        ensureLoadBalancer: (input) => ensureLoadBalancer(bound, district, input),
        ensureService: (input) => ensureService(bound, district, input),
        scaleService: (service, desiredCount) => scaleService(bound, cluster, service, desiredCount),
        describeService: (service) => describeService(bound, cluster, service),
        async deleteService(service) {
          await deleteEcsService(bound, cluster, service);
          await deleteLoadBalancer(bound, loadBalancerNameOf(service));
          await deleteServiceRecord(bound, district, service);
          await unscheduleTask(bound, service);
        },
        runTask: (input) => runTask(bound, cluster, input),
        describeTask: (id) => describeTask(bound, cluster, id),
        scheduleTask: (input) => scheduleTask(bound, district, input),
        unscheduleTask: (service) => unscheduleTask(bound, service),
      };
    },
    async close() {
      for (const clients of clientsByDistrict.values()) {
        for (const client of Object.values(clients)) client.destroy();
      }
      clientsByDistrict.clear();
    },
  };
}
