import { readFile } from 'node:fs/promises';

/** USER_HZ: the unit of /proc's CPU times, 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/** User plus system CPU (ms) of /proc/<path>/stat: a process (all its threads) or one of its threads. */
async function cpuMs(path: string): Promise<number> {
  const stat = await readFile(`/proc/${path}/stat`, 'utf8');
  // The fields after the command name, which is in parentheses and may itself hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

export interface CpuSplit {
  /** CPU (ms) of every thread of the process: the event loop, workers, libuv's and ONNX Runtime's pools. */
  process: number;
  /** CPU (ms) of its main thread alone: the event loop's. */
  mainThread: number;
}

/** The CPU a process (default: this one) and its main thread spend while `work` runs. Linux only. */
export async function cpuDuring<T>(work: Promise<T>, pid = process.pid): Promise<{ result: T; cpu: CpuSplit }> {
  const read = async (): Promise<CpuSplit> => ({ process: await cpuMs(String(pid)), mainThread: await cpuMs(`${pid}/task/${pid}`) });
  const before = await read();
  const result = await work;
  const after = await read();
  return { result, cpu: { process: after.process - before.process, mainThread: after.mainThread - before.mainThread } };
}

/** The main thread's share of the process's CPU. */
export function mainThreadShare(cpu: CpuSplit): number {
  return cpu.mainThread / cpu.process;
}

/** "CPU 940 ms, main thread 50 ms (5%)": for diagnostics and assertion messages. */
export function describeCpu(cpu: CpuSplit): string {
  return `CPU ${cpu.process} ms, main thread ${cpu.mainThread} ms (${(mainThreadShare(cpu) * 100).toFixed(0)}%)`;
}
