import path from 'node:path';
import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const protoFile = path.join(__dirname, '..', 'proto', 'datacenter_agent.proto');

// Field names as the proto writes them; uint64 as a JS number (memory sizes stay far below 2^53); defaults filled.
const loaded = loadSync(protoFile, { keepCase: true, longs: Number, enums: String, defaults: true, arrays: true });
const protocol = loadPackageDefinition(loaded) as unknown as {
  overcast: { registry: { v1: GrpcObject & { DatacenterAgent: ServiceClientConstructor } } };
};

/** The DatacenterAgent service: `service` for a server's addService, the constructor for a client. */
export const DatacenterAgentClient = protocol.overcast.registry.v1.DatacenterAgent;
export const datacenterAgentService = DatacenterAgentClient.service;
