import { describe, expect, it } from 'vitest';
import { layoutSheet, renderSheet, type Placement, type SheetLayout } from '../../src/lib/core/idphoto/layout';
import { createImage, type RGBAImage } from '../../src/lib/core/image';
import { DarkroomError } from '../../src/lib/api/errors';

const px = (img: RGBAImage, x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

/** No overlaps, gap respected, everything on the sheet. */
function checkValid(l: SheetLayout, gap = 30) {
	for (const p of l.placements) {
		expect(p.x).toBeGreaterThanOrEqual(0);
		expect(p.y).toBeGreaterThanOrEqual(0);
		expect(p.x + p.width).toBeLessThanOrEqual(l.sheetWidth);
		expect(p.y + p.height).toBeLessThanOrEqual(l.sheetHeight);
	}
	const apart = (a: Placement, b: Placement) =>
		a.x + a.width + gap <= b.x || b.x + b.width + gap <= a.x || a.y + a.height + gap <= b.y || b.y + b.height + gap <= a.y;
	for (let i = 0; i < l.placements.length; i++) for (let j = i + 1; j < l.placements.length; j++) expect(apart(l.placements[i], l.placements[j])).toBe(true);
}

/** HivisionIDPhotos' judge_layout count (default landscape 1795×1205, 70/50 margins, 30 gaps, ≤3 rows, ≤8 cols). */
function hivisionCount(w: number, h: number, layoutW = 1795, layoutH = 1205): number {
	const LW = layoutW - 140;
	const LH = layoutH - 100;
	const fit = (a: number, limit: number, max: number) => {
		let n = 0;
		for (let i = 1; i <= max; i++) if (a * i + 30 * (i - 1) < limit) n = i;
		return n;
	};
	return Math.max(fit(h, LH, 3) * fit(w, LW, 8), fit(w, LH, 3) * fit(h, LW, 8));
}

describe('layoutSheet', () => {
	it('1-inch on 6-inch beats HivisionIDPhotos (10) with 11', () => {
		expect(hivisionCount(295, 413)).toBe(10);
		const l = layoutSheet('6-inch', [{ width: 295, height: 413 }]);
		expect(l.counts).toEqual([11]);
		expect(l.placements.length).toBeGreaterThanOrEqual(hivisionCount(295, 413));
		checkValid(l);
	});

	it('2-inch on 6-inch: 5 (Hivision gets 4)', () => {
		expect(hivisionCount(413, 579)).toBe(4);
		const l = layoutSheet('6-inch', [{ width: 413, height: 579 }]);
		expect(l.counts).toEqual([5]);
		checkValid(l);
	});

	it('A4 holds many 1-inch photos (no row/column caps)', () => {
		const l = layoutSheet('A4', [{ width: 295, height: 413 }]);
		expect(l.counts[0]).toBe(54);
		checkValid(l);
	});

	it('mixed 1-inch + 2-inch on 6-inch: larger first, rest with the smaller', () => {
		const l = layoutSheet('6-inch', [{ width: 295, height: 413 }, { width: 413, height: 579, count: 4 }]);
		expect(l.counts).toEqual([4, 4]);
		checkValid(l);
		const l2 = layoutSheet('6-inch', [{ width: 295, height: 413 }, { width: 413, height: 579, count: 2 }]);
		expect(l2.counts).toEqual([7, 2]);
		checkValid(l2);
	});

	it('honours counts', () => {
		const l = layoutSheet('6-inch', [{ width: 295, height: 413, count: 4 }]);
		expect(l.counts).toEqual([4]);
	});

	it('a photo of exactly the paper size fits once (Hivision fits 0)', () => {
		expect(hivisionCount(1051, 1500, 1500, 1051)).toBe(0);
		const l = layoutSheet('5-inch', [{ width: 1051, height: 1500 }]);
		expect(l.counts).toEqual([1]);
		expect(l.placements[0]).toMatchObject({ x: 0, y: 0, width: 1051, height: 1500, rotated: false });
		// and turned paper is fine too
		expect(layoutSheet('5-inch', [{ width: 1500, height: 1051 }]).counts).toEqual([1]);
	});

	it('custom paper and zero gap/margin', () => {
		const l = layoutSheet({ widthPx: 100, heightPx: 100 }, [{ width: 50, height: 50 }], { gap: 0, margin: 0 });
		expect(l.counts).toEqual([4]);
		checkValid(l, 0);
	});

	it('oversize photo throws naming both sizes', () => {
		try {
			layoutSheet('6-inch', [{ width: 2000, height: 2500 }]);
			expect.unreachable();
		} catch (e) {
			expect(DarkroomError.is(e)).toBe(true);
			expect((e as DarkroomError).code).toBe('invalid_parameter');
			expect((e as Error).message).toMatch(/1205×1795/);
			expect((e as Error).message).toMatch(/2000×2500/);
		}
		expect(() => layoutSheet('B9' as 'A4', [{ width: 1, height: 1 }])).toThrow(/paper/);
	});

	it('crop marks: 8 segments per photo, at the corners', () => {
		const l = layoutSheet('6-inch', [{ width: 295, height: 413, count: 2 }], { cropMarks: true });
		expect(l.cropMarks.length).toBe(16);
		const p = l.placements[0];
		expect(l.cropMarks).toContainEqual({ x1: p.x - 24, y1: p.y, x2: p.x, y2: p.y });
		for (const s of l.cropMarks) expect(s.x1 === s.x2 || s.y1 === s.y2).toBe(true);
	});
});

describe('renderSheet', () => {
	it('draws photos (rotated when needed) on white with crop marks', () => {
		const photo = createImage(30, 40, [200, 0, 0, 255]);
		photo.data.set([0, 0, 200, 255], 0); // top-left marker
		const l = layoutSheet({ widthPx: 200, heightPx: 120 }, [{ width: 30, height: 40 }], { gap: 10, margin: 10, cropMarks: true });
		const sheet = renderSheet(l.sheetWidth, l.sheetHeight, l.placements, [photo], { cropMarks: l.cropMarks });
		expect(sheet.width).toBe(l.sheetWidth);
		expect(px(sheet, 0, 0)).toEqual([255, 255, 255, 255]);
		for (const p of l.placements) {
			expect(px(sheet, p.x + Math.floor(p.width / 2), p.y + Math.floor(p.height / 2))).toEqual([200, 0, 0, 255]);
			if (p.rotated) expect(px(sheet, p.x + p.width - 1, p.y)).toEqual([0, 0, 200, 255]);
			else expect(px(sheet, p.x, p.y)).toEqual([0, 0, 200, 255]);
		}
		const p = l.placements[0];
		expect(px(sheet, p.x - 3, p.y)).toEqual([160, 160, 160, 255]);
	});

	it('resizes an image that is not at the placement size', () => {
		const photo = createImage(60, 80, [0, 150, 0, 255]);
		const sheet = renderSheet(50, 50, [{ x: 5, y: 5, width: 30, height: 40, rotated: false, photo: 0 }], [photo]);
		expect(px(sheet, 20, 25)).toEqual([0, 150, 0, 255]);
		expect(px(sheet, 40, 25)).toEqual([255, 255, 255, 255]);
	});
});
