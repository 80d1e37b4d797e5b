import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultInitScriptTemplate } from './domain/init-script';
import { loadInitScriptTemplate } from './init-script-template';

describe('operator init script template', () => {
  const dir = mkdtempSync(join(tmpdir(), 'broker-template-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the built-in template when none is configured', () => {
    expect(loadInitScriptTemplate(undefined)).toBe(defaultInitScriptTemplate);
  });

  it("accepts a template in pudding's language", () => {
    const file = join(dir, 'ok.sh');
    writeFileSync(file, '#!/bin/sh\necho {{ .Site }} {{ env `HOME` }} "{{ .InstanceLaunchURL }}"\n');
    expect(loadInitScriptTemplate(file)).toContain('{{ .Site }}');
  });

  it('refuses a template with an unknown field at start, naming it', () => {
    const file = join(dir, 'bad.sh');
    writeFileSync(file, '#!/bin/sh\necho {{ .DatabasePassword }}\n');
    expect(() => loadInitScriptTemplate(file)).toThrow(
      'INIT_SCRIPT_TEMPLATE_FILE: line 2: the context has no field "DatabasePassword"',
    );
  });
});
