/** Resource bodies shaped like the Compute REST API's documented answers (fields Overcast reads, plus context). */
export const project = 'overcast-test';
export const zone = 'europe-west1-b';
export const overcastId = '0d654ef4-75b9-49a6-9f90-f9b1ae3501fc';
export const base = `/compute/v1/projects/${project}`;
export const zoneBase = `${base}/zones/${zone}`;
export const instancePath = `${zoneBase}/instances/overcast-${overcastId}`;
const selfLinkBase = `https://www.googleapis.com/compute/v1/projects/${project}`;

export function instanceBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'compute#instance',
    id: '4567890123456789012',
    creationTimestamp: '2026-11-02T02:00:00.000-08:00',
    name: `overcast-${overcastId}`,
    machineType: `${selfLinkBase}/zones/${zone}/machineTypes/n1-standard-2`,
    status: 'RUNNING',
    zone: `${selfLinkBase}/zones/${zone}`,
    networkInterfaces: [
      {
        kind: 'compute#networkInterface',
        name: 'nic0',
        network: `${selfLinkBase}/global/networks/default`,
        networkIP: '10.132.0.7',
        accessConfigs: [
          { kind: 'compute#accessConfig', type: 'ONE_TO_ONE_NAT', name: 'External NAT', natIP: '203.0.113.9' },
        ],
      },
    ],
    labels: { 'overcast-id': overcastId, role: 'worker' },
    selfLink: `${selfLinkBase}/zones/${zone}/instances/overcast-${overcastId}`,
    ...overrides,
  };
}

export function operationBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'compute#operation',
    id: '7281945612398457123',
    name: 'operation-1762077600000-5a1b2c3d4e5f6-abcdef01-23456789',
    zone: `${selfLinkBase}/zones/${zone}`,
    operationType: 'insert',
    targetLink: `${selfLinkBase}/zones/${zone}/instances/overcast-${overcastId}`,
    status: 'RUNNING',
    progress: 0,
    insertTime: '2026-11-02T02:00:00.000-08:00',
    selfLink: `${selfLinkBase}/zones/${zone}/operations/operation-1762077600000-5a1b2c3d4e5f6-abcdef01-23456789`,
    ...overrides,
  };
}

export const operationName = operationBody().name;

export function imageBody(name: string, creationTimestamp: string, overrides: Record<string, unknown> = {}) {
  return {
    kind: 'compute#image',
    id: String(1000 + name.length),
    name,
    creationTimestamp,
    status: 'READY',
    family: 'worker',
    selfLink: `${selfLinkBase}/global/images/${name}`,
    ...overrides,
  };
}
