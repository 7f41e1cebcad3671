/** Which run a run is compared with when the caller asks for the last completed one (GET .../compare?with=last_completed). */
import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { PG_POOL } from '../../database/pg-pool';
import { COMPARE_SQL } from './compare.sql';

interface CandidateRow {
  batch_run_id: string;
  started_key: string;
}

/** Candidates per query of a batch-name look-up. */
const CANDIDATE_PAGE = 500;

@Injectable()
export class ComparableRunsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async lastCompletedOfPortfolio(portfolioId: string, exceptId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ batch_run_id: string }>({ ...COMPARE_SQL.lastCompletedOfPortfolio, values: [portfolioId, exceptId] });
    return rows[0]?.batch_run_id ?? null;
  }

  /**
   * The newest completed run without a portfolio, other than exceptId, whose id starts with prefix and
   * that `accept` takes; at most maxCandidates runs are examined.
   */
  async lastCompletedWithoutPortfolio(exceptId: string, prefix: string, accept: (batchRunId: string) => boolean, maxCandidates: number): Promise<string | null> {
    let after: CandidateRow | null = null;
    for (let examined = 0; examined < maxCandidates; ) {
      const page = Math.min(CANDIDATE_PAGE, maxCandidates - examined);
      const rows: CandidateRow[] = (await this.pool.query<CandidateRow>({
        ...COMPARE_SQL.completedWithoutPortfolioPage,
        values: [exceptId, prefix, after?.started_key ?? null, after?.batch_run_id ?? null, page],
      })).rows;
      const found = rows.find((r) => accept(r.batch_run_id));
      if (found) return found.batch_run_id;
      if (rows.length < page) return null;
      examined += rows.length;
      after = rows[rows.length - 1];
    }
    return null;
  }
}
