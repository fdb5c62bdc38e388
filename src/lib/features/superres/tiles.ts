/**
 * Tiling for the super-resolution network: the image is cut into tiles that the
 * network runs on one at a time, so memory stays at a few tiles of floats whatever the
 * image size.
 *
 * Seams: every tile is run with `context` extra source pixels on each inner side and
 * only its centre ("core") is kept. The cores partition the image exactly, so each
 * output pixel comes from exactly one tile (its weight is 1, the others' 0). RDN's
 * receptive field is ±10 source pixels (measured on rdn-x2 and rdn-x4: a change to
 * one input pixel moves outputs from −9.5 to +10 px away and no further), so with a
 * context of ≥ 10 px every kept output pixel sees the same inputs as in a single pass
 * over the whole image: the tiled result equals the untiled one to float rounding,
 * with nothing to blend.
 */

/** One axis of one tile, in source pixels. */
export interface TileSpan {
	/** What the network is given: [inStart, inEnd). */
	inStart: number;
	inEnd: number;
	/** What is kept: [coreStart, coreEnd), inside the input span. */
	coreStart: number;
	coreEnd: number;
}

export interface Tile {
	x: TileSpan;
	y: TileSpan;
}

/** Network input size per tile (before the context is cropped), source pixels. */
export const DEFAULT_TILE = 192;
/** Context on each inner side; ≥ RDN's receptive radius of 10 px. */
export const DEFAULT_CONTEXT = 12;

/**
 * Cuts [0, length) into cores of near-equal size, each with `context` pixels of
 * neighbourhood on the sides that are not the image edge, no input span longer
 * than `tile`.
 */
export function planSpans(length: number, tile = DEFAULT_TILE, context = DEFAULT_CONTEXT): TileSpan[] {
	if (!Number.isInteger(length) || length <= 0) throw new RangeError(`length must be a positive integer, got ${length}`);
	if (!Number.isInteger(tile) || !Number.isInteger(context) || context < 0 || tile <= 2 * context) {
		throw new RangeError(`tile (${tile}) must be an integer larger than twice the context (${context})`);
	}
	if (length <= tile) return [{ inStart: 0, inEnd: length, coreStart: 0, coreEnd: length }];
	// Interior cores get `context` on both sides, so at most tile − 2·context of their own.
	const n = Math.ceil(length / (tile - 2 * context));
	const spans: TileSpan[] = [];
	for (let k = 0; k < n; k++) {
		const coreStart = Math.round((k * length) / n);
		const coreEnd = Math.round(((k + 1) * length) / n);
		spans.push({ inStart: Math.max(0, coreStart - context), inEnd: Math.min(length, coreEnd + context), coreStart, coreEnd });
	}
	return spans;
}

/** Row-major tiles covering a width×height image. */
export function planTiles(width: number, height: number, tile = DEFAULT_TILE, context = DEFAULT_CONTEXT): Tile[] {
	const xs = planSpans(width, tile, context);
	const ys = planSpans(height, tile, context);
	const tiles: Tile[] = [];
	for (const y of ys) for (const x of xs) tiles.push({ x, y });
	return tiles;
}
