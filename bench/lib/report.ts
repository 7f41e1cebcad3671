/** The benchmark's results: sections of rows (figure, runlog, baseline, ratio, target, verdict) and notes. */

export interface Row {
  measure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  verdict: '' | 'met' | 'MISSED' | 'info';
}

export interface Section {
  id: string;
  title: string;
  rows: Row[];
  notes: string[];
}

export function section(id: string, title: string): Section {
  return { id, title, rows: [], notes: [] };
}

export function verdict(ok: boolean): Row['verdict'] {
  return ok ? 'met' : 'MISSED';
}

function escape(cell: string): string {
  return cell.replace(/\|/g, '\\|');
}

export function sectionMarkdown(s: Section): string {
  return [`### ${s.title}`, '', sectionBody(s)].join('\n');
}

function sectionBody(s: Section): string {
  const lines: string[] = [];
  if (s.rows.length > 0) {
    lines.push('| figure | runlog | baseline | ratio | target | verdict |', '| --- | --- | --- | --- | --- | --- |');
    for (const r of s.rows) {
      lines.push(`| ${[r.measure, r.value, r.baseline, r.ratio, r.target, r.verdict].map(escape).join(' | ')} |`);
    }
    lines.push('');
  }
  for (const n of s.notes) lines.push(n);
  if (s.notes.length > 0) lines.push('');
  return lines.join('\n');
}

/** The sections one server's run produced, under the server's name ("PostgreSQL 18.4 (embedded)"). */
export interface ServerRun {
  label: string;
  sections: Section[];
}

/** Every section once; with several servers, its figures on each under a heading of the server's. */
export function figuresMarkdown(runs: ServerRun[]): string {
  if (runs.length === 1) return runs[0].sections.map(sectionMarkdown).join('\n');
  const ids = [...new Set(runs.flatMap((r) => r.sections.map((s) => s.id)))];
  return ids
    .map((id) => {
      const per = runs.flatMap((r) => r.sections.filter((s) => s.id === id).map((s) => ({ label: r.label, s })));
      return [`### ${per[0].s.title}`, '', ...per.map(({ label, s }) => `#### ${label}\n\n${sectionBody(s)}`)].join('\n');
    })
    .join('\n');
}

/** The missed targets, each with the server it was missed on when there are several. */
export function missedTargets(runs: ServerRun[]): string[] {
  return runs.flatMap((run) =>
    run.sections.flatMap((s) =>
      s.rows
        .filter((r) => r.verdict === 'MISSED')
        .map((r) => `${s.title.split(' ')[0]} ${r.measure} (${r.value}; target ${r.target})${runs.length > 1 ? ` on ${run.label}` : ''}`),
    ),
  );
}
