import type { Limits } from '../codecs/types';
import type { WorkerPool } from '../worker/pool';
import type { IdempotencyCache } from './idempotency';
import type { ResultStore } from './results';

/** What every namespace of the API shares. */
export interface ApiContext {
	pool: WorkerPool;
	limits: () => Limits;
	idempotency: IdempotencyCache;
	results: ResultStore;
}
