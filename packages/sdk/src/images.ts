import type { ApiContext } from './http.ts';
import { expectSuccess } from './http.ts';
import type { RequestOptions } from './transport/send-with-retries.ts';
import type { Image, ImageFilters, RegisterImageRequest } from './types.ts';

export interface ImagesApi {
  list(filters?: ImageFilters, options?: RequestOptions): Promise<Image[]>;
  /** Not retried after a 503 or a broken connection: the API takes no Idempotency-Key here yet. */
  register(request: RegisterImageRequest, options?: RequestOptions): Promise<Image>;
  /** Makes it the one active image of its provider and role. */
  activate(id: string, options?: RequestOptions): Promise<Image>;
}

export function createImagesApi({ http, call }: ApiContext): ImagesApi {
  return {
    async list(filters = {}, options) {
      const { active, ...rest } = filters;
      const query = {
        ...rest,
        ...(active === undefined ? {} : { active: active ? ('true' as const) : ('false' as const) }),
      };
      return (await expectSuccess(http.GET('/images', { params: { query }, ...call(options) }))).images;
    },
    register: (request, options) => expectSuccess(http.POST('/images', { body: request, ...call(options) })),
    activate: (id, options) =>
      expectSuccess(http.POST('/images/{id}/activate', { params: { path: { id } }, ...call(options) })),
  };
}
