/** The bounds of a search request (the issue #14 contract): what a page and a query may hold. */
export const SEARCH_LIMITS = {
  maxQueryLength: 200,
  defaultContext: 2,
  maxContext: 20,
  defaultRunPage: 50,
  maxRunPage: 200,
  defaultRunsPage: 20,
  maxRunsPage: 100,
  /** First matches shown per run in the across-runs answer. */
  firstMatchesPerRun: 3,
} as const;
