import { describe, expect, it } from 'vitest';
import { cropSizeForAspect, parseAspect, scaledCropSize } from '../../src/lib/features/smartcrop/aspect';
import { bestOffset, faceWindow, facesInside, headroomBox, placeOnAxis, saliencyWindow } from '../../src/lib/features/smartcrop/window';
import { saliencyMap, skinness } from '../../src/lib/features/smartcrop/saliency';
import type { RGBAImage } from '../../src/lib/core/image';

describe('parseAspect', () => {
	it('reads ratios and reduces them', () => {
		expect(parseAspect('16:9')).toEqual({ w: 16, h: 9 });
		expect(parseAspect('4:5')).toEqual({ w: 4, h: 5 });
		expect(parseAspect('2:2')).toEqual({ w: 1, h: 1 });
		expect(parseAspect('1920x1080')).toEqual({ w: 16, h: 9 });
		expect(parseAspect('16/9')).toEqual({ w: 16, h: 9 });
		expect(parseAspect('1.91:1')).toEqual({ w: 191, h: 100 });
		expect(parseAspect(1.5)).toEqual({ w: 3, h: 2 });
	});
	it('refuses garbage, zero and absurd ratios, naming the parameter', () => {
		for (const bad of ['', 'wide', '16:', ':9', '0:1', '1:0', '-1:1', '1:1000', 0, -2, NaN, null, {}, '16:9:1']) {
			expect(() => parseAspect(bad), String(bad)).toThrow(/for aspect/);
		}
	});
});

describe('cropSizeForAspect', () => {
	it('is the largest window of the aspect that fits, with exact terms', () => {
		expect(cropSizeForAspect(1920, 1280, { w: 1, h: 1 })).toEqual({ width: 1280, height: 1280 });
		expect(cropSizeForAspect(1920, 1280, { w: 16, h: 9 })).toEqual({ width: 1920, height: 1080 });
		// 4:5 in 1920×1367: 1092×1365 is exactly 4:5 (1093.6×1367 is not representable)
		expect(cropSizeForAspect(1920, 1367, { w: 4, h: 5 })).toEqual({ width: 1092, height: 1365 });
		expect(cropSizeForAspect(1280, 1920, { w: 9, h: 16 })).toEqual({ width: 1080, height: 1920 });
	});
	it('rounds when exact terms would lose too much', () => {
		const s = cropSizeForAspect(1000, 1000, { w: 191, h: 100 });
		expect(s.width).toBe(1000);
		expect(s.height).toBe(524);
	});
	it('never exceeds the image', () => {
		for (const [W, H] of [[1, 1], [3, 1000], [1000, 3], [641, 479]])
			for (const a of [{ w: 1, h: 1 }, { w: 16, h: 9 }, { w: 9, h: 16 }, { w: 191, h: 100 }]) {
				const s = cropSizeForAspect(W, H, a);
				expect(s.width).toBeLessThanOrEqual(W);
				expect(s.height).toBeLessThanOrEqual(H);
				expect(s.width).toBeGreaterThan(0);
				expect(s.height).toBeGreaterThan(0);
			}
	});
	it('scales to a requested width or height', () => {
		expect(scaledCropSize({ width: 1920, height: 1080 }, 640)).toEqual({ width: 640, height: 360 });
		expect(scaledCropSize({ width: 1092, height: 1365 }, undefined, 500)).toEqual({ width: 400, height: 500 });
	});
});

describe('placeOnAxis', () => {
	it('centres on the ideal while keeping every span', () => {
		expect(placeOnAxis(1000, 400, [{ lo: 450, hi: 550, weight: 1 }], 300)).toBe(300);
		// ideal would cut the span: moved just enough to keep it
		expect(placeOnAxis(1000, 400, [{ lo: 450, hi: 550, weight: 1 }], 0)).toBe(150);
		expect(placeOnAxis(1000, 400, [{ lo: 900, hi: 1000, weight: 1 }], 500)).toBe(600);
	});
	it('keeps the heaviest spans when not all fit', () => {
		const spans = [
			{ lo: 0, hi: 100, weight: 1 },
			{ lo: 500, hi: 700, weight: 4 },
			{ lo: 750, hi: 850, weight: 1 }
		];
		const p = placeOnAxis(1000, 400, spans, 0);
		expect(p).toBeLessThanOrEqual(500);
		expect(p + 400).toBeGreaterThanOrEqual(850);
	});
});

describe('faceWindow', () => {
	const face = { x: 900, y: 300, width: 200, height: 240 };
	it('keeps the face with headroom above the head', () => {
		const r = faceWindow(1920, 1280, 720, 1280, [face]);
		expect(r.y).toBe(0);
		const h = headroomBox(face);
		expect(r.x).toBeLessThanOrEqual(h.x);
		expect(r.x + r.width).toBeGreaterThanOrEqual(h.x + h.width);
		expect(facesInside(r, [face])).toBe(1);
		// centred on the face across
		expect(Math.abs(r.x + r.width / 2 - (face.x + face.width / 2))).toBeLessThanOrEqual(1);
	});
	it('a wide crop of a tall photo leaves room above the head', () => {
		const f = { x: 500, y: 700, width: 200, height: 240 };
		const r = faceWindow(1280, 1920, 1280, 720, [f]);
		expect(r.y).toBeLessThanOrEqual(f.y - f.height * 0.75);
		expect(r.y + r.height).toBeGreaterThanOrEqual(f.y + f.height * 1.3);
	});
	it('a face near the edge is kept, the window stays inside the image', () => {
		const f = { x: 1800, y: 100, width: 100, height: 120 };
		const r = faceWindow(1920, 1280, 1280, 1280, [f]);
		expect(r.x).toBe(640);
		expect(facesInside(r, [f])).toBe(1);
	});
	it('all faces of a group when they fit', () => {
		const faces = [{ x: 300, y: 400, width: 150, height: 180 }, { x: 900, y: 380, width: 160, height: 190 }];
		const r = faceWindow(1920, 1280, 1280, 1280, faces);
		expect(facesInside(r, faces)).toBe(2);
	});
	it('the biggest faces when they do not', () => {
		const faces = [{ x: 50, y: 400, width: 100, height: 120 }, { x: 1400, y: 380, width: 300, height: 360 }];
		const r = faceWindow(1920, 1280, 720, 1280, faces);
		expect(facesInside(r, [faces[1]])).toBe(1);
	});
	it('gives up headroom at the sides before giving up a face', () => {
		// bare boxes span 400..1650 (1250 px): they fit a 1280 window, their side headroom does not
		const faces = [{ x: 400, y: 400, width: 200, height: 240 }, { x: 1450, y: 380, width: 200, height: 240 }];
		const r = faceWindow(1920, 1280, 1280, 1280, faces);
		expect(facesInside(r, faces)).toBe(2);
	});
});

describe('saliency window', () => {
	it('bestOffset finds the peak and centres on a flat profile', () => {
		const p = new Float32Array(100);
		for (let i = 70; i < 80; i++) p[i] = 1;
		const o = bestOffset(p, 20);
		expect(o).toBeLessThanOrEqual(70);
		expect(o + 20).toBeGreaterThanOrEqual(80);
		expect(bestOffset(new Float32Array(100).fill(1), 20)).toBe(40);
		expect(bestOffset(new Float32Array(10), 20)).toBe(0);
	});
	it('a square crop of a wide image lands on the one busy, colourful object', () => {
		// grey 600×200 with a saturated checkered patch around x = 480
		const W = 600, H = 200;
		const img: RGBAImage = { width: W, height: H, data: new Uint8ClampedArray(W * H * 4) };
		for (let y = 0; y < H; y++)
			for (let x = 0; x < W; x++) {
				const i = (y * W + x) * 4;
				const inPatch = x >= 440 && x < 520 && y >= 60 && y < 140;
				const on = ((x >> 3) + (y >> 3)) & 1;
				img.data.set(inPatch ? (on ? [230, 40, 40, 255] : [40, 40, 230, 255]) : [128, 128, 128, 255], i);
			}
		const r = saliencyWindow(W, H, 200, 200, saliencyMap(img));
		expect(r.y).toBe(0);
		expect(r.x).toBeLessThanOrEqual(440);
		expect(r.x + 200).toBeGreaterThanOrEqual(520);
	});
	it('skin tones count, grey does not', () => {
		expect(skinness(224, 172, 140)).toBeGreaterThan(0.5);
		expect(skinness(128, 128, 128)).toBe(0);
		expect(skinness(40, 90, 200)).toBe(0);
	});
});
