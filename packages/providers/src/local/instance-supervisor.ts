import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { ResolvedLocalConfig } from './config';
import type { LocalInstanceRecord } from './instance-files';
import { instanceDir, loadRecords, readBootPhase, saveRecord } from './instance-files';
import { findBootAgent, isBootAgentAlive, signalInstance } from './boot-agent-process';

/**
 * Owns the life cycle of local instances: records their exits (from the child's exit event, or noticed
 * later for instances adopted after a restart), and escalates terminate from SIGTERM to SIGKILL.
 */
export function createInstanceSupervisor(config: ResolvedLocalConfig, warn: (message: string) => void) {
  const records = new Map<string, LocalInstanceRecord>();
  const killTimers = new Map<string, NodeJS.Timeout>();
  /** Ids whose agent this process spawned: their exit event is the truth (with the real exit code). */
  const watched = new Set<string>();
  let closed = false;
  const dirOf = (id: string) => instanceDir(config.dataDir, id);

  function recordExit(record: LocalInstanceRecord, code: number | null, signal: string | null, gone?: string): void {
    if (record.exit) return;
    clearTimeout(killTimers.get(record.id));
    killTimers.delete(record.id);
    // The VM is off: whatever it started dies with it.
    if (record.pid) signalInstance(record.pid, 'SIGKILL');
    const reason =
      gone ??
      (record.terminatingSince
        ? 'terminated'
        : readBootPhase(dirOf(record.id)) === 'failed'
          ? 'boot failed'
          : 'exited');
    record.exit = { at: new Date().toISOString(), code, signal, reason };
    saveRecord(config.dataDir, record);
  }

  /**
   * A record a previous run left without a pid (it died between saving the record and the agent's pid): adopt
   * the agent if one runs; else nothing ever started, so the instance is forgotten (not "terminated") and the
   * retried create launches it afresh instead of finding it dead. False when forgotten.
   */
  function adoptUnrecordedAgent(record: LocalInstanceRecord): boolean {
    record.pid = findBootAgent(dirOf(record.id));
    if (record.pid === null) {
      rmSync(dirOf(record.id), { recursive: true, force: true });
      return false;
    }
    saveRecord(config.dataDir, record);
    return true;
  }

  /** Notice an agent that died unobserved (adopted after a restart). */
  function refresh(record: LocalInstanceRecord): LocalInstanceRecord {
    if (record.exit || closed || watched.has(record.id)) return record;
    if (record.pid !== null && !isBootAgentAlive(record.pid, dirOf(record.id))) {
      recordExit(record, null, null, record.terminatingSince ? 'terminated' : 'process gone');
    }
    return record;
  }

  function scheduleKill(record: LocalInstanceRecord): void {
    const since = Date.parse(record.terminatingSince ?? new Date().toISOString());
    const timer = setTimeout(
      () => {
        killTimers.delete(record.id);
        if (!record.exit && record.pid) signalInstance(record.pid, 'SIGKILL');
      },
      Math.max(0, since + config.terminationGraceMs - Date.now()),
    );
    timer.unref();
    killTimers.set(record.id, timer);
  }

  return {
    records,
    refresh,
    /** Follow a freshly spawned agent. */
    watch(record: LocalInstanceRecord, child: ChildProcess): void {
      if (record.pid !== null) watched.add(record.id);
      child.once('exit', (code, signal) => {
        if (!closed) recordExit(record, code, signal);
      });
      child.once('error', (error) => {
        if (!closed) recordExit(record, null, null, `could not start: ${error.message}`);
      });
    },
    /** SIGTERM now, SIGKILL after the grace period; a second call changes nothing. */
    terminate(record: LocalInstanceRecord): void {
      refresh(record);
      if (record.exit || record.terminatingSince || record.pid === null) return;
      record.terminatingSince = new Date().toISOString();
      saveRecord(config.dataDir, record);
      signalInstance(record.pid, 'SIGTERM');
      scheduleKill(record);
    },
    /** Re-adopt what a previous run left: live agents keep running, dead ones are marked terminated. */
    adoptFromDisk(): void {
      for (const record of loadRecords(config.dataDir, (dir, error) =>
        warn(`local provider: skipping unreadable ${dir}: ${String(error)}`),
      )) {
        if (record.pid === null && !record.exit && !adoptUnrecordedAgent(record)) continue;
        records.set(record.id, record);
        refresh(record);
        if (!record.exit && record.terminatingSince) scheduleKill(record);
      }
    },
    close(): void {
      closed = true;
      for (const timer of killTimers.values()) clearTimeout(timer);
      killTimers.clear();
    },
  };
}

export type InstanceSupervisor = ReturnType<typeof createInstanceSupervisor>;
