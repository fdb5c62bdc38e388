import { describe, expect, it } from 'vitest';
import { iccDescription, isSrgbProfile } from '../../src/lib/codecs/icc';

/** A minimal ICC profile: 128-byte header, a tag table with one 'desc' tag. */
function profile(desc: string, kind: 'desc' | 'mluc' = 'desc', space = 'RGB '): Uint8Array {
	const body: number[] = [];
	const str = (s: string) => [...s].map((c) => c.charCodeAt(0));
	const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
	if (kind === 'desc') body.push(...str('desc'), 0, 0, 0, 0, ...u32(desc.length + 1), ...str(desc), 0);
	else {
		const utf16 = [...desc].flatMap((c) => [0, c.charCodeAt(0)]);
		body.push(...str('mluc'), 0, 0, 0, 0, ...u32(1), ...u32(12), ...str('enUS'), ...u32(utf16.length), ...u32(28), ...utf16);
	}
	const header = new Array(128).fill(0);
	str(space).forEach((c, i) => (header[16 + i] = c));
	const table = [...u32(1), ...str('desc'), ...u32(144), ...u32(body.length)];
	return Uint8Array.from([...header, ...table, ...body]);
}

describe('ICC profile check', () => {
	it('reads v2 and v4 descriptions', () => {
		expect(iccDescription(profile('sRGB IEC61966-2.1'))).toBe('sRGB IEC61966-2.1');
		expect(iccDescription(profile('Display P3', 'mluc'))).toBe('Display P3');
	});
	it('tells sRGB from wide-gamut profiles', () => {
		expect(isSrgbProfile(profile('sRGB IEC61966-2.1'))).toBe(true);
		expect(isSrgbProfile(profile('sRGB built-in', 'mluc'))).toBe(true);
		expect(isSrgbProfile(profile('Adobe RGB (1998)'))).toBe(false);
		expect(isSrgbProfile(profile('Display P3', 'mluc'))).toBe(false);
	});
	it('treats non-RGB and unreadable profiles as needing no conversion', () => {
		expect(isSrgbProfile(profile('Dot Gain 20%', 'desc', 'GRAY'))).toBe(true);
		expect(isSrgbProfile(new Uint8Array(40))).toBe(true);
	});
});
