import { describe, expect, it } from 'vitest';
import type { Fit } from '../../src/lib/api/types';
import { DarkroomError } from '../../src/lib/api/errors';
import { normalizeGravity, planResize, validateResizeParams, type ResizePlan } from '../../src/lib/core/geometry';
import { applyResize } from '../../src/lib/core/resize';
import { createImage } from '../../src/lib/core/image';

/** Output size, scaled size, and crop/offset, in one line per case. */
function summary(p: ResizePlan) {
	return {
		out: `${p.canvasW}x${p.canvasH}`,
		scaled: `${p.scaleW}x${p.scaleH}`,
		at: `${p.offsetX},${p.offsetY}`,
		crop: p.crop ? `${p.crop.x},${p.crop.y},${p.crop.width}x${p.crop.height}` : '-'
	};
}

describe('planResize — sharp fit semantics, both sides given', () => {
	// 1920×1080 into 300×300: sharp gives these sizes (ResolveShrink + CalculateCrop/EmbedPosition).
	it.each<[Fit, string, string, string, string]>([
		['cover', '300x300', '533x300', '0,0', '117,0,300x300'],
		['contain', '300x300', '300x169', '0,65', '-'],
		['fill', '300x300', '300x300', '0,0', '-'],
		['inside', '300x169', '300x169', '0,0', '-'],
		['outside', '533x300', '533x300', '0,0', '-']
	])('%s', (fit, out, scaled, at, crop) => {
		expect(summary(planResize(1920, 1080, { width: 300, height: 300, fit }))).toEqual({ out, scaled, at, crop });
	});

	it('defaults to cover when both sides are given', () => {
		expect(planResize(1920, 1080, { width: 300, height: 300 })).toEqual(planResize(1920, 1080, { width: 300, height: 300, fit: 'cover' }));
	});
});

describe('planResize — one side given: the other follows the aspect ratio', () => {
	it.each<[Fit | undefined, number | undefined, number | undefined, string]>([
		[undefined, 333, undefined, '333x187'], // 1080 / (1920/333) = 187.31
		['inside', 333, undefined, '333x187'],
		['cover', 333, undefined, '333x187'],
		['contain', 333, undefined, '333x187'],
		['outside', 333, undefined, '333x187'],
		['fill', 333, undefined, '333x1080'], // sharp: fill ignores aspect, the free side keeps its size
		[undefined, undefined, 200, '356x200'], // 1920 / 5.4 = 355.56
		['fill', undefined, 200, '1920x200'],
		[undefined, 1919, undefined, '1919x1079'] // 1080·1919/1920 = 1079.44
	])('fit=%s width=%s height=%s → %s', (fit, width, height, out) => {
		const p = planResize(1920, 1080, { width, height, fit });
		expect(`${p.canvasW}x${p.canvasH}`).toBe(out);
		expect(p.crop).toBeUndefined();
		expect([p.offsetX, p.offsetY]).toEqual([0, 0]);
	});
});

describe('planResize — enlarge', () => {
	// A 100×50 source into a 400×400 box.
	it.each<[Fit, boolean, string, string, string, string]>([
		['cover', false, '100x50', '100x50', '0,0', '-'],
		['contain', false, '400x400', '100x50', '150,175', '-'], // not enlarged, still letterboxed to the box (as sharp)
		['fill', false, '100x50', '100x50', '0,0', '-'],
		['inside', false, '100x50', '100x50', '0,0', '-'],
		['outside', false, '100x50', '100x50', '0,0', '-'],
		['cover', true, '400x400', '800x400', '0,0', '200,0,400x400'],
		['contain', true, '400x400', '400x200', '0,100', '-'],
		['fill', true, '400x400', '400x400', '0,0', '-'],
		['inside', true, '400x200', '400x200', '0,0', '-'],
		['outside', true, '800x400', '800x400', '0,0', '-']
	])('%s enlarge=%s', (fit, enlarge, out, scaled, at, crop) => {
		expect(summary(planResize(100, 50, { width: 400, height: 400, fit, enlarge }))).toEqual({ out, scaled, at, crop });
	});

	it('enlarge=false with one side given keeps the source size', () => {
		expect(summary(planResize(100, 50, { width: 400 })).out).toBe('100x50');
		expect(summary(planResize(100, 50, { width: 400, enlarge: true })).out).toBe('400x200');
		expect(summary(planResize(100, 50, { height: 400, enlarge: true })).out).toBe('800x400');
	});

	it('cover without enlarging still crops the axis that overflows the box', () => {
		// 300×100 into 200×200: no scaling, width cropped to 200, height stays 100.
		expect(summary(planResize(300, 100, { width: 200, height: 200, fit: 'cover' }))).toEqual({
			out: '200x100', scaled: '300x100', at: '0,0', crop: '50,0,200x100'
		});
	});

	it('fill without enlarging clamps each axis on its own', () => {
		expect(summary(planResize(100, 100, { width: 200, height: 50, fit: 'fill' })).out).toBe('100x50');
	});

	it('contain with one side given and no enlarging pads only that side', () => {
		expect(summary(planResize(100, 50, { width: 200, fit: 'contain' }))).toEqual({ out: '200x50', scaled: '100x50', at: '50,0', crop: '-' });
	});
});

describe('planResize — rounding and extremes', () => {
	it('never produces a zero-sized axis', () => {
		expect(summary(planResize(10000, 10, { width: 100 })).out).toBe('100x1');
		expect(summary(planResize(10, 10000, { height: 100 })).out).toBe('1x100');
		expect(summary(planResize(10, 10, { width: 1, height: 1, fit: 'fill' })).out).toBe('1x1');
		expect(summary(planResize(5000, 3, { width: 2, height: 2, fit: 'inside' })).out).toBe('2x1');
	});

	it('rounds to nearest', () => {
		expect(summary(planResize(1000, 3, { width: 500 })).out).toBe('500x2'); // 1.5 → 2
		expect(summary(planResize(1000, 999, { width: 10 })).out).toBe('10x10'); // 9.99
	});

	it('identity when nothing is asked or nothing changes', () => {
		expect(summary(planResize(640, 480, {}))).toEqual({ out: '640x480', scaled: '640x480', at: '0,0', crop: '-' });
		expect(summary(planResize(640, 480, { width: 640, height: 480, fit: 'cover' }))).toEqual({ out: '640x480', scaled: '640x480', at: '0,0', crop: '-' });
	});
});

describe('planResize — position', () => {
	it.each([
		['left', '0,0'], ['west', '0,0'], ['top-left', '0,0'],
		['right', '233,0'], ['east', '233,0'], ['northeast', '233,0'], ['right top', '233,0'],
		['center', '117,0'], ['centre', '117,0'], ['top', '117,0'], ['bottom', '117,0']
	])('cover crop at %s', (position, xy) => {
		const p = planResize(1920, 1080, { width: 300, height: 300, fit: 'cover', position });
		expect(`${p.crop!.x},${p.crop!.y}`).toBe(xy);
	});

	it.each([
		['top', '0,0'], ['north', '0,0'],
		['bottom', '0,131'], ['south', '0,131'], ['bottom-right', '0,131'],
		['center', '0,65'], ['left', '0,65']
	])('contain placement at %s', (position, xy) => {
		const p = planResize(1920, 1080, { width: 300, height: 300, fit: 'contain', position });
		expect(`${p.offsetX},${p.offsetY}`).toBe(xy);
	});

	it('vertical crop for portrait sources', () => {
		const p = planResize(1000, 2000, { width: 100, height: 100, fit: 'cover', position: 'south' });
		expect(p.crop).toEqual({ x: 0, y: 100, width: 100, height: 100 });
		const q = planResize(1000, 2001, { width: 100, height: 100, fit: 'cover' });
		expect(q.crop).toEqual({ x: 0, y: 50, width: 100, height: 100 }); // 200 tall: (200-100+1)/2 = 50
	});
});

describe('normalizeGravity', () => {
	it.each([
		['Top_Left', 'top-left'], ['left top', 'top-left'], ['northwest', 'top-left'],
		['bottom_right', 'bottom-right'], ['southeast', 'bottom-right'], ['CENTRE', 'center']
	])('%s → %s', (input, anchor) => {
		expect(normalizeGravity(input)).toBe(anchor);
	});
	it('rejects unknown names', () => {
		expect(() => normalizeGravity('upper')).toThrow(
			'Expected valid position/gravity such as "center", "top", "bottom-right" or "northeast" for position but received "upper" of type string'
		);
	});
});

describe('validateResizeParams', () => {
	function message(p: unknown): string {
		try {
			validateResizeParams(p);
		} catch (e) {
			expect(e).toBeInstanceOf(DarkroomError);
			expect((e as DarkroomError).status).toBe(400);
			expect((e as DarkroomError).code).toBe('invalid_parameter');
			return (e as DarkroomError).message;
		}
		throw new Error('expected a DarkroomError');
	}

	it('defaults', () => {
		expect(validateResizeParams({ width: 800 })).toEqual({
			width: 800, fit: 'inside', enlarge: false, position: 'center', background: [0, 0, 0, 255], kernel: 'lanczos3'
		});
		expect(validateResizeParams({ width: 800, height: 600 }).fit).toBe('cover');
		expect(validateResizeParams({ width: 800, height: null }).fit).toBe('inside');
	});

	it('normalises', () => {
		expect(validateResizeParams({ height: 10, fit: 'contain', enlarge: true, position: 'south_east', background: 'transparent', kernel: 'nearest' })).toEqual({
			height: 10, fit: 'contain', enlarge: true, position: 'bottom-right', background: [0, 0, 0, 0], kernel: 'nearest'
		});
		expect(validateResizeParams({ width: 10, gravity: 'north' }).position).toBe('top');
	});

	it('sharp-style messages', () => {
		expect(message({ width: -1 })).toBe('Expected positive integer for width but received -1 of type number');
		expect(message({ width: 0 })).toBe('Expected positive integer for width but received 0 of type number');
		expect(message({ width: 1.5 })).toBe('Expected positive integer for width but received 1.5 of type number');
		expect(message({ height: '100' })).toBe('Expected positive integer for height but received "100" of type string');
		expect(message({ width: 70000 })).toBe('Expected positive integer no greater than 65535 for width but received 70000 of type number');
		expect(message({ width: 10, fit: 'stretch' })).toBe('Expected valid fit (one of cover, contain, fill, inside, outside) for fit but received "stretch" of type string');
		expect(message({ width: 10, enlarge: 'yes' })).toBe('Expected boolean for enlarge but received "yes" of type string');
		expect(message({ width: 10, kernel: 'bicubic' })).toBe('Expected valid kernel name (one of lanczos3, lanczos2, cubic, linear, nearest, ai) for kernel but received "bicubic" of type string');
		expect(message({ width: 10, background: 'nope' })).toBe('Expected a colour such as "#ffffff", "ffffff" or "transparent" for background but received "nope" of type string');
		expect(message({ width: 10, position: 'upper' })).toMatch(/^Expected valid position\/gravity .* for position but received "upper" of type string$/);
		expect(message({})).toBe('Expected width and/or height for resize but received neither');
		expect(message(null)).toBe('Expected object for resize but received null');
	});

	it('respects a configured maximum dimension', () => {
		expect(() => validateResizeParams({ width: 5000 }, { maxDimension: 4096 })).toThrow('Expected positive integer no greater than 4096 for width but received 5000 of type number');
	});
});

describe('applyResize', () => {
	it('cover crops to the exact box', () => {
		const img = createImage(192, 108, [10, 20, 30, 255]);
		const out = applyResize(img, validateResizeParams({ width: 30, height: 30 }));
		expect([out.width, out.height]).toEqual([30, 30]);
		expect(Array.from(out.data.subarray(0, 4))).toEqual([10, 20, 30, 255]);
	});

	it('contain letterboxes with the background around the image', () => {
		const img = createImage(200, 100, [255, 255, 255, 255]);
		const out = applyResize(img, validateResizeParams({ width: 100, height: 100, fit: 'contain', background: '#ff0000' }));
		expect([out.width, out.height]).toEqual([100, 100]);
		const px = (x: number, y: number) => Array.from(out.data.subarray((y * 100 + x) * 4, (y * 100 + x) * 4 + 4));
		expect(px(50, 0)).toEqual([255, 0, 0, 255]); // bar above (image is 100×50 at y=25)
		expect(px(50, 24)).toEqual([255, 0, 0, 255]);
		expect(px(50, 25)).toEqual([255, 255, 255, 255]);
		expect(px(50, 74)).toEqual([255, 255, 255, 255]);
		expect(px(50, 75)).toEqual([255, 0, 0, 255]);
	});
});
