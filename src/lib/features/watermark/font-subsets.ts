/**
 * Which subsets of the bundled font a text needs. The manifest is written at build
 * time by scripts/fonts.mjs from @fontsource/noto-sans-sc's 400.css; this file is pure
 * so the choice can be tested without a browser.
 */
export interface FontSubset {
	file: string;
	/** CSS unicode-range, e.g. "U+4e00-4e3f,U+4e45". */
	unicodeRange: string;
}

export interface FontManifest {
	family: string;
	weight: number;
	source: string;
	license: string;
	subsets: FontSubset[];
}

/** CSS unicode-range → inclusive [start, end] code point pairs (wildcards like U+4?? included). */
export function parseUnicodeRange(range: string): Array<[number, number]> {
	const out: Array<[number, number]> = [];
	for (const raw of range.split(',')) {
		const part = raw.trim().replace(/^u\+/i, '');
		if (!part) continue;
		let lo: number;
		let hi: number;
		if (part.includes('?')) {
			lo = parseInt(part.replace(/\?/g, '0'), 16);
			hi = parseInt(part.replace(/\?/g, 'f'), 16);
		} else {
			const [a, b] = part.split('-');
			lo = parseInt(a, 16);
			hi = b === undefined ? lo : parseInt(b, 16);
		}
		if (!Number.isNaN(lo) && !Number.isNaN(hi)) out.push([lo, hi]);
	}
	return out;
}

const parsed = new WeakMap<FontSubset, Array<[number, number]>>();

function rangesOf(subset: FontSubset): Array<[number, number]> {
	let r = parsed.get(subset);
	if (!r) parsed.set(subset, (r = parseUnicodeRange(subset.unicodeRange)));
	return r;
}

/**
 * The subsets covering the characters of `text`, each once, in manifest order. Line
 * breaks and other control characters need no glyph; characters no subset covers
 * (most emoji) are left to the system's fallback fonts.
 */
export function pickSubsets(text: string, subsets: readonly FontSubset[]): FontSubset[] {
	const chosen = new Set<FontSubset>();
	const seen = new Set<number>();
	for (const ch of text) {
		const cp = ch.codePointAt(0)!;
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || seen.has(cp)) continue;
		seen.add(cp);
		for (const s of subsets) {
			if (rangesOf(s).some(([lo, hi]) => cp >= lo && cp <= hi)) {
				chosen.add(s);
				break;
			}
		}
	}
	return subsets.filter((s) => chosen.has(s));
}
