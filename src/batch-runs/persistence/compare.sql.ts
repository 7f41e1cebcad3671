/** The statements of a comparison of two runs: which completed run to compare a run with (GET .../compare?with=last_completed). */

export const COMPARE_SQL = {
  /** The newest completed run of a portfolio other than $2. */
  lastCompletedOfPortfolio: {
    name: 'runlog_compare_last_completed_of_portfolio',
    text: `SELECT batch_run_id FROM batch_run_history
           WHERE portfolio_id = $1 AND status = 'completed' AND batch_run_id <> $2
           ORDER BY started_at DESC, batch_run_id DESC LIMIT 1`,
  },

  /**
   * Completed runs without a portfolio whose id starts with $2, other than $1, newest first, a page
   * of $5 after the keyset ($3 started_at as exact text, $4 id); the caller keeps those of the same
   * batch name. started_key is started_at's full text (microseconds), so the keyset skips no row.
   */
  completedWithoutPortfolioPage: {
    name: 'runlog_compare_completed_without_portfolio_page',
    text: `SELECT batch_run_id, started_at::text AS started_key FROM batch_run_history
           WHERE portfolio_id IS NULL AND status = 'completed' AND batch_run_id <> $1 AND starts_with(batch_run_id, $2)
             AND ($3::timestamptz IS NULL OR (started_at, batch_run_id) < ($3::timestamptz, $4::text))
           ORDER BY started_at DESC, batch_run_id DESC LIMIT $5`,
  },
};
