import type { FileTree } from '../filesystems/file-tree';
import type { CheckResult } from '../inspection-result';

// Red Hat product certificate ids: 69 is RHEL Server, 479 RHEL for x86_64 (houndigrade's list).
const rhelCertificates = ['69.pem', '479.pem'];
const certificateDirectories = ['/etc/pki/product', '/etc/pki/product-default'];

/** houndigrade: a RHEL product certificate in either product directory. */
export async function checkProductCertificates(tree: FileTree, partition: string): Promise<CheckResult> {
  const evidence = [];
  for (const directory of certificateDirectories) {
    for (const name of await tree.list(directory)) {
      if (rhelCertificates.includes(name)) {
        evidence.push({ partition, path: `${directory}/${name}`, detail: `product certificate ${name.slice(0, -4)}` });
      }
    }
  }
  return { found: evidence.length > 0, evidence };
}
