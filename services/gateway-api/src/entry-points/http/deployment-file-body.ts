import { AppError } from '@overcast/contracts';
import express, { type Request, type RequestHandler } from 'express';

// The file as it was sent, beside the body the spec validates: problems name lines of what the caller wrote.
const sourceOf = new WeakMap<Request, string>();

/**
 * An overcast.yml body (the operations whose content includes `application/yaml`): read as text whatever its label,
 * as every gateway body is; labelled JSON it is parsed, so the spec's `application/json` schema checks an object.
 * The registry reads the text itself (YAML reads JSON too), so a JSON file's problems carry its own line numbers.
 */
export function parseDeploymentFileBody(limit: string): RequestHandler[] {
  const readText = express.text({ limit, type: () => true });
  const keepSource: RequestHandler = (req, _res, next) => {
    if (typeof req.body !== 'string') return next();
    sourceOf.set(req, req.body);
    if (!req.is(['application/json', '+json'])) return next();
    try {
      req.body = JSON.parse(req.body) as unknown;
    } catch (error) {
      throw new AppError('bad_request', 'The request is invalid.', {
        details: [{ path: 'body', message: `is not JSON: ${(error as Error).message}` }],
      });
    }
    next();
  };
  return [readText, keepSource];
}

/** The overcast.yml a deployment-file route received, exactly as sent. */
export function deploymentFileOf(req: Request): string {
  const source = sourceOf.get(req);
  if (source === undefined) throw new AppError('internal', 'route reached without its deployment file');
  return source;
}
