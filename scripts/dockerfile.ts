/**
 * The Dockerfile as docker reads it, for the checks that cannot run docker (scripts/check-image.ts,
 * test/docker-compose.test.ts): stages, and what the runtime stage copies, sets and runs.
 */
export interface Stage {
  from: string;
  name?: string;
  lines: string[];
}

/** Instructions per stage, continuation lines joined and comments dropped. */
export function readDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue;
    const line = raw.trimEnd();
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim()) logical.push(current.trim());
    current = '';
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1]!, ...(from[2] ? { name: from[2] } : {}), lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

export interface Runtime {
  workdir: string;
  copies: { from: string; src: string; dest: string }[];
  env: Record<string, string>;
  user: string;
  cmd: string[];
}

export function runtimeStage(stages: Stage[]): Runtime {
  const stage = stages.at(-1)!;
  const out: Runtime = { workdir: '/', copies: [], env: {}, user: 'root', cmd: [] };
  for (const line of stage.lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const body = line.slice(instruction!.length).trim();
    switch (instruction!.toUpperCase()) {
      case 'WORKDIR':
        out.workdir = body;
        break;
      case 'COPY': {
        const from = /^--from=(\S+)/.exec(rest[0] ?? '')?.[1];
        if (!from) throw new Error(`the runtime stage copies from the build context (${line}): the check copies build outputs only`);
        out.copies.push({ from, src: rest[1]!, dest: rest[2]! });
        break;
      }
      case 'ENV':
        for (const m of body.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) out.env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
        break;
      case 'USER':
        out.user = body;
        break;
      case 'CMD':
        out.cmd = JSON.parse(body) as string[];
        break;
      default:
    }
  }
  return out;
}
