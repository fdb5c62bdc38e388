import { describe, expect, it } from 'vitest';
import { customSize, findPreset, ID_PHOTO_PRESETS, mmToPx } from '../../src/lib/core/idphoto/presets';
import { parseColor } from '../../src/lib/core/color';

describe('ID photo presets', () => {
	it('px ≈ mm × dpi / 25.4 within 2 px', () => {
		for (const p of ID_PHOTO_PRESETS) {
			expect(Math.abs(p.width_px - (p.width_mm * p.dpi) / 25.4), p.id).toBeLessThanOrEqual(2);
			expect(Math.abs(p.height_px - (p.height_mm * p.dpi) / 25.4), p.id).toBeLessThanOrEqual(2);
		}
	});
	it('ids unique, names present, backgrounds parse', () => {
		const ids = ID_PHOTO_PRESETS.map((p) => p.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const p of ID_PHOTO_PRESETS) {
			expect(p.name_en && p.name_zh && p.source).toBeTruthy();
			for (const c of [p.background].flat()) expect(() => parseColor(c, 'background')).not.toThrow();
			if (p.head?.heightMm) {
				const [a, b] = p.head.heightMm;
				expect(a).toBeLessThan(b);
				expect(b).toBeLessThan(p.height_mm);
			}
		}
	});
	it('the well-known sizes', () => {
		const size = (id: string) => { const p = findPreset(id)!; return [p.width_px, p.height_px]; };
		expect(size('cn-1inch')).toEqual([295, 413]);
		expect(size('cn-small-1inch')).toEqual([260, 378]);
		expect(size('cn-large-1inch')).toEqual([390, 567]);
		expect(size('cn-2inch')).toEqual([413, 579]);
		expect(size('cn-small-2inch')).toEqual([413, 531]);
		expect(size('cn-large-2inch')).toEqual([413, 626]);
		expect(size('cn-resident-id')).toEqual([358, 441]);
		expect(size('cn-passport')).toEqual([390, 567]);
		expect(size('us-passport')).toEqual([600, 600]);
		expect(size('schengen')).toEqual([413, 531]);
		expect(size('in-passport')).toEqual([600, 600]);
		expect(findPreset('cn-passport')!.head!.heightMm).toEqual([28, 33]);
		expect(findPreset('uk-passport')!.head!.heightMm).toEqual([29, 34]);
	});
	it("2-inch and large 2-inch differ (HivisionIDPhotos' error)", () => {
		const a = findPreset('cn-2inch')!;
		const b = findPreset('cn-large-2inch')!;
		expect([a.width_px, a.height_px]).not.toEqual([b.width_px, b.height_px]);
	});
	it('mmToPx and custom sizes', () => {
		expect(mmToPx(25, 300)).toBe(295);
		expect(mmToPx(35)).toBe(413);
		expect(() => mmToPx(-1)).toThrow(/mm/);
		expect(customSize({ width: 35, height: 45, unit: 'mm' })).toMatchObject({ width_px: 413, height_px: 531, dpi: 300 });
		expect(customSize({ width: 300, height: 400 }).width_mm).toBeCloseTo(25.4, 6);
		expect(() => customSize({ width: 0, height: 4 })).toThrow(/width/);
	});
});
