/**
 * Sections of a yum/dnf INI file, read the way Python's configparser (yum's and houndigrade's reader) does for
 * these files: `key=value` or `key: value`, `#`/`;` comment lines, indented lines continuing a value, later keys
 * winning. Written here because the ini package nests sections on dots and turns values into booleans and arrays,
 * which misreads repo ids like [rhel-7.9-server] and values like enabled=true.
 */
export function readIniSections(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header?.[1] !== undefined) {
      current = sections.get(header[1]) ?? new Map<string, string>();
      sections.set(header[1], current);
      lastKey = undefined;
      continue;
    }
    if (!current) continue;
    if (/^\s/.test(line) && lastKey !== undefined) {
      current.set(lastKey, `${current.get(lastKey) ?? ''}\n${trimmed}`);
      continue;
    }
    const separator = /[=:]/.exec(trimmed);
    if (!separator) continue;
    lastKey = trimmed.slice(0, separator.index).trim().toLowerCase();
    current.set(lastKey, trimmed.slice(separator.index + 1).trim());
  }
  return sections;
}
