import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
// By file URL: the working directory (where --import would look for tsx) is a bare folder.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs main.ts until its control plane listens, then stops it. */
async function runMain(cwd: string, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, ['--import', tsx, join(root, 'simulators/dtks-drop/src/main.ts')], {
    cwd,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', DTKS_DROP_INTERVAL_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  try {
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no "listening" line within 20 s:\n${out}`)), 20_000);
      child.stdout.on('data', () => out.includes('control plane listening') && (clearTimeout(timer), done()));
      child.once('exit', (code) => (clearTimeout(timer), fail(new Error(`exited ${code}:\n${out}`))));
    });
  } finally {
    child.kill('SIGTERM');
  }
}

describe('dtks-drop simulator run alone', () => {
  it('writes its drop folder under DATA_DIR, never in its working directory', async () => {
    // The image runs it in a root-owned /app with DATA_DIR=/data: a folder relative to the working
    // directory is where it cannot write.
    const cwd = mkdtempSync(join(tmpdir(), 'gerbang-cwd-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'gerbang-data-'));
    dirs.push(cwd, dataDir);
    await runMain(cwd, { DATA_DIR: dataDir });
    expect(readdirSync(join(dataDir, 'dtks-drop')).filter((f) => f.endsWith('.csv'))).toHaveLength(1);
    expect(existsSync(join(cwd, '.data'))).toBe(false);
  });

  it('uses DTKS_DROP_DIR when it is set (the folder shared with the social subgraph)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gerbang-cwd-'));
    const drop = mkdtempSync(join(tmpdir(), 'gerbang-drop-'));
    dirs.push(cwd, drop);
    await runMain(cwd, { DATA_DIR: join(cwd, 'unused'), DTKS_DROP_DIR: drop });
    expect(readdirSync(drop).filter((f) => f.endsWith('.csv'))).toHaveLength(1);
    expect(existsSync(join(cwd, 'unused'))).toBe(false);
  });
});
