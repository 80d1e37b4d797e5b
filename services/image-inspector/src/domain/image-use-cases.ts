import { AppError, type MachineImage } from '@overcast/contracts';
import type { OffsetPage, Page, UsageStore } from './ports';

export interface ImageUseCases {
  listImages(request: { tenantId: string } & OffsetPage): Promise<Page<MachineImage>>;
  getImage(request: { tenantId: string; id: number }): Promise<MachineImage>;
  challengeImage(request: {
    tenantId: string;
    id: number;
    rhelChallenged?: boolean;
    openshiftChallenged?: boolean;
  }): Promise<MachineImage>;
}

const notFound = () => new AppError('not_found', 'Not found.');

export function createImageUseCases({ store }: { store: UsageStore }): ImageUseCases {
  return {
    listImages: ({ tenantId, ...page }) => store.listImages(tenantId, page),
    async getImage({ tenantId, id }) {
      return (await store.findImage(tenantId, id)) ?? Promise.reject(notFound());
    },
    async challengeImage({ tenantId, id, ...challenge }) {
      return (await store.challengeImage(tenantId, id, challenge)) ?? Promise.reject(notFound());
    },
  };
}
