/**
 * Just enough ICC parsing to tell whether a profile is sRGB: pixels under any other
 * profile (Adobe RGB, Display P3 from phones) must be converted to stay "sRGB out".
 */
const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** The profile's description ('desc' tag: v2 ASCII or v4 'mluc' UTF-16BE), or undefined. */
export function iccDescription(icc: Uint8Array): string | undefined {
	if (icc.length < 132) return undefined;
	const dv = new DataView(icc.buffer, icc.byteOffset, icc.byteLength);
	const count = dv.getUint32(128);
	for (let i = 0; i < count && 132 + i * 12 + 12 <= icc.length; i++) {
		const e = 132 + i * 12;
		if (ascii(icc, e, 4) !== 'desc') continue;
		const off = dv.getUint32(e + 4);
		const size = dv.getUint32(e + 8);
		if (off + size > icc.length || size < 12) return undefined;
		const type = ascii(icc, off, 4);
		if (type === 'desc') {
			const n = dv.getUint32(off + 8);
			return ascii(icc, off + 12, Math.min(n, size - 12)).replace(/\0+$/, '');
		}
		if (type === 'mluc') {
			const recSize = dv.getUint32(off + 12);
			if (recSize < 12) return undefined;
			const len = dv.getUint32(off + 16 + 4);
			const at = off + dv.getUint32(off + 16 + 8);
			let s = '';
			for (let k = 0; k + 1 < len && at + k + 1 < icc.length; k += 2) s += String.fromCharCode(dv.getUint16(at + k));
			return s;
		}
		return undefined;
	}
	return undefined;
}

/** True for sRGB profiles (and for anything unreadable, which is treated as sRGB rather than guessed at). */
export function isSrgbProfile(icc: Uint8Array): boolean {
	if (icc.length < 132) return true;
	if (ascii(icc, 16, 4) !== 'RGB ') return true; // gray/CMYK are handled by their own decoders
	const desc = iccDescription(icc);
	if (desc === undefined) return true;
	return /srgb|iec\s*61966-2[.-]1/i.test(desc);
}
