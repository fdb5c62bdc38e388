/**
 * Estimates the "quality" a JPEG was saved at from its quantisation tables, the way
 * ImageMagick does: find the libjpeg quality whose scaled base tables match. Two base
 * table families are known: the JPEG Annex K tables (libjpeg, ImageMagick, most tools)
 * and MozJPEG's default (quant_table 3, N. Robidoux's table, used for luma and chroma
 * alike). Files with other tables get the Annex K-equivalent quality of their average
 * scaling.
 */
import { u16be } from './bytes';
import { isSofMarker } from './probe';

// Both families in zigzag order, as they appear in DQT segments.
const ANNEX_K_LUMA = [
	16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51, 56, 55, 64, 72, 92, 78,
	64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99
];
const ANNEX_K_CHROMA = [
	17, 18, 18, 24, 21, 24, 47, 26, 26, 47, 99, 66, 56, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99
];
const MOZJPEG_DEFAULT = [
	16, 16, 16, 16, 17, 16, 18, 20, 20, 18, 25, 27, 24, 27, 25, 37, 34, 31, 31, 34, 37, 56, 40, 43, 40, 43, 40, 56, 85, 53, 62, 53, 53, 62, 53, 85, 75, 91,
	74, 69, 74, 91, 75, 135, 106, 94, 94, 106, 135, 156, 131, 124, 131, 156, 189, 169, 169, 189, 238, 226, 238, 311, 311, 418
];

const FAMILIES: { luma: number[]; chroma: number[] }[] = [
	{ luma: ANNEX_K_LUMA, chroma: ANNEX_K_CHROMA },
	{ luma: MOZJPEG_DEFAULT, chroma: MOZJPEG_DEFAULT }
];

/** libjpeg's jpeg_quality_scaling + jpeg_add_quant_table. */
export function scaleTable(base: readonly number[], quality: number, forceBaseline: boolean): number[] {
	const q = Math.min(100, Math.max(1, Math.round(quality)));
	const scale = q < 50 ? Math.floor(5000 / q) : 200 - q * 2;
	return base.map((b) => {
		let t = Math.floor((b * scale + 50) / 100);
		if (t <= 0) t = 1;
		if (t > 32767) t = 32767;
		if (forceBaseline && t > 255) t = 255;
		return t;
	});
}

/** Quantisation tables of the luma and (if present) first chroma component, zigzag order. */
export function readQuantTables(jpeg: Uint8Array): { luma: number[]; chroma?: number[] } | undefined {
	const tables = new Map<number, number[]>();
	let lumaId = 0;
	let chromaId: number | undefined;
	let o = 2;
	while (o + 4 <= jpeg.length && jpeg[o] === 0xff) {
		const m = jpeg[o + 1];
		if (m === 0xda || m === 0xd9) break;
		if (m === 0xff) {
			o++;
			continue;
		}
		const len = u16be(jpeg, o + 2);
		const end = o + 2 + len;
		if (end > jpeg.length) break;
		if (m === 0xdb) {
			let p = o + 4;
			while (p < end) {
				const precision = jpeg[p] >> 4;
				const id = jpeg[p] & 15;
				p++;
				const t: number[] = [];
				for (let i = 0; i < 64; i++) {
					t.push(precision ? u16be(jpeg, p) : jpeg[p]);
					p += precision ? 2 : 1;
				}
				tables.set(id, t);
			}
		} else if (isSofMarker(m)) {
			const n = jpeg[o + 9];
			lumaId = jpeg[o + 10 + 2];
			if (n >= 3) chromaId = jpeg[o + 10 + 3 + 2];
		}
		o = end;
	}
	const luma = tables.get(lumaId);
	if (!luma) return undefined;
	const chroma = chromaId !== undefined ? tables.get(chromaId) : undefined;
	return chroma && chromaId !== lumaId ? { luma, chroma } : { luma };
}

function distance(a: readonly number[], b: readonly number[]): number {
	let d = 0;
	for (let i = 0; i < 64; i++) d += Math.abs(a[i] - b[i]);
	return d;
}

/** Quality 1..100, or undefined when the file has no readable quantisation table. */
export function estimateJpegQuality(jpeg: Uint8Array): number | undefined {
	const t = readQuantTables(jpeg);
	if (!t) return undefined;
	let best = { q: 0, err: Infinity };
	for (const fam of FAMILIES) {
		for (let q = 1; q <= 100; q++) {
			for (const baseline of [false, true]) {
				let err = distance(t.luma, scaleTable(fam.luma, q, baseline));
				if (t.chroma) err += distance(t.chroma, scaleTable(fam.chroma, q, baseline));
				// Ties go to the higher quality (identical tables at the clamped extremes).
				if (err <= best.err) best = { q, err };
			}
		}
	}
	// Exact for files written by libjpeg-family encoders; off-by-one rounding in other
	// encoders still lands on the right family within about 1 per coefficient.
	if (best.err <= (t.chroma ? 128 : 64)) return best.q;
	return qualityFromScale(t.luma, t.chroma);
}

/** Unknown tables: the Annex K quality with the same mean scaling factor. */
function qualityFromScale(luma: number[], chroma?: number[]): number {
	let sum = 0;
	let n = 0;
	for (let i = 0; i < 64; i++) {
		sum += (luma[i] * 100) / ANNEX_K_LUMA[i];
		n++;
		if (chroma) {
			sum += (chroma[i] * 100) / ANNEX_K_CHROMA[i];
			n++;
		}
	}
	const scale = sum / n;
	const q = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
	return Math.min(100, Math.max(1, Math.round(q)));
}
