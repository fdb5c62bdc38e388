import { isPlainObject, optionalInteger, optionalNumber, rejectUnknownKeys } from '../../pipeline/validate';
import { invalidParam } from '../../api/errors';
import type { TagParams } from './types';

/** Tags returned at most, by default. */
export const DEFAULT_MAX_TAGS = 20;
/**
 * Default minimum confidence. On the six face-api group photos the best `person` scores
 * 0.45–0.66 while CenterNet's spurious hits on diagrams and circuit boards reach 0.43
 * (one), mostly ≤ 0.33: 0.4 keeps the people and drops most noise.
 */
export const DEFAULT_MIN_CONFIDENCE = 0.4;

export const TAG_KEYS = ['image', 'input', 'max_tags', 'min_confidence', 'idempotency_key'] as const;

export function validateTagParams(req: unknown): TagParams {
	if (!isPlainObject(req)) throw invalidParam('request', 'an object of parameters for image.tag', req);
	rejectUnknownKeys(req, TAG_KEYS, 'image.tag');
	return {
		max_tags: optionalInteger(req.max_tags, 'max_tags', 1, 100) ?? DEFAULT_MAX_TAGS,
		min_confidence: optionalNumber(req.min_confidence, 'min_confidence', 0, 1) ?? DEFAULT_MIN_CONFIDENCE
	};
}
