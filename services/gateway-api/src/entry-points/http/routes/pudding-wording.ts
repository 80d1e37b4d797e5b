import type { ErrorDetail } from '@overcast/contracts';

const emptyMessages = new Set(['is required', 'must NOT have fewer than 1 characters']);

/**
 * Pudding's own message for a required field missing or empty under `body.<root>` (its clients print them):
 * `empty "<field>" param`, or the message `wording` gives a field whose words pudding chose otherwise.
 */
export function puddingEmptyFieldWording(
  root: string,
  fields: readonly string[],
  wording: Readonly<Record<string, string>> = {},
): (detail: ErrorDetail) => ErrorDetail {
  const prefix = `body.${root}.`;
  return (detail) => {
    const field = detail.path?.startsWith(prefix) ? detail.path.slice(prefix.length) : undefined;
    if (!field || !fields.includes(field) || !emptyMessages.has(detail.message)) return detail;
    return { ...detail, message: wording[field] ?? `empty "${field}" param` };
  };
}
