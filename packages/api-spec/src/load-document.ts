import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { OpenApiDocument } from './openapi-document';

/** The root of the spec: info, security, shared components and the instance routes. */
export const openApiYamlPath = path.resolve(__dirname, '..', 'openapi.yaml');
/** One file per later domain (apps, usage, registry…), each with its own `tags`, `paths` and `components`. */
export const openApiDomainsDirectory = path.resolve(__dirname, '..', 'domains');

type DomainFragment = Pick<OpenApiDocument, 'tags' | 'paths' | 'components'>;

function readYaml(filePath: string): unknown {
  return parse(readFileSync(filePath, 'utf8'));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds `extra`'s members to `target`; a name both define is a mistake in the spec, never an override. */
function mergeNamed<T>(target: Record<string, T>, extra: Record<string, T> | undefined, where: string): void {
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (name in target) throw new Error(`${where}: "${name}" is already defined elsewhere in the spec`);
    target[name] = value;
  }
}

function mergeDomain(document: OpenApiDocument, fragment: DomainFragment, filePath: string): void {
  const where = path.relative(path.dirname(openApiYamlPath), filePath);
  const knownTags = new Set((document.tags ?? []).map((tag) => tag.name));
  for (const tag of fragment.tags ?? []) {
    if (knownTags.has(tag.name))
      throw new Error(`${where}: tag "${tag.name}" is already defined elsewhere in the spec`);
    (document.tags ??= []).push(tag);
  }
  mergeNamed(document.paths, fragment.paths, `${where} paths`);
  const components = (document.components ??= {});
  for (const [kind, members] of Object.entries(fragment.components ?? {})) {
    const target = ((components as Record<string, Record<string, unknown>>)[kind] ??= {});
    mergeNamed(target, members as Record<string, unknown>, `${where} components.${kind}`);
  }
}

/** The whole spec: `openapi.yaml` with every `domains/*.yaml` merged in (names sorted, so the order is stable). */
export function loadOpenApiDocument(
  filePath: string = openApiYamlPath,
  domainsDirectory: string = openApiDomainsDirectory,
): OpenApiDocument {
  const parsed = readYaml(filePath);
  if (!isObject(parsed) || !('openapi' in parsed) || !('paths' in parsed)) {
    throw new Error(`${filePath} is not an OpenAPI document (no "openapi" or "paths" member)`);
  }
  const document = parsed as unknown as OpenApiDocument;
  let domainFiles: string[] = [];
  try {
    domainFiles = readdirSync(domainsDirectory).filter((name) => name.endsWith('.yaml'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const name of domainFiles.sort()) {
    const domainPath = path.join(domainsDirectory, name);
    const fragment = readYaml(domainPath);
    if (!isObject(fragment)) throw new Error(`${domainPath} is not a spec fragment (tags, paths, components)`);
    mergeDomain(document, fragment as DomainFragment, domainPath);
  }
  return document;
}
