import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A process listening on an address, and the Overcast task it runs if its environment names one. */
export interface AddressHolder {
  pid: number;
  task: string | null;
}

/** `127.101.0.1` and 80 as /proc/net/tcp writes a local address: the IPv4 bytes in host (little-endian) order. */
function procNetAddress(address: string, port: number): string {
  const bytes = address.split('.').map((part) => Number(part).toString(16).padStart(2, '0').toUpperCase());
  return `${bytes.reverse().join('')}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
}

/** Inodes of the TCP sockets listening on address:port (state 0A). */
function listeningInodes(address: string, port: number): Set<string> {
  const wanted = procNetAddress(address, port);
  const inodes = new Set<string>();
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === wanted && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
  }
  return inodes;
}

function taskOf(pid: number): string | null {
  try {
    const variable = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((entry) => entry.startsWith('OVERCAST_TASK_ID='));
    return variable ? variable.slice('OVERCAST_TASK_ID='.length) : null;
  } catch {
    return null;
  }
}

/**
 * The processes listening on address:port, found through /proc (the sockets' inodes, then whose descriptors point
 * at them). Empty where there is no /proc or the processes are another user's (their descriptors cannot be read).
 */
export function holdersOf(address: string, port: number): AddressHolder[] {
  let inodes: Set<string>;
  try {
    inodes = listeningInodes(address, port);
  } catch {
    return [];
  }
  if (inodes.size === 0) return [];
  const holders: AddressHolder[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    let descriptors: string[];
    try {
      descriptors = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    const holds = descriptors.some((fd) => {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        return target.startsWith('socket:[') && inodes.has(target.slice(8, -1));
      } catch {
        return false;
      }
    });
    if (holds) holders.push({ pid, task: taskOf(pid) });
  }
  return holders;
}

/** "pid 123 (task hello-web-1a2b3c4d), pid 456" for an error message; "an unknown process" when none is found. */
export function describeHolders(holders: AddressHolder[]): string {
  if (holders.length === 0) return 'a process this control plane cannot see';
  return holders.map((holder) => `pid ${holder.pid}${holder.task ? ` (task ${holder.task})` : ''}`).join(', ');
}
