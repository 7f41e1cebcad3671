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
  const lines = [`### ${s.title}`, ''];
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
