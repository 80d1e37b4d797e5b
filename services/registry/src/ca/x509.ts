// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API loaded first.
// Every module of the registry imports the library through this one, so the order cannot be got wrong.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

// Node's WebCrypto, the same one globalThis.crypto is; set explicitly so no other provider is picked up.
// (Typed with the DOM's Crypto, which this project's lib does not include; Node's implements it.)
x509.cryptoProvider.set(webcrypto as never);

export { x509 };
