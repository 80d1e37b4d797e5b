import type { OpenApiDocument, OperationObject } from '../openapi-document';
import { listOperations } from '../walk-document';
import { cliSample, curlSample, sdkSample, type CodeSample } from './code-samples';
import { sampleRequest } from './sample-request';

/** Where a tag without `x-overcast-group` goes in the reference page's sidebar. */
export const defaultTagGroup = 'API';

type Badge = { name: string; color: string };
type ReferenceOperation = OperationObject & { 'x-codeSamples': CodeSample[]; 'x-badges'?: Badge[] };

/**
 * The document as one gateway serves it: its own URL as the only server, and the reference page's extensions
 * (Scalar's and Redoc's `x-codeSamples`, `x-badges`, `x-tagGroups`) made from the merged spec, so every domain's
 * operations get their samples and labels without a list to keep up to date.
 */
export function referenceDocument(document: OpenApiDocument, serverUrl: string): OpenApiDocument {
  const copy = structuredClone(document);
  copy.servers = [{ url: serverUrl, description: 'This gateway (the one that served this document)' }];
  for (const entry of listOperations(copy)) {
    const sample = sampleRequest(entry, copy);
    const operation = entry.operation as ReferenceOperation;
    operation['x-codeSamples'] = [curlSample(sample, serverUrl), sdkSample(sample, serverUrl), cliSample(sample)];
    const badges = badgesOf(operation);
    if (badges.length > 0) operation['x-badges'] = badges;
  }
  return Object.assign(copy, { 'x-tagGroups': tagGroups(copy) });
}

function badgesOf(operation: OperationObject): Badge[] {
  const badges: Badge[] = [];
  if (operation['x-overcast-role'] === 'admin') badges.push({ name: 'admin only', color: 'var(--scalar-color-red)' });
  if (operation['x-overcast-legacy'] === true) badges.push({ name: 'legacy', color: 'var(--scalar-color-orange)' });
  return badges;
}

/** Tags grouped by `x-overcast-group`: the everyday API first, then the other groups as their first tag appears. */
function tagGroups(document: OpenApiDocument): { name: string; tags: string[] }[] {
  const groups = new Map<string, string[]>([[defaultTagGroup, []]]);
  const declared = new Set((document.tags ?? []).map((tag) => tag.name));
  for (const tag of document.tags ?? []) {
    const name = tag['x-overcast-group'] ?? defaultTagGroup;
    groups.set(name, [...(groups.get(name) ?? []), tag.name]);
  }
  // An operation's tag the document never declared still needs a group, or Scalar hides its operations.
  const undeclared = [...new Set(listOperations(document).flatMap(({ operation }) => operation.tags ?? []))].filter(
    (tag) => !declared.has(tag),
  );
  if (undeclared.length > 0) groups.set(defaultTagGroup, [...(groups.get(defaultTagGroup) ?? []), ...undeclared]);
  return [...groups].filter(([, tags]) => tags.length > 0).map(([name, tags]) => ({ name, tags }));
}
