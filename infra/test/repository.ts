import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** The repository root: the deployment files refer to paths relative to it. */
export const repositoryRoot = join(__dirname, '..', '..');

export function repositoryPath(...segments: string[]): string {
  return join(repositoryRoot, ...segments);
}

export function readText(...segments: string[]): string {
  return readFileSync(repositoryPath(...segments), 'utf8');
}

/** Parses YAML as compose and kustomize do, merge keys (`<<: *anchor`) included. */
export function readYaml(...segments: string[]): unknown {
  return parse(readText(...segments), { merge: true });
}

export function readYamlDocuments(...segments: string[]): unknown[] {
  return parseAllDocuments(readText(...segments), { merge: true }).map((document) => document.toJS() as unknown);
}

/** Files under `directory` (absolute), as paths relative to it. */
export function listFiles(directory: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(directory, path));
    }
  };
  walk(directory);
  return files.sort();
}

export function exists(...segments: string[]): boolean {
  return existsSync(repositoryPath(...segments));
}

/** A narrow, readable way to walk parsed YAML: a record, or fail naming where. */
export function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected a mapping, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

export function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}
