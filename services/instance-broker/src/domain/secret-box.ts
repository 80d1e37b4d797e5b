/** Symmetric encryption at rest (AES-256-GCM, key from the environment) for what must be read back. */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}
