/**
 * Encryption at rest (AES-256-GCM, key from the environment) for what must be read back, bound to the
 * row it belongs to (`associatedData`), so a value copied into another row does not decrypt.
 */
export interface SecretBox {
  seal(plaintext: string, associatedData: string): string;
  open(sealed: string, associatedData: string): string;
}

/** The associated data of a build's sealed user data. */
export function userDataContext(buildId: string): string {
  return `instance-build:${buildId}:user-data`;
}
