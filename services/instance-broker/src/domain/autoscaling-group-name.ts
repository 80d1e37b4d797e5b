import { AppError } from '@overcast/contracts';
import { parseGoTemplate, TemplateError } from './template/go-template';

/** pudding's default: role, site, env, queue, the instance id without `i-`, and the build's Unix time. */
export const defaultAutoscalingNameTemplate =
  '{{.Role}}-{{.Site}}-{{.Env}}-{{.Queue}}-{{.InstanceIDWithoutPrefix}}-{{.Timestamp}}';

/** The fields of pudding's build a name template could read (its Go struct's, and the method it used). */
export interface AutoscalingNameContext {
  ID: string;
  InstanceID: string;
  InstanceIDWithoutPrefix: string;
  Role: string;
  Site: string;
  Env: string;
  Queue: string;
  MinSize: number;
  MaxSize: number;
  DesiredCapacity: number;
  Timestamp: number;
}

// The longest suffix a step adds (`-lch-terminating`); Auto Scaling names are at most 255 characters.
const longestName = 255 - '-lch-terminating'.length;
const templatePath = 'body.autoscaling_group_builds.name_template';

/**
 * The group's name, rendered once when the build is made: the Timestamp is the build's, so every retried step names
 * the same group. A template that does not parse, or names a field pudding's build did not have, is refused (422).
 */
export function renderAutoscalingGroupName(template: string, context: AutoscalingNameContext): string {
  let name: string;
  try {
    name = parseGoTemplate(template, { fields: Object.keys(context), functions: [] }).render({ ...context }, {});
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw new AppError('unprocessable', 'The name template cannot be rendered.', {
      details: [{ path: templatePath, message: error.message }],
    });
  }
  if (name.length === 0 || name.length > longestName) {
    throw new AppError('unprocessable', 'The name template renders an unusable group name.', {
      details: [{ path: templatePath, message: `renders "${name}": a group name is 1 to ${longestName} characters` }],
    });
  }
  return name;
}
