import { randomUUID } from 'node:crypto';
import { AppError, type RequestOf, type ResponseOf } from '@overcast/contracts';
import type {
  createAccountRpc,
  createDatacenterRpc,
  deleteDatacenterRpc,
  getDatacenterRpc,
  listDatacentersRpc,
  matchDatacentersRpc,
  updateDatacenterRpc,
} from '@overcast/contracts';
import type { CertificateAuthority } from '../ca/certificate-authority';
import { publicKeyOf } from '../ca/keys';
import { indexOffers, matchEntry } from './match-datacenters';
import { requirementsOf } from './offers';
import type { Clock, RegistryStore } from './ports';
import { presentDatacenter } from './present';
import type { ConfigReader } from './read-config';

export interface DatacenterUseCaseDeps {
  store: RegistryStore;
  ca: CertificateAuthority;
  configs: ConfigReader;
  clock: Clock;
}

const datacenterNotFound = () => new AppError('not_found', 'datacenter not found');

export function createDatacenterUseCases({ store, ca, configs, clock }: DatacenterUseCaseDeps) {
  return {
    /** Photon's AccountCreate: the caller's public key (or CSR) in, a leaf certificate and the CA bundle out. */
    async createAccount(request: RequestOf<typeof createAccountRpc>): Promise<ResponseOf<typeof createAccountRpc>> {
      const key = await publicKeyOf(request.key, 'body');
      const id = randomUUID();
      const certificate = await ca.issueLeaf('account', id, key);
      const inserted = await store.insertAccount({
        id,
        tenantId: request.tenantId,
        email: request.email,
        certificatePem: certificate,
      });
      if (!inserted) throw new AppError('conflict', `an account for ${request.email} already exists`);
      return { id, email: request.email, certificate, caBundle: ca.caBundle() };
    },

    /** Photon's DatacenterCreate: an intermediate CA certificate for the datacenter's key, and the bundle. */
    async createDatacenter(
      request: RequestOf<typeof createDatacenterRpc>,
    ): Promise<ResponseOf<typeof createDatacenterRpc>> {
      const names = new Set<string>();
      for (const [index, profile] of request.profiles.entries()) {
        if (names.has(profile.name)) {
          throw new AppError('bad_request', 'Profile names must be unique.', {
            details: [{ path: `body.profiles[${index}].name`, message: `${profile.name} is given twice` }],
          });
        }
        names.add(profile.name);
      }
      const key = await publicKeyOf(request.key, 'body');
      const id = randomUUID();
      const certificate = await ca.issueIntermediate(id, key);
      const datacenter = await store.insertDatacenter({
        id,
        tenantId: request.tenantId,
        name: request.name,
        region: request.region,
        endpoint: request.endpoint,
        certificatePem: certificate,
        profiles: request.profiles,
        now: clock.now(),
      });
      if (!datacenter) throw new AppError('conflict', `a datacenter named ${request.name} already exists`);
      return { datacenter: presentDatacenter(datacenter), certificate, caBundle: ca.caBundle() };
    },

    async listDatacenters(
      request: RequestOf<typeof listDatacentersRpc>,
    ): Promise<ResponseOf<typeof listDatacentersRpc>> {
      return { datacenters: (await store.listDatacenters(request.tenantId)).map(presentDatacenter) };
    },

    async getDatacenter(request: RequestOf<typeof getDatacenterRpc>): Promise<ResponseOf<typeof getDatacenterRpc>> {
      const datacenter = await store.findDatacenter(request.tenantId, request.id);
      if (!datacenter) throw datacenterNotFound();
      return presentDatacenter(datacenter);
    },

    async updateDatacenter(
      request: RequestOf<typeof updateDatacenterRpc>,
    ): Promise<ResponseOf<typeof updateDatacenterRpc>> {
      const datacenter = await store.updateDatacenter(request.tenantId, request.id, {
        endpoint: request.endpoint,
        profiles: request.profiles,
      });
      if (!datacenter) throw datacenterNotFound();
      return presentDatacenter(datacenter);
    },

    async deleteDatacenter(
      request: RequestOf<typeof deleteDatacenterRpc>,
    ): Promise<ResponseOf<typeof deleteDatacenterRpc>> {
      if (!(await store.deleteDatacenter(request.tenantId, request.id))) throw datacenterNotFound();
      return {};
    },

    /**
     * Photon's DatacenterMatch / `photon search`: for each datacenter entry of the file, every datacenter of the
     * marketplace (any operator's) that satisfies it now, cheapest first. An invalid file answers its problems.
     */
    async matchDatacenters(
      request: RequestOf<typeof matchDatacentersRpc>,
    ): Promise<ResponseOf<typeof matchDatacentersRpc>> {
      const verdict = await configs.validate(request.source);
      if (!verdict.valid) return { valid: false, errors: verdict.errors, matches: [] };
      const world = await store.inPlacement((tx) => tx.world());
      const index = indexOffers(world.offers);
      return {
        valid: true,
        errors: [],
        matches: requirementsOf(verdict.config).map((requirement) => ({
          entry: requirement.entry,
          region: requirement.region,
          datacenters: matchEntry(index, requirement, world.usage).map((fit) => ({
            id: fit.datacenter.id,
            name: fit.datacenter.name,
            region: fit.datacenter.region,
            price: fit.price,
          })),
        })),
      };
    },
  };
}

export type DatacenterUseCases = ReturnType<typeof createDatacenterUseCases>;
