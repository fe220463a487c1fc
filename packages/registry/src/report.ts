import type { CheckReport } from './checks';

/** A check report for a terminal: one section per check, the blocking ones first. */
export function formatReport(report: CheckReport): string {
  const out: string[] = [];
  const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  out.push(`Checks of subgraph "${report.subgraph}": ${report.ok ? 'PASS' : report.forcible ? 'FAIL (an admin may force it with a reason)' : 'FAIL'}`);
  out.push('');
  out.push(`  composition  ${mark(report.composition.ok)}  with ${report.composition.subgraphs.join(', ')}`);
  for (const e of report.composition.errors) {
    const where = [e.subgraph && `subgraph ${e.subgraph}`, e.type && `type ${e.type}`, e.field && `field ${e.field}`].filter(Boolean).join(', ');
    out.push(`    - [${e.code}] ${e.message}`);
    if (where) out.push(`      at: ${where}`);
    out.push(`      hint: ${e.hint}`);
  }
  if (report.composition.ok) {
    const c = report.changes;
    out.push(`  changes      ${mark(c.breaking === 0)}  ${c.breaking} breaking, ${c.dangerous} dangerous, ${c.safe} safe`);
    for (const ch of c.list) out.push(`    - ${ch.criticality.toUpperCase().padEnd(9)} ${ch.message}${ch.path ? `  (${ch.path})` : ''}`);
    const u = report.usage;
    out.push(`  usage        ${mark(u.failing.length === 0)}  ${u.checked} operation(s) checked (safelist, and served in the last ${u.days} days); ${u.failing.length} would fail`);
    for (const f of u.failing) {
      out.push(`    - ${f.operation} (${f.source}, clients: ${f.clients.join(', ') || 'unknown'}${f.count !== undefined ? `, ${f.count} served` : ''}${f.lastSeen ? `, last ${f.lastSeen}` : ''})`);
      for (const e of f.errors.slice(0, 5)) out.push(`        ${e}`);
    }
    out.push(`  policy       ${mark(report.policy.ok)}`);
    for (const v of report.policy.violations) out.push(`    - [${v.rule}] ${v.message}`);
  }
  return out.join('\n');
}
