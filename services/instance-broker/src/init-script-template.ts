import { readFileSync } from 'node:fs';
import { checkInitScriptTemplate, defaultInitScriptTemplate } from './domain/init-script';

/** The operator's template, refused at start when it does not parse or uses a field or function that does not exist. */
export function loadInitScriptTemplate(file: string | undefined): string {
  if (!file) return defaultInitScriptTemplate;
  const template = readFileSync(file, 'utf8');
  try {
    checkInitScriptTemplate(template);
  } catch (error) {
    throw new Error(`INIT_SCRIPT_TEMPLATE_FILE: ${(error as Error).message}`, { cause: error });
  }
  return template;
}
