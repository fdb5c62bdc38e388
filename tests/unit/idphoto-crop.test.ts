import { describe, expect, it } from 'vitest';
import { hdSize, planIdPhotoCrop } from '../../src/lib/core/idphoto/crop';
import { DarkroomError } from '../../src/lib/api/errors';

const base = { sourceWidth: 1000, sourceHeight: 1400, width: 295, height: 413 };

describe('planIdPhotoCrop', () => {
	it('sizes by face area, centres horizontally, keeps aspect', () => {
		const face = { x: 400, y: 400, width: 200, height: 240 };
		// head top chosen so the centre-height placement already lands in the band
		const plan = planIdPhotoCrop({ ...base, face, headTop: 0 + 400 - 80 });
		const { crop } = plan;
		expect((face.width * face.height) / (crop.width * crop.height)).toBeCloseTo(0.2, 6);
		expect(crop.width / crop.height).toBeCloseTo(295 / 413, 6);
		expect(crop.x + crop.width / 2).toBeCloseTo(500, 6);
		expect(plan.scale).toBeCloseTo(295 / crop.width, 9);
		expect(plan.faceCentre).toEqual({ x: 500, y: 520 });
		const topFrac = (plan.headTop - crop.y) / crop.height;
		expect(topFrac).toBeGreaterThanOrEqual(0.1 - 1e-9);
		expect(topFrac).toBeLessThanOrEqual(0.12 + 1e-9);
	});

	it('face centre at head_height_ratio when the head top is already in the band', () => {
		const face = { x: 400, y: 400, width: 200, height: 240 };
		const k = Math.sqrt((200 * 240) / 0.2 / (295 * 413));
		const ch = 413 * k;
		const cy = 520 - 0.45 * ch;
		const headTop = cy + 0.11 * ch;
		const plan = planIdPhotoCrop({ ...base, face, headTop });
		expect(plan.crop.y).toBeCloseTo(cy, 6);
		expect((plan.faceCentre.y - plan.crop.y) / plan.crop.height).toBeCloseTo(0.45, 6);
		expect(plan.warnings).toEqual([]);
	});

	it('moves the crop down when there is too much space above the head', () => {
		const face = { x: 400, y: 500, width: 200, height: 240 };
		const plan = planIdPhotoCrop({ ...base, face, headTop: 480 }); // short hair: head top close to face
		const topFrac = (480 - plan.crop.y) / plan.crop.height;
		expect(topFrac).toBeCloseTo(0.12, 6);
		expect((plan.faceCentre.y - plan.crop.y) / plan.crop.height).toBeLessThan(0.45);
	});

	it('moves the crop up when the head top is too close to the photo top', () => {
		const face = { x: 400, y: 500, width: 200, height: 240 };
		const plan = planIdPhotoCrop({ ...base, face, headTop: 300 }); // tall hair
		expect((300 - plan.crop.y) / plan.crop.height).toBeCloseTo(0.1, 6);
	});

	it('honours custom ratios', () => {
		const face = { x: 300, y: 300, width: 100, height: 120 };
		const plan = planIdPhotoCrop({ ...base, face, headTop: 250, head_measure_ratio: 0.1, top_distance_min: 0.05, top_distance_max: 0.3 });
		expect((100 * 120) / (plan.crop.width * plan.crop.height)).toBeCloseTo(0.1, 6);
		const t = (250 - plan.crop.y) / plan.crop.height;
		expect(t).toBeGreaterThanOrEqual(0.05 - 1e-9);
		expect(t).toBeLessThanOrEqual(0.3 + 1e-9);
	});

	it('warns when the face is too small (upscale > 2×) and reports padding', () => {
		const plan = planIdPhotoCrop({ ...base, width: 600, height: 600, face: { x: 10, y: 20, width: 40, height: 50 }, headTop: 5 });
		expect(plan.scale).toBeGreaterThan(2);
		expect(plan.warnings).toContain('face too small for this size');
		expect(plan.padding.left).toBeGreaterThan(0);
		expect(plan.padding.top).toBeGreaterThan(0);
	});

	it("warns 'head cut off' when the matte touches the source top", () => {
		const plan = planIdPhotoCrop({ ...base, face: { x: 400, y: 60, width: 200, height: 240 }, headTop: 0 });
		expect(plan.warnings).toContain('head cut off');
		expect(plan.padding.top).toBeGreaterThan(0);
	});

	it('no padding for a comfortably framed face', () => {
		const plan = planIdPhotoCrop({ ...base, face: { x: 420, y: 500, width: 160, height: 200 }, headTop: 440 });
		expect(plan.padding).toEqual({ left: 0, top: 0, right: 0, bottom: 0 });
	});

	it('grows the crop if the face would fall out of the bottom', () => {
		// a very tall "head" (hat) above a face: band placement would cut the chin
		const face = { x: 400, y: 900, width: 200, height: 240 };
		const plan = planIdPhotoCrop({ ...base, face, headTop: 100 });
		expect(plan.crop.y + plan.crop.height).toBeGreaterThanOrEqual(face.y + face.height - 1e-6);
		expect((100 - plan.crop.y) / plan.crop.height).toBeCloseTo(0.12, 6);
		expect(plan.warnings).toContain('crop enlarged to keep the whole face');
	});

	it('validates parameters', () => {
		const face = { x: 400, y: 400, width: 200, height: 240 };
		const bad = (extra: object) => () => planIdPhotoCrop({ ...base, face, headTop: 300, ...extra });
		expect(bad({ head_measure_ratio: 0 })).toThrow(/head_measure_ratio/);
		expect(bad({ head_measure_ratio: 1 })).toThrow(DarkroomError);
		expect(bad({ head_height_ratio: 1.2 })).toThrow(/head_height_ratio/);
		expect(bad({ top_distance_min: 0.2, top_distance_max: 0.1 })).toThrow(/top_distance_min/);
		expect(bad({ width: 0 })).toThrow(/width/);
		expect(bad({ width: 10001 })).toThrow(/width/);
		expect(bad({ height: 41.5 })).toThrow(/height/);
		expect(bad({ face: { x: 0, y: 0, width: 0, height: 10 } })).toThrow(/face.width/);
		try {
			bad({ top_distance_max: -1 })();
		} catch (e) {
			expect((e as DarkroomError).code).toBe('invalid_parameter');
			expect((e as DarkroomError).param).toBe('top_distance_max');
		}
	});
});

describe('hdSize', () => {
	it('keeps the aspect at the source resolution', () => {
		expect(hdSize(295, 413, { x: 0, y: 0, width: 600.4, height: 840.56 })).toEqual({ width: 600, height: 840 });
	});
	it('is never smaller than the standard size', () => {
		expect(hdSize(295, 413, { x: 0, y: 0, width: 100, height: 140 })).toEqual({ width: 295, height: 413 });
	});
	it('caps the long side', () => {
		const s = hdSize(295, 413, { x: 0, y: 0, width: 9000, height: 12600 }, 4000);
		expect(s.height).toBeLessThanOrEqual(4000);
		expect(s.width / s.height).toBeCloseTo(295 / 413, 2);
	});
});
