/**
 * The part of Go's text/template that pudding's init-script templates use, so an operator's existing template
 * renders unchanged: text with `{{ pipeline }}` actions, where a pipeline is commands joined by `|` (each command's
 * value is the next one's last argument), a command is a field of the context (`.InstanceLaunchURL`) or a function
 * with arguments (fields, "quoted" or `raw` strings, integers), plus `{{/* comments *\/}}` and the `{{-`/`-}}` trim
 * markers. No maintained JavaScript library offers pipelines with custom functions (@ctrl/golang-template has
 * neither). Control actions (if, range, with, define, template, block) are refused when the template is parsed,
 * as is any field or function the context lacks, so a template that would fail fails at start, not at boot.
 */

type Operand =
  { kind: 'field'; name: string } | { kind: 'function'; name: string } | { kind: 'literal'; value: string };

type Command = Operand[];
type Node = { kind: 'text'; text: string } | { kind: 'action'; pipeline: Command[]; source: string };

export type TemplateValue = string | number;
export type TemplateFunction = (...args: string[]) => string;

export interface ParsedTemplate {
  /** The context's fields the template reads, so a costly one is computed only when used. */
  readonly fields: ReadonlySet<string>;
  render(context: Record<string, TemplateValue>, functions: Record<string, TemplateFunction>): string;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const controlKeywords = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);
const tokenPattern =
  /\s*(?:(\|)|(\.[A-Za-z_][A-Za-z0-9_]*|\.)|([A-Za-z_][A-Za-z0-9_]*)|("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+)|(\S))/gy;

function lineOf(template: string, offset: number): number {
  return template.slice(0, offset).split('\n').length;
}

function parsePipeline(body: string, where: string): Command[] {
  const commands: Command[] = [[]];
  tokenPattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (tokenPattern.lastIndex < body.length && (match = tokenPattern.exec(body)) !== null) {
    const [, pipe, field, identifier, quoted, raw, integer, other] = match;
    const current = commands.at(-1) ?? [];
    if (pipe) commands.push([]);
    else if (field) current.push({ kind: 'field', name: field.slice(1) });
    else if (identifier) {
      if (controlKeywords.has(identifier)) throw new TemplateError(`${where}: "${identifier}" is not supported`);
      current.push({ kind: 'function', name: identifier });
    } else if (quoted) current.push({ kind: 'literal', value: JSON.parse(quoted) as string });
    else if (raw) current.push({ kind: 'literal', value: raw.slice(1, -1) });
    else if (integer) current.push({ kind: 'literal', value: integer });
    else if (other) throw new TemplateError(`${where}: unexpected "${other}"`);
  }
  if (commands.some((command) => command.length === 0)) throw new TemplateError(`${where}: missing command`);
  return commands;
}

/** Parses `template`, checking every field against `fields` and every function against `functions`. */
export function parseGoTemplate(
  template: string,
  known: { fields: readonly string[]; functions: readonly string[] },
): ParsedTemplate {
  const nodes: Node[] = [];
  const fields = new Set<string>();
  let offset = 0;
  while (offset < template.length) {
    const open = template.indexOf('{{', offset);
    if (open < 0) {
      nodes.push({ kind: 'text', text: template.slice(offset) });
      break;
    }
    const close = template.indexOf('}}', open + 2);
    const where = `line ${lineOf(template, open)}`;
    if (close < 0) throw new TemplateError(`${where}: unclosed action`);
    let text = template.slice(offset, open);
    let body = template.slice(open + 2, close);
    if (body.startsWith('- ')) {
      text = text.trimEnd();
      body = body.slice(1);
    }
    let next = close + 2;
    if (body.endsWith(' -')) {
      body = body.slice(0, -1);
      const rest = template.slice(next);
      next += rest.length - rest.trimStart().length;
    }
    nodes.push({ kind: 'text', text });
    const trimmed = body.trim();
    if (!(trimmed.startsWith('/*') && trimmed.endsWith('*/'))) {
      const pipeline = parsePipeline(body, where);
      for (const operand of pipeline.flat()) {
        if (operand.kind === 'field' && operand.name !== '' && !known.fields.includes(operand.name))
          throw new TemplateError(`${where}: the context has no field "${operand.name}"`);
        if (operand.kind === 'field') fields.add(operand.name);
        if (operand.kind === 'function' && !known.functions.includes(operand.name))
          throw new TemplateError(`${where}: function "${operand.name}" not defined`);
      }
      nodes.push({ kind: 'action', pipeline, source: `{{${body}}}` });
    }
    offset = next;
  }
  return {
    fields,
    render(context, functions) {
      const valueOf = (operand: Operand): string => {
        if (operand.kind === 'literal') return operand.value;
        if (operand.kind === 'field') return String(context[operand.name] ?? '');
        throw new TemplateError(`function "${operand.name}" used as an argument; put it first in its command`);
      };
      const run = (pipeline: Command[]): string => {
        let piped: string | undefined;
        for (const [head, ...args] of pipeline) {
          if (!head) continue;
          const values = args.map(valueOf);
          if (piped !== undefined) values.push(piped);
          if (head.kind !== 'function') {
            if (values.length > 0) throw new TemplateError(`${head.kind} ${valueOf(head)} takes no arguments`);
            piped = valueOf(head);
            continue;
          }
          const call = functions[head.name];
          if (!call) throw new TemplateError(`function "${head.name}" not defined`);
          piped = call(...values);
        }
        return piped ?? '';
      };
      return nodes.map((node) => (node.kind === 'text' ? node.text : run(node.pipeline))).join('');
    },
  };
}
