/**
 * From the nsfw classifier's five classes to seed 000's moderation shape.
 * Mapping (documented in docs/API.md):
 * - adult  = Porn + Hentai: explicit sexual content, photographed or drawn;
 * - racy   = Sexy: suggestive, not explicit (swimwear, lingerie, poses);
 * - the drawing / hentai / neutral / porn / sexy class scores are reported as they are
 *   under `classes`, so a caller can tell explicit drawings (hentai) from photos.
 * A category is flagged when its score ≥ threshold; the image is flagged when any is.
 * What the model was never trained on is listed in `not_assessed`, not scored zero.
 */
import { invalidParam } from '../../api/errors';
import { isPlainObject, optionalNumber, rejectUnknownKeys } from '../../pipeline/validate';
import type { NsfwScores } from './nsfw';

/**
 * Default threshold. On ordinary photos (docs/API.md, "False positives") the adult score
 * of the 12 full photos peaks at 0.43 and of their 30 crops at 0.85 (close crops of skin and
 * dark clothing): 0.9 flags none of the 42.
 */
export const DEFAULT_THRESHOLD = 0.9;

export const ASSESSED = ['adult', 'racy'] as const;
export type Category = (typeof ASSESSED)[number];

/** Categories of cloud moderation APIs (Google SafeSearch, Aliyun Green) this model cannot judge. */
export const NOT_ASSESSED = ['violence', 'gore', 'weapons', 'drugs', 'hate', 'self_harm', 'terrorism', 'medical', 'spoof', 'minors'] as const;

export const MODERATE_KEYS = ['image', 'input', 'threshold', 'idempotency_key'] as const;

export interface ModerateParams {
	threshold: number;
}

export interface CategoryVerdict {
	score: number;
	flagged: boolean;
}

export interface ModerateVerdict {
	flagged: boolean;
	threshold: number;
	categories: Record<Category, CategoryVerdict>;
	/** Flagged category names, highest score first. */
	flagged_categories: Category[];
	not_assessed: string[];
	classes: NsfwScores;
}

export function validateModerateParams(req: unknown): ModerateParams {
	if (!isPlainObject(req)) throw invalidParam('request', 'an object of parameters for image.moderate', req);
	rejectUnknownKeys(req, MODERATE_KEYS, 'image.moderate');
	return { threshold: optionalNumber(req.threshold, 'threshold', 0, 1) ?? DEFAULT_THRESHOLD };
}

const r4 = (v: number) => Math.round(v * 10_000) / 10_000;

export function categoryScores(s: NsfwScores): Record<Category, number> {
	return { adult: Math.min(1, s.porn + s.hentai), racy: s.sexy };
}

export function moderationVerdict(s: NsfwScores, threshold: number): ModerateVerdict {
	const scores = categoryScores(s);
	const categories = {} as Record<Category, CategoryVerdict>;
	for (const c of ASSESSED) categories[c] = { score: r4(scores[c]), flagged: scores[c] >= threshold };
	const flagged_categories = ASSESSED.filter((c) => categories[c].flagged).sort((a, b) => scores[b] - scores[a]);
	return {
		flagged: flagged_categories.length > 0,
		threshold,
		categories,
		flagged_categories,
		not_assessed: [...NOT_ASSESSED],
		classes: { drawing: r4(s.drawing), hentai: r4(s.hentai), neutral: r4(s.neutral), porn: r4(s.porn), sexy: r4(s.sexy) }
	};
}
