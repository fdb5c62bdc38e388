import { describe, expect, it } from 'vitest';
import { formatColor, parseColor } from '../../src/lib/core/color';
import { DarkroomError } from '../../src/lib/api/errors';

describe('parseColor', () => {
	it.each([
		['#fff', [255, 255, 255, 255]],
		['fff', [255, 255, 255, 255]],
		['#f008', [255, 0, 0, 136]],
		['#1a2b3c', [26, 43, 60, 255]],
		['1A2B3C', [26, 43, 60, 255]],
		['#1a2b3c80', [26, 43, 60, 128]],
		['  #000000  ', [0, 0, 0, 255]],
		['transparent', [0, 0, 0, 0]],
		['White', [255, 255, 255, 255]],
		['green', [0, 128, 0, 255]],
		['grey', [128, 128, 128, 255]],
		['gray', [128, 128, 128, 255]],
		['yellow', [255, 255, 0, 255]]
	])('%s', (input, rgba) => {
		expect(parseColor(input, 'color')).toEqual(rgba);
	});

	it.each(['#ff', '#fffff', 'gg0000', '#1234567', 'rgb(1,2,3)', '', 'notacolour'])('rejects %j naming the parameter', (bad) => {
		let err: unknown;
		try {
			parseColor(bad, 'background');
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(DarkroomError);
		expect((err as DarkroomError).status).toBe(400);
		expect((err as DarkroomError).param).toBe('background');
		expect((err as DarkroomError).message).toBe(
			`Expected a colour such as "#ffffff", "ffffff" or "transparent" for background but received ${JSON.stringify(bad)} of type string`
		);
	});

	it('rejects non-strings', () => {
		expect(() => parseColor(123 as unknown as string, 'color')).toThrow(
			'Expected a colour such as "#ffffff", "ffffff" or "transparent" for color but received 123 of type number'
		);
	});

	it('returns a fresh tuple each time (callers may mutate it)', () => {
		const a = parseColor('red', 'c');
		a[0] = 0;
		expect(parseColor('red', 'c')).toEqual([255, 0, 0, 255]);
	});

	it('formatColor round-trips', () => {
		expect(formatColor([26, 43, 60, 255])).toBe('#1a2b3c');
		expect(formatColor([26, 43, 60, 128])).toBe('#1a2b3c80');
		expect(parseColor(formatColor([1, 2, 3, 4]), 'c')).toEqual([1, 2, 3, 4]);
	});
});
