import { AppError, type ConfigProblem } from '@overcast/contracts';
import type { DeploymentConfig, DeploymentConfigParser, IncludeLoader } from '@overcast/deployment-config';

export interface ConfigReader {
  /** The same verdict `overcast validate` gives offline: every problem with its path and line. */
  validate(
    source: string,
  ): Promise<{ valid: true; config: DeploymentConfig } | { valid: false; errors: ConfigProblem[] }>;
  /** The parsed config, or bad_request listing every problem (`deployment.services.web.westcoast.profile`). */
  read(source: string): Promise<DeploymentConfig>;
}

/** The name a file sent in a request body has in error messages. */
const requestSource = 'overcast.yml';

export function createConfigReader(parser: DeploymentConfigParser, loadInclude: IncludeLoader): ConfigReader {
  async function validate(source: string) {
    const result = await parser.parse(source, { source: requestSource, loadInclude });
    return result.ok
      ? ({ valid: true, config: result.config } as const)
      : ({ valid: false, errors: result.errors } as const);
  }
  return {
    validate,
    async read(source) {
      const verdict = await validate(source);
      if (verdict.valid) return verdict.config;
      throw new AppError('bad_request', 'The deployment file is invalid.', {
        details: verdict.errors.map((error) => ({ path: error.path, message: `line ${error.line}: ${error.message}` })),
      });
    },
  };
}
