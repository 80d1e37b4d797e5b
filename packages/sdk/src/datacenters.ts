import type { ApiContext } from './http.ts';
import { expectSuccess } from './http.ts';
import type { RequestOptions } from './transport/send-with-retries.ts';
import type {
  Datacenter,
  DatacenterMatches,
  RegisterAccountRequest,
  RegisterDatacenterRequest,
  RegisteredDatacenter,
  RegistryAccount,
  UpdateDatacenterRequest,
} from './types.ts';
import { deploymentFileBody } from './deployment-file.ts';

export interface DatacentersApi {
  /** Photon's DatacenterCreate: the agent's public key (or CSR) in, its intermediate CA certificate out. */
  register(request: RegisterDatacenterRequest, options?: RequestOptions): Promise<RegisteredDatacenter>;
  list(options?: RequestOptions): Promise<Datacenter[]>;
  get(id: string, options?: RequestOptions): Promise<Datacenter>;
  update(id: string, request: UpdateDatacenterRequest, options?: RequestOptions): Promise<Datacenter>;
  delete(id: string, options?: RequestOptions): Promise<void>;
  /** Photon's `search`: per datacenter entry of the file (YAML or JSON text), the datacenters that satisfy it. */
  match(file: string, options?: RequestOptions): Promise<DatacenterMatches>;
}

export interface RegistryApi {
  /** Photon's AccountCreate: a public key (the private key stays with the caller) in, a certificate out. */
  registerAccount(request: RegisterAccountRequest, options?: RequestOptions): Promise<RegistryAccount>;
}

export function createRegistryApi({ http, call }: ApiContext): RegistryApi {
  return {
    registerAccount: (request, options) =>
      expectSuccess(http.POST('/registry/accounts', { body: request, ...call(options) })),
  };
}

export function createDatacentersApi({ http, call }: ApiContext): DatacentersApi {
  return {
    register: (request, options) => expectSuccess(http.POST('/datacenters', { body: request, ...call(options) })),
    list: async (options) => (await expectSuccess(http.GET('/datacenters', { ...call(options) }))).datacenters,
    get: (id, options) => expectSuccess(http.GET('/datacenters/{id}', { params: { path: { id } }, ...call(options) })),
    update: (id, request, options) =>
      expectSuccess(http.PATCH('/datacenters/{id}', { params: { path: { id } }, body: request, ...call(options) })),
    delete: async (id, options) => {
      await expectSuccess(http.DELETE('/datacenters/{id}', { params: { path: { id } }, ...call(options) }));
    },
    match: (file, options) =>
      expectSuccess(http.POST('/datacenters/match', { ...deploymentFileBody(file), ...call(options) })),
  };
}
