/**
 * Postgres text cannot hold NUL (error 22021), and a batched statement fails for every row when one has it: a
 * handler's error text, or a message type from a foreign envelope, must not make other messages' statements fail.
 */
export function storableText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}
