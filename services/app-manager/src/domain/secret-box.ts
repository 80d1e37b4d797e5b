/** Seals what must not be readable at rest (env var values, AWS credentials). */
export interface SecretBox {
  seal(plaintext: string, associatedData: string): string;
  open(sealed: string, associatedData: string): string;
}
