/** watermark_removal.remove's pure parts: keyword rules, offset, merging, masks, frames, parameters. */
import { describe, expect, it } from 'vitest';
import { levenshtein, matchesKeyword, selectLines, similarity, substringDistance } from '../../src/lib/features/wmremove/keywords';
import { adjacent, drawFrames, mergeLines, offsetAll, quadRect, rectMask } from '../../src/lib/features/wmremove/geometry';
import { parseKeywords, parseOffset, parseRectangles, parseWmRemoveParams } from '../../src/lib/features/wmremove/params';
import { PROCESS_MSG, PROCESS_STATUS } from '../../src/lib/features/wmremove/status';

describe('keyword rules', () => {
	it('levenshtein and approximate substring distance', () => {
		expect(levenshtein('kitten', 'sitting')).toBe(3);
		expect(substringDistance('fox', 'the quick brown fox')).toBe(0);
		expect(substringDistance('fux', 'the quick brown fox')).toBe(1);
		expect(substringDistance('抖音号', '抖音号:rc****16')).toBe(0);
	});
	it('similar: ≥ 75 % on the whole line or a part of it; case, width and spaces ignored', () => {
		expect(similarity('DARKROOM', 'Darkroom')).toBe(1);
		expect(similarity('Darkroom Studio', 'DarkroomStudio')).toBe(1); // OCR drops spaces
		expect(similarity('Darkroom', '© Darkroom 2026')).toBe(1);
		expect(similarity('Darkroom', 'Darkr0om')).toBe(0.875);
		expect(matchesKeyword({ value: 'Darkroom', rule: 'similar' }, 'Darkr0om')).toBe(true);
		expect(matchesKeyword({ value: 'Darkroom', rule: 'similar' }, 'Dxrkr00m')).toBe(false); // 3/8 wrong: 62.5 %
		expect(matchesKeyword({ value: 'ＳＡＭＰＬＥ', rule: 'similar' }, 'sample')).toBe(true); // NFKC
		expect(matchesKeyword({ value: '抖音号', rule: 'default' }, '抖音号:rc****16')).toBe(true);
		// a line holding only part of the name is not that name
		expect(matchesKeyword({ value: 'Darkroom Studio 2026', rule: 'similar' }, 'Darkroom')).toBe(false);
	});
	it('absolute: equal (whitespace aside), nothing else', () => {
		expect(matchesKeyword({ value: 'SAMPLE', rule: 'absolute' }, 'SAMPLE')).toBe(true);
		expect(matchesKeyword({ value: 'SAMPLE 2026', rule: 'absolute' }, 'SAMPLE2026')).toBe(true);
		expect(matchesKeyword({ value: 'SAMPLE', rule: 'absolute' }, 'sample')).toBe(false);
		expect(matchesKeyword({ value: 'SAMPLE', rule: 'absolute' }, 'SAMPLE 2026')).toBe(false);
		expect(matchesKeyword({ value: 'SAMPLE', rule: 'absolute' }, 'SAMPIE')).toBe(false);
	});
	it('selectLines: all, names (only these), exclude (all but these)', () => {
		const lines = [{ text: 'SAMPLE' }, { text: 'Darkroom Studio' }, { text: 'hello world' }];
		expect(selectLines(lines, { mode: 'all' })).toHaveLength(3);
		expect(selectLines(lines, { mode: 'names', keywords: [{ value: 'darkroom', rule: 'default' }] }).map((l) => l.text)).toEqual(['Darkroom Studio']);
		expect(selectLines(lines, { mode: 'exclude', keywords: [{ value: 'SAMPLE', rule: 'absolute' }] }).map((l) => l.text)).toEqual(['Darkroom Studio', 'hello world']);
	});
});

describe('offset', () => {
	it('parses the sign in the key, in the value, or a string', () => {
		expect(parseOffset({ '+x': 5, '-w': 10 })).toEqual({ x: 5, y: 0, w: -10, h: 0 });
		expect(parseOffset({ x: '-5', y: '+3', h: 4 })).toEqual({ x: -5, y: 3, w: 0, h: 4 });
		expect(parseOffset('{"-y": 2, "+h": 4}')).toEqual({ x: 0, y: -2, w: 0, h: 4 });
		expect(parseOffset('+x5 -y 5, +w10 +h:10')).toEqual({ x: 5, y: -5, w: 10, h: 10 });
		expect(() => parseOffset({ z: 1 })).toThrow(/Unknown key "z" in offset/);
		expect(() => parseOffset({ '+x': -1 })).toThrow(/offset\.\+x/);
		expect(() => parseOffset({ '+x': 1.5 })).toThrow(/integer/);
		expect(() => parseOffset('grow a bit')).toThrow(/offset/);
	});
	it('applies to every box, or to none when one would leave the image (52005)', () => {
		const boxes = [{ x: 10, y: 10, w: 20, h: 10 }, { x: 70, y: 80, w: 20, h: 10 }];
		const grow = { x: -5, y: -5, w: 10, h: 10 };
		expect(offsetAll(boxes, grow, 100, 100)).toEqual({ rects: [{ x: 5, y: 5, w: 30, h: 20 }, { x: 65, y: 75, w: 30, h: 20 }], ignored: false });
		const far = { x: 0, y: 0, w: 15, h: 0 }; // second box would reach x 105
		expect(offsetAll(boxes, far, 100, 100)).toEqual({ rects: boxes, ignored: true });
		expect(offsetAll(boxes, { x: 0, y: 0, w: -20, h: 0 }, 100, 100).ignored).toBe(true); // empty box
		expect(offsetAll(boxes, undefined, 100, 100).ignored).toBe(false);
	});
});

describe('merging lines into processLocation', () => {
	it('stacked lines and words of one line merge; distant ones do not', () => {
		const l = (x: number, y: number, w: number, h: number, text: string) => ({ x, y, w, h, text });
		const lines = [l(100, 100, 200, 30, 'first line'), l(100, 136, 180, 30, 'second line'), l(320, 102, 80, 28, 'same row'), l(100, 400, 200, 30, 'far away')];
		expect(adjacent(lines[0], lines[1])).toBe(true);
		expect(adjacent(lines[0], lines[2])).toBe(true);
		expect(adjacent(lines[0], lines[3])).toBe(false);
		const groups = mergeLines(lines);
		expect(groups.map((g) => g.location)).toEqual([
			{ x: 100, y: 100, w: 300, h: 66, lineCount: 3, word: 'first line same row second line' },
			{ x: 100, y: 400, w: 200, h: 30, lineCount: 1, word: 'far away' }
		]);
	});
	it('quadRect bounds a rotated quad, clipped to the image', () => {
		expect(quadRect([[10.2, 5.5], [50.7, 1], [52, 20.1], [9, 25]], 40, 100)).toEqual({ x: 9, y: 1, w: 31, h: 24 });
	});
});

describe('mask and show', () => {
	it('rectMask marks exactly the rectangles', () => {
		const m = rectMask([{ x: 1, y: 1, w: 2, h: 2 }], 4, 4);
		expect(Array.from(m)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
	});
	it('drawFrames paints green along the inside edge only', () => {
		const img = { width: 10, height: 10, data: new Uint8ClampedArray(400).fill(128) };
		const out = drawFrames(img, [{ x: 2, y: 2, w: 6, h: 6 }], 1);
		const px = (x: number, y: number) => Array.from(out.data.slice((y * 10 + x) * 4, (y * 10 + x) * 4 + 4));
		expect(px(2, 2)).toEqual([0, 255, 0, 255]);
		expect(px(7, 5)).toEqual([0, 255, 0, 255]);
		expect(px(4, 4)).toEqual([128, 128, 128, 128]);
		expect(px(1, 1)).toEqual([128, 128, 128, 128]);
		expect(img.data[(2 * 10 + 2) * 4]).toBe(128); // input untouched
	});
});

describe('parameters', () => {
	it('rectangles: objects, arrays or JSON; empty means detect', () => {
		expect(parseRectangles([{ x: 1, y: 2, w: 3, h: 4 }, [5, 6, 7, 8]])).toEqual([{ x: 1, y: 2, w: 3, h: 4 }, { x: 5, y: 6, w: 7, h: 8 }]);
		expect(parseRectangles('[{"x":1,"y":2,"width":3,"height":4}]')).toEqual([{ x: 1, y: 2, w: 3, h: 4 }]);
		expect(parseRectangles([])).toBeUndefined();
		expect(() => parseRectangles([{ x: 1, y: 2, w: 0, h: 4 }])).toThrow(/rectangles\[0\]\.w/);
		expect(() => parseRectangles('[{"x":1')).toThrow(/JSON/);
	});
	it('keywords: { value, rule }, strings; an unknown rule is default', () => {
		expect(parseKeywords([{ value: 'A', rule: 'absolute' }, { value: 'B', rule: 'fuzzy' }, 'C'], 'watermarkNames')).toEqual([
			{ value: 'A', rule: 'absolute' },
			{ value: 'B', rule: 'default' },
			{ value: 'C', rule: 'default' }
		]);
		expect(() => parseKeywords([{ rule: 'similar' }], 'excludeKeywords')).toThrow(/excludeKeywords\[0\]\.value/);
	});
	it('precedence rectangles > watermarkNames > excludeKeywords; sync true needs callback', () => {
		const both = parseWmRemoveParams({ watermarkNames: ['A'], excludeKeywords: ['B'], offset: { '+w': 2 } });
		expect(both.selection).toEqual({ mode: 'names', keywords: [{ value: 'A', rule: 'default' }] });
		expect(both.offset).toEqual({ x: 0, y: 0, w: 2, h: 0 });
		const rect = parseWmRemoveParams({ rectangles: [[0, 0, 5, 5]], offset: { '+w': 2 } });
		expect(rect.offset).toBeUndefined();
		expect(parseWmRemoveParams({ excludeKeywords: '[{"value":"B","rule":"absolute"}]' }).selection.mode).toBe('exclude');
		expect(parseWmRemoveParams({ markName: 'X' }).selection.mode).toBe('names');
		expect(parseWmRemoveParams({}).async).toBe(false);
		expect(() => parseWmRemoveParams({ sync: true })).toThrow(/callback/);
		expect(parseWmRemoveParams({ sync: 'true', callback: 'https://example.com/hook' })).toMatchObject({ async: true, callback: 'https://example.com/hook' });
		expect(() => parseWmRemoveParams({ sync: true, callback: 'ftp://x' })).toThrow(/callback/);
		expect(() => parseWmRemoveParams({ ocrOnly: 'yes' })).toThrow(/ocrOnly/);
		expect(() => parseWmRemoveParams({ shows: true })).toThrow(/Unknown parameter shows/);
	});
	it('every processStatus has a message', () => {
		for (const code of Object.values(PROCESS_STATUS)) expect(PROCESS_MSG[code]).toMatch(/::/);
	});
});
