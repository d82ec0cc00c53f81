import { type ChildProcess, spawn, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from './fixtures.js';

/** The real binary, as `npx steward` and `npm start` run it. */
export const stewardBin = path.join(projectRoot, 'bin/steward.js');

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Added to a clean environment (no STEWARD_*, PORT, LOG_LEVEL or chat credentials from the developer's shell). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Written to standard input, which is then closed; without it standard input is /dev/null. */
  readonly input?: string;
  readonly timeoutMs?: number;
}

const ownVariables = /^(STEWARD_|SLACK_|MICROSOFT_APP_|PORT$|LOG_LEVEL$)/;

/** The test runner's environment without anything that configures Steward, plus `extra`. */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !ownVariables.test(name)));
  return { ...inherited, ...extra };
}

const madeDirs: string[] = [];

/** A fresh temporary folder for one test's database and files; `afterAll(removeTempDirs)` cleans up. */
export function tempDir(prefix = 'steward-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of madeDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Starts `node bin/steward.js …args` without waiting for it. */
export function spawnSteward(args: readonly string[], options: RunOptions & { stdio?: StdioOptions } = {}): ChildProcess {
  return spawn(process.execPath, [stewardBin, ...args], {
    cwd: options.cwd ?? projectRoot,
    env: cleanEnv(options.env),
    stdio: options.stdio ?? [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
}

/** Collects a child's output and waits for it to exit (killing it after `timeoutMs`, which fails the test). */
export function finished(child: ChildProcess, timeoutMs = 20_000): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`steward did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs `steward …args` to completion, as a user would in a shell. */
export async function runSteward(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const child = spawnSteward(args, options);
  const result = finished(child, options.timeoutMs);
  if (options.input !== undefined) child.stdin?.end(options.input);
  return result;
}

/** Resolves with everything the stream has said once it says something matching `pattern`. */
export function waitForOutput(stream: NodeJS.ReadableStream, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  let seen = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        cleanup();
        resolve(seen);
      }
    };
    const onEnd = () => {
      cleanup();
      reject(new Error(`the output ended without matching ${pattern}:\n${seen}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms:\n${seen}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
  });
}
