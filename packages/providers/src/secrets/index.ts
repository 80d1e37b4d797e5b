export { encryptionKeyVariable } from './encryption-key-variable';
export {
  createSecretBox,
  decryptJson,
  decryptSecret,
  encryptJson,
  encryptSecret,
  parseEncryptionKey,
  SecretDecryptionError,
  type SecretBox,
} from './secret-box';
