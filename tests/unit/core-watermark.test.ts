import { describe, expect, it } from 'vitest';
import { DarkroomError } from '../../src/lib/api/errors';
import { createImage } from '../../src/lib/core/image';
import { rotatedSize } from '../../src/lib/core/rotate';
import {
	normalizePosition,
	placeWatermark,
	tileWatermarkPositions,
	validateWatermarkParams,
	watermarkImageWidth
} from '../../src/lib/core/watermark-layout';
import { tileComposite } from '../../src/lib/core/watermark-tile';
import { parseUnicodeRange, pickSubsets, type FontSubset } from '../../src/lib/features/watermark/font-subsets';

function errorOf(fn: () => unknown): DarkroomError {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(DarkroomError);
		expect((e as DarkroomError).status).toBe(400);
		return e as DarkroomError;
	}
	throw new Error('expected a DarkroomError');
}

describe('placeWatermark', () => {
	// 1000×800 image, 200×50 mark, 20 px margin.
	it.each([
		['top-left', 20, 20],
		['top-right', 780, 20],
		['bottom-left', 20, 730],
		['bottom-right', 780, 730],
		['bottom_right', 780, 730],
		['top_left', 20, 20],
		['center', 400, 375]
	])('%s', (position, x, y) => {
		expect(placeWatermark(1000, 800, 200, 50, position, 20)).toEqual({ x, y });
	});

	it('margin 0 touches the edges; centre ignores the margin', () => {
		expect(placeWatermark(100, 100, 10, 10, 'bottom-right', 0)).toEqual({ x: 90, y: 90 });
		expect(placeWatermark(101, 100, 10, 11, 'center', 30)).toEqual({ x: 45, y: 44 });
	});

	it('keeps the mark inside when the margin is too large, aligned to its side when the mark is too large', () => {
		// 80 px wide in 100: a 50 px margin cannot be honoured, the mark stops at the far edge.
		expect(placeWatermark(100, 100, 80, 10, 'top-right', 50)).toEqual({ x: 0, y: 50 });
		expect(placeWatermark(100, 100, 80, 10, 'top-left', 50)).toEqual({ x: 20, y: 50 });
		expect(placeWatermark(100, 100, 150, 10, 'bottom-right', 5)).toEqual({ x: -50, y: 85 });
		expect(placeWatermark(100, 100, 150, 10, 'bottom-left', 5)).toEqual({ x: 0, y: 85 });
	});
});

describe('normalizePosition', () => {
	it.each([
		['bottom_right', 'bottom-right'], ['Bottom Right', 'bottom-right'], ['southeast', 'bottom-right'],
		['top_left', 'top-left'], ['TOP-RIGHT', 'top-right'], ['bottom-left', 'bottom-left'], ['centre', 'center']
	])('%s → %s', (input, out) => expect(normalizePosition(input)).toBe(out));

	it.each(['top', 'middle-left', '', 3])('rejects %j', (bad) => {
		expect(errorOf(() => normalizePosition(bad)).message).toMatch(
			/^Expected one of "top-left", "top-right", "bottom-left", "bottom-right", "center" for position but received /
		);
	});
});

describe('tileWatermarkPositions', () => {
	const corners = (w: number, h: number) => [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]];

	it.each([0, 30, 45, -30, 90, 137])('covers the whole image including the corners at %i°', (angle) => {
		const imgW = 640, imgH = 480, markW = 120, markH = 24, space = 25;
		const tiles = tileWatermarkPositions(imgW, imgH, markW, markH, { angle, space });
		const box = rotatedSize(markW, markH, angle);
		const centres = tiles.map((t) => [t.x + box.width / 2, t.y + box.height / 2]);
		// The lattice's cells are (markW+space)×(markH+space): every point is within a cell diagonal of a tile centre.
		const reach = Math.hypot(markW + space, markH + space);
		const samples = [...corners(imgW, imgH)];
		for (let y = 0; y < imgH; y += 37) for (let x = 0; x < imgW; x += 41) samples.push([x, y]);
		for (const [x, y] of samples) {
			const nearest = Math.min(...centres.map(([cx, cy]) => Math.hypot(cx - x, cy - y)));
			expect(nearest).toBeLessThanOrEqual(reach);
		}
		// Every listed tile touches the image, and none is listed twice.
		for (const t of tiles) {
			expect(t.x < imgW && t.y < imgH && t.x + box.width > 0 && t.y + box.height > 0).toBe(true);
		}
		expect(new Set(tiles.map((t) => `${t.x},${t.y}`)).size).toBe(tiles.length);
	});

	it('spaces tiles by mark + space along a row, with alternate rows shifted by half a step', () => {
		const tiles = tileWatermarkPositions(1000, 1000, 100, 20, { angle: 0, space: 25 });
		const centre = tiles.find((t) => t.x === 450 && t.y === 490);
		expect(centre).toBeDefined(); // one mark centred on the image
		expect(tiles.some((t) => t.x === 575 && t.y === 490)).toBe(true); // next in the row: +125
		expect(tiles.some((t) => t.x === 513 && t.y === 535)).toBe(true); // next row: +45 down, +62.5 across (512.5 rounds up)
		expect(tiles.some((t) => t.x === 450 && t.y === 535)).toBe(false);
	});

	it('rotates the grid anticlockwise (HivisionIDPhotos/PIL sense)', () => {
		const tiles = tileWatermarkPositions(1000, 1000, 100, 20, { angle: 30, space: 25 });
		const box = rotatedSize(100, 20, 30);
		const centres = tiles.map((t) => [t.x + box.width / 2, t.y + box.height / 2]);
		// The neighbour along the row sits at +125·(cos 30°, −sin 30°) from the centre: up and to the right.
		const expected = [500 + 125 * Math.cos(Math.PI / 6), 500 - 125 * Math.sin(Math.PI / 6)];
		expect(Math.min(...centres.map(([x, y]) => Math.hypot(x - expected[0], y - expected[1])))).toBeLessThanOrEqual(1);
	});

	it('tileComposite with no spacing leaves no pixel uncovered', () => {
		const img = createImage(200, 150);
		const mark = createImage(20, 10, [255, 255, 255, 255]);
		const out = tileComposite(img, mark, { angle: 30, space: 0, opacity: 1 });
		let uncovered = 0;
		let full = 0;
		for (let i = 3; i < out.data.length; i += 4) {
			if (out.data[i] === 0) uncovered++;
			if (out.data[i] === 255) full++;
		}
		expect(uncovered).toBe(0);
		expect(full / (200 * 150)).toBeGreaterThan(0.75);
		for (const [x, y] of corners(200, 150)) expect(out.data[(y * 200 + x) * 4 + 3]).toBeGreaterThan(0);
		expect(img.data.every((v) => v === 0)).toBe(true); // input untouched
	});

	it('tileComposite applies the opacity', () => {
		const out = tileComposite(createImage(50, 50, [0, 0, 0, 255]), createImage(60, 60, [255, 255, 255, 255]), { angle: 0, space: 0, opacity: 0.5 });
		expect(Array.from(out.data.subarray(0, 4))).toEqual([128, 128, 128, 255]);
	});
});

describe('validateWatermarkParams', () => {
	it('requires exactly one of text and watermark_image', () => {
		const none = errorOf(() => validateWatermarkParams({ opacity: 0.5 }));
		expect(none.message).toBe('Expected text or watermark_image for watermark but received neither');
		expect(none.code).toBe('invalid_parameter');
		expect(errorOf(() => validateWatermarkParams({ text: 'a', watermark_image: { url: 'x' } })).message).toBe(
			'Expected only one of text or watermark_image for watermark but received both'
		);
		expect(errorOf(() => validateWatermarkParams({ text: '   ' })).message).toBe(
			'Expected non-blank string of at most 1000 characters for text but received "   " of type string'
		);
	});

	it('positioned defaults (seed 000)', () => {
		expect(validateWatermarkParams({ text: '© Infrai' })).toEqual({
			text: '© Infrai', position: 'bottom-right', opacity: 0.6, size: 24, color: [255, 255, 255, 255],
			margin: 16, tiled: false, angle: 30, space: 25
		});
		const sized = validateWatermarkParams({ text: 'x' }, { width: 4000, height: 3000 });
		expect([sized.size, sized.margin]).toEqual([150, 60]);
		const small = validateWatermarkParams({ text: 'x' }, { width: 200, height: 100 });
		expect([small.size, small.margin]).toEqual([12, 4]);
	});

	it('tiled defaults (seed 001, HivisionIDPhotos)', () => {
		const p = validateWatermarkParams({ text: 'Hello', tiled: true }, { width: 4000, height: 3000 });
		expect([p.opacity, p.size, p.color, p.angle, p.space]).toEqual([0.5, 20, [0, 0, 0, 255], 30, 25]);
	});

	it('image marks', () => {
		const ref = { base64: 'AAAA' };
		const p = validateWatermarkParams({ watermark_image: ref, position: 'top_left' });
		expect(p.watermark_image).toBe(ref);
		expect([p.size, p.position]).toEqual([0.2, 'top-left']);
		expect(watermarkImageWidth(0.2, 1000)).toBe(200);
		expect(watermarkImageWidth(150, 1000)).toBe(150);
	});

	it('seed example', () => {
		const p = validateWatermarkParams({ text: '© Infrai', position: 'bottom_right', opacity: 0.6 });
		expect([p.position, p.opacity]).toEqual(['bottom-right', 0.6]);
	});

	it('messages', () => {
		const msg = (p: object) => errorOf(() => validateWatermarkParams({ text: 'a', ...p })).message;
		expect(msg({ opacity: 1.5 })).toBe('Expected number between 0 and 1 for opacity but received 1.5 of type number');
		expect(msg({ opacity: '0.5' })).toBe('Expected number between 0 and 1 for opacity but received "0.5" of type string');
		expect(msg({ size: 0 })).toBe('Expected number of px between 1 and 2000 for size but received 0 of type number');
		expect(msg({ color: 'blurple' })).toBe('Expected a colour such as "#ffffff", "ffffff" or "transparent" for color but received "blurple" of type string');
		expect(msg({ margin: -1 })).toBe('Expected non-negative number of px for margin but received -1 of type number');
		expect(msg({ tiled: 'yes' })).toBe('Expected boolean for tiled but received "yes" of type string');
		expect(msg({ angle: 720 })).toBe('Expected number of degrees between -360 and 360 for angle but received 720 of type number');
		expect(msg({ space: -5 })).toBe('Expected non-negative integer for space but received -5 of type number');
		expect(msg({ position: 'middle-left' })).toBe('Expected one of "top-left", "top-right", "bottom-left", "bottom-right", "center" for position but received "middle-left" of type string');
		expect(errorOf(() => validateWatermarkParams({ watermark_image: { id: 'a' }, size: 0 })).message).toBe(
			'Expected fraction of the image width in (0, 1] or px up to 65535 for size but received 0 of type number'
		);
		expect(errorOf(() => validateWatermarkParams(null)).message).toBe('Expected object for watermark but received null');
	});
});

describe('font subsets', () => {
	it('parses CSS unicode-range', () => {
		expect(parseUnicodeRange('U+0000-00FF, U+0131,u+4??')).toEqual([[0, 0xff], [0x131, 0x131], [0x400, 0x4ff]]);
	});

	const subsets: FontSubset[] = [
		{ file: 'cjk-a.woff2', unicodeRange: 'U+6c34,U+5370' },
		{ file: 'cjk-b.woff2', unicodeRange: 'U+4e00-4e3f' },
		{ file: 'latin.woff2', unicodeRange: 'U+0000-00FF' }
	];

	it('picks only the subsets the text needs, each once, in manifest order', () => {
		expect(pickSubsets('水印 水印', subsets).map((s) => s.file)).toEqual(['cjk-a.woff2', 'latin.woff2']);
		expect(pickSubsets('一\n', subsets).map((s) => s.file)).toEqual(['cjk-b.woff2']);
		expect(pickSubsets('😀', subsets)).toEqual([]);
	});

	it('the installed Noto Sans SC covers common Chinese and Latin text', async () => {
		// The same 400.css scripts/fonts.mjs reads (a non-literal import keeps Node's types out of the app's tsconfig).
		const fs = (await import('node:fs' as string)) as { readFileSync(path: URL, encoding: 'utf8'): string };
		const css = fs.readFileSync(new URL('../../node_modules/@fontsource/noto-sans-sc/400.css', import.meta.url), 'utf8');
		const real: FontSubset[] = [...css.matchAll(/url\(\.\/files\/([^)]+\.woff2)\)[^}]*?unicode-range:\s*([^;]+);/g)].map((m) => ({ file: m[1], unicodeRange: m[2] }));
		expect(real.length).toBeGreaterThan(90);
		const text = '仅限办理护照使用 © Darkroom 2026';
		const picked = pickSubsets(text, real);
		expect(picked.length).toBeGreaterThan(0);
		expect(picked.length).toBeLessThan(12);
		for (const ch of text.replace(/\s/g, '')) {
			const cp = ch.codePointAt(0)!;
			expect(picked.some((s) => parseUnicodeRange(s.unicodeRange).some(([lo, hi]) => cp >= lo && cp <= hi))).toBe(true);
		}
	});
});
