import { describe, expect, it } from 'vitest';
import { dominantColours, groupByName, kMeans, medianCut, nameColour, samplePixels } from '../../src/lib/features/tag/colours';
import { classifyStyle, styleStats } from '../../src/lib/features/tag/style';
import { detectorSize, measureTextMap } from '../../src/lib/features/tag/text';
import type { RGBAImage } from '../../src/lib/core/image';

function image(w: number, h: number, px: (x: number, y: number) => [number, number, number]): RGBAImage {
	const data = new Uint8ClampedArray(w * h * 4);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const [r, g, b] = px(x, y);
			data.set([r, g, b, 255], (y * w + x) * 4);
		}
	return { width: w, height: h, data };
}

/** A deterministic pseudo-random generator for photo-like noise. */
function lcg(seed: number) {
	let s = seed >>> 0;
	return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('colour naming', () => {
	it('names primaries, neutrals and browns', () => {
		expect(nameColour(230, 30, 30)).toBe('red');
		expect(nameColour(30, 180, 60)).toBe('green');
		expect(nameColour(40, 90, 220)).toBe('blue');
		expect(nameColour(250, 220, 40)).toBe('yellow');
		expect(nameColour(245, 140, 20)).toBe('orange');
		expect(nameColour(140, 60, 200)).toBe('purple');
		expect(nameColour(250, 170, 200)).toBe('pink');
		expect(nameColour(40, 200, 200)).toBe('cyan');
		expect(nameColour(110, 70, 35)).toBe('brown');
		expect(nameColour(250, 250, 250)).toBe('white');
		expect(nameColour(128, 128, 130)).toBe('grey');
		expect(nameColour(8, 8, 10)).toBe('black');
	});
});

describe('dominant colours', () => {
	it('finds the three fills of a striped image with their shares', () => {
		const img = image(120, 60, (x) => (x < 60 ? [200, 30, 30] : x < 90 ? [30, 60, 200] : [250, 250, 250]));
		const p = dominantColours(img);
		const by = Object.fromEntries(groupByName(p).map((c) => [c.name, c]));
		expect(by.red.share).toBeCloseTo(0.5, 1);
		expect(by.blue.share).toBeCloseTo(0.25, 1);
		expect(by.white.share).toBeCloseTo(0.25, 1);
		expect(by.red.name_zh).toBe('红色');
		expect(p.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 6);
		expect(by.red.hex).toBe('#c81e1e');
	});

	it('is deterministic and skips transparent pixels', () => {
		const img = image(50, 50, (x, y) => [(x * 5) % 256, (y * 5) % 256, 100]);
		for (let i = 0; i < 50 * 25 * 4; i += 4) img.data[i + 3] = 0; // top half transparent
		expect(samplePixels(img).length / 3).toBeLessThanOrEqual(50 * 25);
		expect(dominantColours(img)).toEqual(dominantColours(img));
	});

	it('median cut + k-means separate two clusters', () => {
		const px = Uint8Array.from([...Array(50)].flatMap(() => [10, 10, 10]).concat([...Array(30)].flatMap(() => [240, 240, 240])));
		const cs = kMeans(px, medianCut(px, 2));
		expect(cs.map((c) => c.count).sort()).toEqual([30, 50]);
	});
});

describe('photo or drawing', () => {
	it('calls a flat, few-colour graphic a drawing and a noisy gradient a photo', () => {
		const graphic = image(200, 150, (x, y) => (x > 50 && x < 120 && y > 30 && y < 90 ? [30, 90, 200] : [255, 255, 255]));
		const rnd = lcg(7);
		const photo = image(200, 150, (x, y) => [Math.min(255, x + rnd() * 30), Math.min(255, y + rnd() * 30), Math.min(255, 60 + rnd() * 60)]);
		const g = classifyStyle(styleStats(graphic), 0.1);
		const p = classifyStyle(styleStats(photo), 0.1);
		expect(g.kind).toBe('drawing');
		expect(p.kind).toBe('photo');
		expect(g.flat_share).toBeGreaterThan(0.9);
		expect(p.colour_spread).toBeGreaterThan(0.3);
		// A high drawing score alone does not turn a photo into a drawing (it fires on dark photos).
		expect(classifyStyle(styleStats(photo), 0.97).kind).toBe('photo');
	});
});

describe('text presence', () => {
	it('sizes the detector input in multiples of 32 without upscaling', () => {
		expect(detectorSize(1920, 1080)).toEqual({ width: 640, height: 352 });
		expect(detectorSize(63, 45)).toEqual({ width: 64, height: 32 });
		expect(detectorSize(10, 4000)).toEqual({ width: 32, height: 640 });
	});

	it('calls text present from the share of confident pixels', () => {
		const map = new Float32Array(10_000);
		expect(measureTextMap(map)).toEqual({ present: false, confidence: 0, area: 0 });
		map.fill(0.9, 0, 30); // 0.3 % of the image
		const m = measureTextMap(map);
		expect(m.present).toBe(true);
		expect(m.area).toBeCloseTo(0.003);
		expect(m.confidence).toBeCloseTo(0.9);
		map.fill(0.5, 0, 30); // below the pixel threshold
		expect(measureTextMap(map).present).toBe(false);
	});
});
