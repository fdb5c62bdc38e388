import { describe, expect, it } from 'vitest';
import { decodeCenterNet, iou, nmsPerClass, pickPeaks, toSourceBox, cocoLabel } from '../../src/lib/features/tag/centernet';
import { COCO_LABELS } from '../../src/lib/features/tag/coco';

const G = 16;
const C = 3;
function tensors() {
	return { heat: new Float32Array(G * G * C), wh: new Float32Array(G * G * 4) };
}
function put(t: ReturnType<typeof tensors>, y: number, x: number, c: number, score: number, ltrb?: [number, number, number, number]) {
	t.heat[(y * G + x) * C + c] = score;
	if (ltrb) t.wh.set(ltrb, (y * G + x) * 4);
}

describe('CenterNet peak picking', () => {
	it('keeps 3×3 local maxima per channel only', () => {
		const t = tensors();
		put(t, 5, 5, 0, 0.9);
		put(t, 5, 6, 0, 0.6); // neighbour of a higher peak, same class: not a peak
		put(t, 5, 6, 1, 0.5); // same cell, other class: its own peak
		put(t, 0, 0, 2, 0.4); // corner: out-of-range neighbours ignored (SAME padding)
		const peaks = pickPeaks(t.heat, G, C, 0.1, 100);
		expect(peaks.map((p) => [p.y, p.x, p.c])).toEqual([
			[5, 5, 0],
			[5, 6, 1],
			[0, 0, 2]
		]);
	});

	it('keeps plateau cells (equal to the max) and honours topK and minScore', () => {
		const t = tensors();
		put(t, 3, 3, 0, 0.5);
		put(t, 3, 4, 0, 0.5);
		put(t, 10, 10, 1, 0.05);
		expect(pickPeaks(t.heat, G, C, 0.1, 100)).toHaveLength(2);
		expect(pickPeaks(t.heat, G, C, 0.01, 1)).toHaveLength(1);
	});
});

describe('CenterNet box decode and NMS', () => {
	it('decodes ltrb distances around the cell point (stride 4)', () => {
		const t = tensors();
		put(t, 8, 4, 2, 0.8, [10, 6, 14, 2]);
		const [d] = decodeCenterNet(t.heat, t.wh, { grid: G, classes: C, stride: 4 });
		expect(d.classIndex).toBe(2);
		expect(d.score).toBeCloseTo(0.8);
		expect(d.box).toEqual({ x: 16 - 10, y: 32 - 6, width: 24, height: 8 });
	});

	it('suppresses overlapping boxes of the same class but not of another class', () => {
		const t = tensors();
		put(t, 8, 8, 0, 0.9, [8, 8, 8, 8]);
		put(t, 8, 10, 0, 0.7, [8, 8, 8, 8]); // shifted by 8 px: IoU 0.33, suppressed at 0.3, kept at 0.5
		put(t, 8, 9, 1, 0.6, [8, 8, 8, 8]); // other class, same place
		const all = decodeCenterNet(t.heat, t.wh, { grid: G, classes: C, iou: 0.3 });
		expect(all.map((d) => d.classIndex)).toEqual([0, 1]);
		const loose = decodeCenterNet(t.heat, t.wh, { grid: G, classes: C, iou: 0.5 });
		expect(loose.map((d) => d.classIndex)).toEqual([0, 0, 1]);
	});

	it('drops degenerate boxes', () => {
		const t = tensors();
		put(t, 4, 4, 0, 0.9, [-3, 0, 0, 5]);
		expect(decodeCenterNet(t.heat, t.wh, { grid: G, classes: C })).toEqual([]);
	});

	it('iou and nmsPerClass', () => {
		const a = { x: 0, y: 0, width: 10, height: 10 };
		expect(iou(a, a)).toBe(1);
		expect(iou(a, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150);
		expect(iou(a, { x: 20, y: 20, width: 5, height: 5 })).toBe(0);
		const kept = nmsPerClass(
			[
				{ classIndex: 0, score: 0.5, box: { x: 1, y: 1, width: 10, height: 10 } },
				{ classIndex: 0, score: 0.9, box: a }
			],
			0.5
		);
		expect(kept).toHaveLength(1);
		expect(kept[0].score).toBe(0.9);
	});

	it('maps stretched 512² boxes to source pixels, clipped', () => {
		expect(toSourceBox({ x: 256, y: 128, width: 128, height: 64 }, 1024, 256)).toEqual({ x: 512, y: 64, width: 256, height: 32 });
		expect(toSourceBox({ x: -20, y: 500, width: 100, height: 100 }, 512, 512)).toEqual({ x: 0, y: 500, width: 80, height: 12 });
	});

	it('has 80 COCO classes with Chinese names', () => {
		expect(COCO_LABELS).toHaveLength(80);
		expect(cocoLabel(0)).toEqual({ en: 'person', zh: '人' });
		expect(cocoLabel(79).en).toBe('toothbrush');
		for (const [en, zh] of COCO_LABELS) expect(zh.length, en).toBeGreaterThan(0);
	});
});
