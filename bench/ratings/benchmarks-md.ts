import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * BENCHMARKS.md is shared: each benchmark owns the text between its own markers and leaves the
 * rest of the file alone. Inside the ratings section, the text between the history markers
 * (before/after notes of performance work) is kept from run to run; the rest is regenerated.
 */
const START = '<!-- ratings-bench:start -->';
const END = '<!-- ratings-bench:end -->';
const HISTORY_START = '<!-- ratings-bench:history:start -->';
const HISTORY_END = '<!-- ratings-bench:history:end -->';

const HEADER = `# Benchmarks

Figures measured by the scripts in \`bench/\`. Each section names the command that produced it and
the machine it ran on; rerun the command to refresh a section (the others are left as they are).
`;

/** The kept history block of an existing section, or an empty one. */
function historyOf(section: string | undefined): string {
  if (section) {
    const i = section.indexOf(HISTORY_START);
    const j = section.indexOf(HISTORY_END);
    if (i >= 0 && j > i) return section.slice(i, j + HISTORY_END.length);
  }
  return `${HISTORY_START}\n${HISTORY_END}`;
}

/** Writes `body` (which contains the placeholder `{{history}}`) as the ratings section of the file. */
export function updateBenchmarksMd(path: string, body: string): void {
  let text = existsSync(path) ? readFileSync(path, 'utf8') : HEADER;
  const i = text.indexOf(START);
  const j = text.indexOf(END);
  const old = i >= 0 && j > i ? text.slice(i, j) : undefined;
  const section = `${START}\n${body.replace('{{history}}', historyOf(old)).trim()}\n${END}`;
  if (old !== undefined) text = `${text.slice(0, i)}${section}${text.slice(j + END.length)}`;
  else text = `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, text);
}
