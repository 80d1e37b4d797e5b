export {
  decryptJson,
  decryptSecret,
  encryptJson,
  encryptSecret,
  parseEncryptionKey,
  SecretDecryptionError,
} from './secret-box';
