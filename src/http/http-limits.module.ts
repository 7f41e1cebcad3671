import { Global, Module } from '@nestjs/common';
import { StreamSlotGuard, StreamSlots } from './stream-slots';

/** The process-wide bounds on long-lived responses, shared by every controller that streams. */
@Global()
@Module({
  providers: [StreamSlots, StreamSlotGuard],
  exports: [StreamSlots, StreamSlotGuard],
})
export class HttpLimitsModule {}
