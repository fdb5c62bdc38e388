/**
 * watermarkNames / excludeKeywords matching (seed 004). Each entry is { value, rule }:
 *
 *  - `similar`: edit-distance similarity ≥ 75 %. Both sides are normalised (NFKC, lower case,
 *    whitespace removed: the PP-OCRv4 recogniser often drops spaces). Similarity is the better of
 *      · the whole line:  1 − lev(value, line) / max(|value|, |line|), and
 *      · a part of the line: 1 − (fewest edits turning value into some substring of the line) / |value|
 *    so a name matches a line that contains it, nearly verbatim, among other text
 *    ("抖音号" in "抖音号:rc****16"), while a line holding only part of the name does not.
 *  - `absolute`: the line equals the value exactly (100 %); only whitespace is ignored.
 *  - `default`, a missing or unknown rule: same as `similar` (the seed's wording).
 */
export type KeywordRule = 'similar' | 'absolute' | 'default';

export interface Keyword {
	value: string;
	rule: KeywordRule;
}

export const SIMILAR_THRESHOLD = 0.75;

export function normalizeText(s: string): string {
	return s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** Levenshtein distance over code points. */
export function levenshtein(a: string, b: string): number {
	const x = [...a];
	const y = [...b];
	let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
	for (let i = 1; i <= x.length; i++) {
		const cur = [i];
		for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
		prev = cur;
	}
	return prev[y.length];
}

/** Fewest edits turning `needle` into some substring of `hay` (Sellers' approximate matching). */
export function substringDistance(needle: string, hay: string): number {
	const p = [...needle];
	const t = [...hay];
	// Column over the needle; a free start anywhere in hay (row 0 of every column is 0).
	let col = Array.from({ length: p.length + 1 }, (_, i) => i);
	let best = col[p.length];
	for (let j = 1; j <= t.length; j++) {
		const next = [0];
		for (let i = 1; i <= p.length; i++) next[i] = Math.min(col[i] + 1, next[i - 1] + 1, col[i - 1] + (p[i - 1] === t[j - 1] ? 0 : 1));
		col = next;
		best = Math.min(best, col[p.length]);
	}
	return best;
}

/** The `similar` rule's score, 0..1 (see the file comment). */
export function similarity(value: string, line: string): number {
	const v = normalizeText(value);
	const l = normalizeText(line);
	if (!v.length) return 0;
	const whole = 1 - levenshtein(v, l) / Math.max([...v].length, [...l].length);
	const part = 1 - substringDistance(v, l) / [...v].length;
	return Math.max(whole, part);
}

export function matchesKeyword(k: Keyword, line: string): boolean {
	if (k.rule === 'absolute') return k.value.replace(/\s+/g, '') === line.replace(/\s+/g, '') && k.value.trim().length > 0;
	return similarity(k.value, line) >= SIMILAR_THRESHOLD;
}

export type Selection = { mode: 'all' } | { mode: 'names'; keywords: Keyword[] } | { mode: 'exclude'; keywords: Keyword[] };

/** Which lines to remove: all, only those matching a watermarkName, or all but those matching an excludeKeyword. */
export function selectLines<T extends { text: string }>(lines: readonly T[], sel: Selection): T[] {
	if (sel.mode === 'all') return [...lines];
	const hit = (l: T) => sel.keywords.some((k) => matchesKeyword(k, l.text));
	return lines.filter((l) => (sel.mode === 'names' ? hit(l) : !hit(l)));
}
