/**
 * Thin wrappers around execFile for the lab. No shell is ever involved: every argument is passed as an
 * argv element, and callers validate names before they get here.
 */
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin'];
const resolved = new Map<string, string | null>();

/** Absolute path of a tool, searching PATH and the sbin directories (jest may run without sbin in PATH). */
export function findTool(name: string): string | null {
  if (resolved.has(name)) return resolved.get(name) ?? null;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN_DIRS];
  let found: string | null = null;
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      found = join(dir, name);
      break;
    } catch {
      // keep looking
    }
  }
  resolved.set(name, found);
  return found;
}

export function tool(name: string): string {
  const path = findTool(name);
  if (!path) throw new Error(`network lab: required tool "${name}" not found`);
  return path;
}

export class LabCommandError extends Error {
  constructor(
    readonly argv: string[],
    readonly stderr: string,
    readonly exitCode: number | string | null,
  ) {
    super(`network lab: command failed (${exitCode}): ${argv.join(' ')}${stderr ? `\n${stderr.trim()}` : ''}`);
    this.name = 'LabCommandError';
  }
}

/** Environment for child processes: C locale for parsable output, no MIB loading for net-snmp tools. */
export function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: [...SBIN_DIRS].join(':'), LC_ALL: 'C', ...extra };
}

export function run(
  file: string,
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const path = tool(file);
  return new Promise((resolve, reject) => {
    execFile(
      path,
      args,
      { timeout: options.timeoutMs ?? 10_000, env: options.env ?? toolEnv(), maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
          reject(new LabCommandError([file, ...args], String(stderr || error.message), code));
        } else {
          resolve(String(stdout));
        }
      },
    );
  });
}

/** Synchronous variant for exit handlers; never throws, returns null on failure. */
export function runSync(file: string, args: string[]): string | null {
  const path = findTool(file);
  if (!path) return null;
  try {
    return execFileSync(path, args, { env: toolEnv(), timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch {
    return null;
  }
}

/** `ip` in the root namespace (ns = null) or in a named namespace (`ip -n <ns> ...`). */
export function ip(ns: string | null, ...args: string[]): Promise<string> {
  return run('ip', ns ? ['-n', ns, ...args] : args);
}

/** Runs a program inside a named namespace. */
export function nsExec(
  ns: string,
  file: string,
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return run('ip', ['netns', 'exec', ns, tool(file), ...args], options);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
