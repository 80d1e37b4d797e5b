import type { OvercastHttpClient } from './http';
import { expectSuccess } from './http';
import type { Image, ImageFilters, RegisterImageRequest } from './types';

export interface ImagesApi {
  list(filters?: ImageFilters): Promise<Image[]>;
  register(request: RegisterImageRequest): Promise<Image>;
  /** Makes it the one active image of its provider and role. */
  activate(id: string): Promise<Image>;
}

export function createImagesApi(http: OvercastHttpClient): ImagesApi {
  return {
    async list(filters = {}) {
      const { active, ...rest } = filters;
      const query = {
        ...rest,
        ...(active === undefined ? {} : { active: active ? ('true' as const) : ('false' as const) }),
      };
      return (await expectSuccess(http.GET('/images', { params: { query } }))).images;
    },
    register: (request) => expectSuccess(http.POST('/images', { body: request })),
    activate: (id) => expectSuccess(http.POST('/images/{id}/activate', { params: { path: { id } } })),
  };
}
