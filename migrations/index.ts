/** Every migration in order; imported as classes so the app, the CLI and tests run the same list. */
import { CreateBatchRunHistory1736604000000 } from './1736604000000-CreateBatchRunHistory';
import { AddActivityLogToBatchHistory1736604100000 } from './1736604100000-AddActivityLogToBatchHistory';
import { CreateEventStoreAndLogEntries1764300000000 } from './1764300000000-CreateEventStoreAndLogEntries';
import { AddEntryCapAndLeases1764400000000 } from './1764400000000-AddEntryCapAndLeases';
import { Lz4ForLargeJsonb1764500000000 } from './1764500000000-Lz4ForLargeJsonb';
import { OneOnboardingRunPerPortfolio1764700000000 } from './1764700000000-OneOnboardingRunPerPortfolio';
import { CreateRunlogLiveness1764600000000 } from './1764600000000-CreateRunlogLiveness';
import { AddEntryTraceAndUid1764800000000 } from './1764800000000-AddEntryTraceAndUid';
import { AddLogSearchIndex1764900000000 } from './1764900000000-AddLogSearchIndex';

export const MIGRATIONS = [
  CreateBatchRunHistory1736604000000,
  AddActivityLogToBatchHistory1736604100000,
  CreateEventStoreAndLogEntries1764300000000,
  AddEntryCapAndLeases1764400000000,
  Lz4ForLargeJsonb1764500000000,
  CreateRunlogLiveness1764600000000,
  OneOnboardingRunPerPortfolio1764700000000,
  AddEntryTraceAndUid1764800000000,
  AddLogSearchIndex1764900000000,
];
