/** An image that cannot be read as what it claims to be: reported, never thrown past inspectDiskImage. */
export class UnreadableImageError extends Error {
  override name = 'UnreadableImageError';
}

export function refuse(condition: boolean, message: string): asserts condition {
  if (!condition) throw new UnreadableImageError(message);
}
