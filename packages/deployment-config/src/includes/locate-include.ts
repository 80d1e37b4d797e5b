import path from 'node:path';

/** Where an include points once resolved against the file that lists it. */
export type IncludeLocation = { kind: 'file'; path: string } | { kind: 'https'; url: string };

/** The identity of a location: what loop detection compares and what errors name as their source. */
export function locationKey(location: IncludeLocation): string {
  return location.kind === 'file' ? location.path : location.url;
}

function isHttpsUrl(source: string): boolean {
  return /^https:\/\//i.test(source);
}

/**
 * README: `"x.yml"` is beside the including file, `"/tmp/x.yml"` is that path, `"https://…"` is fetched. A file
 * fetched over https resolves its own relative (and rooted) includes against its URL, never against the local
 * disk: a remote document must not be able to read the machine that includes it.
 */
export function locateInclude(reference: string, includedFrom: string): IncludeLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(reference)?.[1]?.toLowerCase();
  if (scheme === 'https') return { kind: 'https', url: new URL(reference).href };
  if (scheme === 'http') throw new Error('plain http includes are refused: use https');
  if (scheme && scheme.length > 1) throw new Error(`"${scheme}:" includes are not supported (a path or an https URL)`);
  if (isHttpsUrl(includedFrom)) return { kind: 'https', url: new URL(reference, includedFrom).href };
  const resolved = path.isAbsolute(reference) ? reference : path.resolve(path.dirname(includedFrom), reference);
  return { kind: 'file', path: path.normalize(resolved) };
}
