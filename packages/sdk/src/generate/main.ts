import { writeFileSync } from 'node:fs';
import { generateOpenApiTypes } from './generate-openapi-types';
import { generatedTypesPath } from './generated-types-file';

/** `generate` writes the committed file; `--stdout` prints it instead (the staleness test compares that). */
async function main(): Promise<void> {
  const source = await generateOpenApiTypes();
  if (process.argv.includes('--stdout')) {
    process.stdout.write(source);
    return;
  }
  writeFileSync(generatedTypesPath, source);
  process.stdout.write(`wrote ${generatedTypesPath}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`could not generate the SDK types: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
