import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD, moderationVerdict, validateModerateParams } from '../../src/lib/features/moderate/verdict';
import { toScores } from '../../src/lib/features/moderate/nsfw';
import { DEFAULT_MAX_TAGS, DEFAULT_MIN_CONFIDENCE, validateTagParams } from '../../src/lib/features/tag/params';
import { buildTags, type Findings } from '../../src/lib/features/tag/tag';
import { DarkroomError } from '../../src/lib/api/errors';

const scores = (drawing: number, hentai: number, neutral: number, porn: number, sexy: number) => toScores([drawing, hentai, neutral, porn, sexy]);

function paramError(fn: () => unknown): DarkroomError {
	try {
		fn();
	} catch (e) {
		return e as DarkroomError;
	}
	throw new Error('did not throw');
}

describe('moderation verdict', () => {
	it('maps adult = porn + hentai and racy = sexy', () => {
		const v = moderationVerdict(scores(0.05, 0.3, 0.05, 0.5, 0.1), 0.7);
		expect(v.categories.adult.score).toBeCloseTo(0.8);
		expect(v.categories.racy.score).toBeCloseTo(0.1);
		expect(v.flagged).toBe(true);
		expect(v.flagged_categories).toEqual(['adult']);
		expect(v.classes.hentai).toBeCloseTo(0.3);
	});

	it('flags at ≥ threshold, and not below', () => {
		expect(moderationVerdict(scores(0, 0, 0.1, 0, 0.9), 0.9).flagged_categories).toEqual(['racy']);
		expect(moderationVerdict(scores(0, 0, 0.11, 0, 0.89), 0.9).flagged).toBe(false);
		const both = moderationVerdict(scores(0, 0, 0, 0.45, 0.55), 0.4);
		expect(both.flagged_categories).toEqual(['racy', 'adult']);
	});

	it('lists what the model cannot judge instead of scoring it', () => {
		const v = moderationVerdict(scores(0, 0, 1, 0, 0), DEFAULT_THRESHOLD);
		expect(v.not_assessed).toEqual(expect.arrayContaining(['violence', 'gore', 'weapons', 'drugs', 'hate']));
		expect(Object.keys(v.categories)).toEqual(['adult', 'racy']);
		expect(v.threshold).toBe(DEFAULT_THRESHOLD);
	});

	it('validates threshold', () => {
		expect(validateModerateParams({ image: 'x' })).toEqual({ threshold: DEFAULT_THRESHOLD });
		expect(validateModerateParams({ image: 'x', threshold: 0 })).toEqual({ threshold: 0 });
		for (const bad of [1.5, -0.1, '0.5', NaN]) {
			const e = paramError(() => validateModerateParams({ image: 'x', threshold: bad }));
			expect(e.status).toBe(400);
			expect(e.param).toBe('threshold');
			expect(e.message).toContain('threshold');
		}
		expect(paramError(() => validateModerateParams({ image: 'x', treshold: 0.5 })).param).toBe('treshold');
	});
});

describe('tag parameters and assembly', () => {
	it('validates max_tags and min_confidence', () => {
		expect(validateTagParams({ image: 'x' })).toEqual({ max_tags: DEFAULT_MAX_TAGS, min_confidence: DEFAULT_MIN_CONFIDENCE });
		expect(paramError(() => validateTagParams({ max_tags: 0 })).param).toBe('max_tags');
		expect(paramError(() => validateTagParams({ max_tags: 2.5 })).param).toBe('max_tags');
		expect(paramError(() => validateTagParams({ min_confidence: 2 })).param).toBe('min_confidence');
		expect(paramError(() => validateTagParams({ min_confidence: 2 })).message).toBe('Expected number between 0 and 1 for min_confidence but received 2 of type number');
	});

	const findings: Findings = {
		objects: [
			{ classIndex: 0, score: 0.66, box: { x: 10, y: 10, width: 100, height: 200 } },
			{ classIndex: 0, score: 0.45, box: { x: 200, y: 10, width: 100, height: 200 } },
			{ classIndex: 27, score: 0.33, box: { x: 40, y: 90, width: 10, height: 30 } }
		],
		faces: [
			{ score: 0.9, box: { x: 40, y: 20, width: 30, height: 30 }, keypoints: [] },
			{ score: 0.8, box: { x: 230, y: 20, width: 30, height: 30 }, keypoints: [] }
		],
		text: { present: true, confidence: 0.95, area: 0.01 },
		colours: [
			{ hex: '#101010', share: 0.3, name: 'black', name_zh: '黑色' },
			{ hex: '#202020', share: 0.25, name: 'black', name_zh: '黑色' },
			{ hex: '#c0a080', share: 0.45, name: 'tan', name_zh: '浅棕色' }
		],
		style: { kind: 'photo', confidence: 0.8, graphic_score: 0.2, drawing_score: 0.1, flat_share: 0.3, colour_spread: 0.5 }
	};

	it('groups objects per class with boxes, counts faces, merges colours by name', () => {
		const tags = buildTags(findings, { max_tags: 20, min_confidence: 0.4 });
		expect(tags.map((t) => [t.label, t.source])).toEqual([
			['text', 'text'],
			['face', 'faces'],
			['photo', 'style'],
			['person', 'objects'],
			['black', 'colour'],
			['tan', 'colour']
		]);
		const person = tags.find((t) => t.label === 'person')!;
		expect(person).toMatchObject({ label_zh: '人', confidence: 0.66, count: 2 });
		expect(person.boxes).toHaveLength(2);
		expect(tags.find((t) => t.source === 'faces')).toMatchObject({ count: 2, confidence: 0.85, label_zh: '人脸' });
		expect(tags.find((t) => t.label === 'black')).toMatchObject({ share: 0.55, hex: '#101010' });
	});

	it('honours min_confidence and max_tags', () => {
		expect(buildTags(findings, { max_tags: 20, min_confidence: 0.3 }).some((t) => t.label === 'tie')).toBe(true);
		expect(buildTags(findings, { max_tags: 2, min_confidence: 0 })).toHaveLength(2);
		expect(buildTags(findings, { max_tags: 20, min_confidence: 0.9 }).map((t) => t.label)).toEqual(['text']);
	});
});
