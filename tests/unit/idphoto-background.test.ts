import { describe, expect, it } from 'vitest';
import { addBackground, parseHexColour, renderBackground } from '../../src/lib/core/idphoto/background';
import { createImage, type RGBAImage } from '../../src/lib/core/image';

const px = (img: RGBAImage, x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));
const blue = parseHexColour('638cce');

describe('parseHexColour', () => {
	it('accepts with and without #', () => {
		expect(parseHexColour('638cce')).toEqual([0x63, 0x8c, 0xce, 255]);
		expect(parseHexColour('#638cce')).toEqual([0x63, 0x8c, 0xce, 255]);
		expect(() => parseHexColour('nope')).toThrow(/color/);
	});
});

describe('renderBackground', () => {
	it('render 0 is solid', () => {
		const img = renderBackground(9, 7, blue, 0);
		for (const [x, y] of [[0, 0], [8, 6], [4, 3]]) expect(px(img, x, y)).toEqual(blue);
	});
	it('render 1: colour at the top, white at the bottom, monotone', () => {
		const img = renderBackground(5, 11, blue, 1);
		expect(px(img, 0, 0)).toEqual(blue);
		expect(px(img, 4, 0)).toEqual(blue);
		expect(px(img, 2, 10)).toEqual([255, 255, 255, 255]);
		const mid = px(img, 2, 5);
		expect(mid[0]).toBe(Math.round((0x63 + 255) / 2));
		for (let y = 1; y < 11; y++) expect(px(img, 0, y)[0]).toBeGreaterThanOrEqual(px(img, 0, y - 1)[0]);
	});
	it('render 2: white centre, colour at the corners', () => {
		const img = renderBackground(11, 11, blue, 2);
		expect(px(img, 5, 5)).toEqual([255, 255, 255, 255]);
		for (const [x, y] of [[0, 0], [10, 0], [0, 10], [10, 10]]) expect(px(img, x, y)).toEqual(blue);
		const edgeMid = px(img, 0, 5);
		expect(edgeMid[0]).toBeGreaterThan(0x63);
		expect(edgeMid[0]).toBeLessThan(255);
	});
	it('rejects a bad render', () => {
		expect(() => renderBackground(2, 2, blue, 3 as 0)).toThrow(/render/);
	});
});

describe('addBackground', () => {
	it('fills transparency, keeps the subject, result opaque', () => {
		const img = createImage(4, 4);
		img.data.set([200, 10, 20, 255], (1 * 4 + 1) * 4);
		img.data.set([0, 0, 0, 128], (2 * 4 + 2) * 4);
		for (const render of [0, 1, 2] as const) {
			const out = addBackground(img, blue, render);
			for (let i = 3; i < out.data.length; i += 4) expect(out.data[i]).toBe(255);
			expect(px(out, 1, 1)).toEqual([200, 10, 20, 255]);
		}
		const solid = addBackground(img, blue, 0);
		expect(px(solid, 0, 0)).toEqual(blue);
		expect(px(solid, 2, 2)[0]).toBeCloseTo(0x63 * (127 / 255), -1);
	});
});
