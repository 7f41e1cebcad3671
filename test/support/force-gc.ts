/**
 * A full garbage collection on demand, for tests that measure what is live: V8's gc() exposed at run
 * time (jest starts its workers without --expose-gc), taken from a fresh context that sees the flag.
 */
import * as v8 from 'v8';
import * as vm from 'vm';

v8.setFlagsFromString('--expose-gc');
export const forceGc = vm.runInNewContext('gc') as () => void;
