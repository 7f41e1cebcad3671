/** A group decided alone, without a database: each command against what the earlier ones left. */
import { RunCommand } from '../domain/run.commands';
import { DEFAULT_POLICY } from '../domain/run.policy';
import { foldRun } from '../domain/run.state';
import { decideGroup } from './group-decision';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const start = (id: string): RunCommand => ({ kind: 'start', input: { batchRunId: id } });
const append = (id: string, ...entries: Array<{ message: string; seq?: number; uid?: string }>): RunCommand => ({
  kind: 'append',
  input: { batchRunId: id, entries: entries.map((e) => ({ level: 'info', ...e })) },
});
const empty = (...ids: string[]) => new Map(ids.map((id) => [id, foldRun(id, [])] as const));

describe('decideGroup', () => {
  it('decides each command from the state the earlier ones of the group left: versions and seqs run on', () => {
    const d = decideGroup([start('a'), append('a', { message: 'one' }), start('b'), append('a', { message: 'two' })], empty('a', 'b'), new Map(), NOW, DEFAULT_POLICY);
    expect(d.events.map((e) => [e.streamId, e.version, e.type])).toEqual([
      ['a', 1, 'BatchRunStarted'],
      ['a', 2, 'LogAppended'],
      ['b', 1, 'BatchRunStarted'],
      ['a', 3, 'LogAppended'],
    ]);
    expect(d.touched.get('a')).toMatchObject({ version: 3, lastSeq: 2 });
    expect(d.outcomes.map((o) => ('result' in o ? o.result.state.version : o.error.code))).toEqual([1, 2, 1, 3]); // each its own state
  });

  it('a broken rule refuses that command only; the group goes on without it', () => {
    const d = decideGroup([append('a', { message: 'no run yet' }), start('a'), append('a', { message: 'x', seq: 5 }), append('a', { message: 'ok' })], empty('a'), new Map(), NOW, DEFAULT_POLICY);
    expect(d.outcomes.map((o) => ('error' in o ? o.error.code : 'ok'))).toEqual(['run_not_found', 'ok', 'seq_gap', 'ok']);
    expect(d.touched.get('a')).toMatchObject({ version: 2, lastSeq: 1 });
  });

  it('uids stored before, or by an earlier command of the group, are retries; the input map is not changed', () => {
    const stored = new Map([['a', new Set(['u1'])]]);
    const committed = new Map([['a', foldRun('a', [])]]);
    const started = decideGroup([start('a')], committed, new Map(), NOW, DEFAULT_POLICY).touched;
    const d = decideGroup(
      [append('a', { message: 'old', uid: 'u1' }, { message: 'new', uid: 'u2' }), append('a', { message: 'again', uid: 'u2' }, { message: 'plain' })],
      started,
      stored,
      NOW,
      DEFAULT_POLICY,
    );
    const messages = d.events.flatMap((e) => (e.type === 'LogAppended' ? e.data.entries.map((x) => x.message) : []));
    expect(messages).toEqual(['new', 'plain']);
    expect([...stored.get('a')!]).toEqual(['u1']);
  });
});
