import { readFileSync } from 'node:fs';
import { defaultInitScriptTemplate, initScriptPlaceholders, unknownPlaceholders } from './domain/init-script';

/** The operator's template, refused at start when it uses a placeholder that does not exist. */
export function loadInitScriptTemplate(file: string | undefined): string {
  if (!file) return defaultInitScriptTemplate;
  const template = readFileSync(file, 'utf8');
  const unknown = unknownPlaceholders(template);
  if (unknown.length > 0) {
    throw new Error(
      `INIT_SCRIPT_TEMPLATE_FILE: unknown placeholders ${unknown.map((name) => `{{${name}}}`).join(', ')} ` +
        `(known: ${initScriptPlaceholders.join(', ')})`,
    );
  }
  return template;
}
