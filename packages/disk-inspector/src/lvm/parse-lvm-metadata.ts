import { refuse } from '../inspection-error';

/** A value in LVM2's text metadata: a number, a string, a list, or a section of named values. */
export type LvmValue = number | string | LvmValue[] | LvmSection;
export interface LvmSection {
  [name: string]: LvmValue;
}

const maxDepth = 16;
const tokenPattern = /\s+|#[^\n]*|"(?:[^"\\]|\\.)*"|-?\d+|[A-Za-z0-9_.+-]+|[{}[\]=,]/y;

/**
 * LVM2's metadata text (the volume group as `lvm` writes it into the metadata area): `name = value` and
 * `name { … }` at any depth, values being numbers, "strings" and [lists]. Anything else is refused.
 */
export function parseLvmMetadata(text: string): LvmSection {
  const tokens = tokenize(text);
  let at = 0;
  const next = (): string => {
    refuse(at < tokens.length, 'LVM: the metadata ends early');
    return tokens[at++] as string;
  };
  const value = (token: string, depth: number): LvmValue => {
    if (token.startsWith('"')) return token.slice(1, -1).replace(/\\(.)/g, '$1');
    if (/^-?\d+$/.test(token)) return Number(token);
    refuse(token === '[' && depth < maxDepth, `LVM: unexpected "${token}" in the metadata`);
    const list: LvmValue[] = [];
    for (let item = next(); item !== ']'; item = next()) {
      if (item !== ',') list.push(value(item, depth + 1));
    }
    return list;
  };
  const section = (depth: number, closing: string | undefined): LvmSection => {
    refuse(depth < maxDepth, 'LVM: metadata nested deeper than any volume group');
    const result: LvmSection = {};
    while (at < tokens.length) {
      const name = next();
      if (name === closing) return result;
      refuse(/^[A-Za-z0-9_.+-]+$/.test(name), `LVM: unexpected "${name}" in the metadata`);
      const operator = next();
      if (operator === '{') result[name] = section(depth + 1, '}');
      else {
        refuse(operator === '=', `LVM: expected "=" after ${name}`);
        result[name] = value(next(), depth);
      }
    }
    refuse(closing === undefined, 'LVM: a section is never closed');
    return result;
  };
  return section(0, undefined);
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < text.length) {
    const start = tokenPattern.lastIndex;
    const match = tokenPattern.exec(text);
    refuse(match !== null, `LVM: cannot read the metadata at character ${start}`);
    const token = match[0];
    if (!/^\s/.test(token) && !token.startsWith('#')) tokens.push(token);
  }
  return tokens;
}
