/**
 * Print sheets of ID photos (HivisionIDPhotos' generate_layout_photos, without its caps).
 *
 * Hivision's layout_calculator fixes the sheet at 1795×1205, keeps 70/50 px side margins and
 * 30 px gaps, and caps the grid at 3 rows × 8 columns, so a photo of exactly the paper size fits
 * 0 times and A4 holds far fewer than it could. Here: both paper orientations, both photo
 * orientations (also mixed on one sheet: a leftover strip is filled with rotated photos), shelf
 * packing for several sizes (larger first), no row/column caps, and a margin-free retry so a photo
 * of exactly the paper size fits once.
 */
import { invalidParam } from '../../api/errors';
import { compositeOver, fillRect } from '../compose';
import { createImage, type RGBA, type RGBAImage } from '../image';
import { resizeImage } from '../resample';
import { rotateImage } from '../rotate';

export interface PaperSize {
	widthPx: number;
	heightPx: number;
}

/** Paper sizes in px at 300 dpi (portrait). */
export const PAPER_SIZES = {
	/** 6-inch (4×6 in): HivisionIDPhotos' own 1205×1795 (a few px under 1200×1800's 4×6 in, rounded to its canvas). */
	'6-inch': { widthPx: 1205, heightPx: 1795 },
	/** 4R = 4×6 in at 300 dpi exactly; the same paper as '6-inch'. */
	'4R': { widthPx: 1200, heightPx: 1800 },
	/** 5-inch = 3R = 3.5×5 in (1050×1500 exactly at 300 dpi; 1051 is the value commonly used by Chinese photo tools). */
	'5-inch': { widthPx: 1051, heightPx: 1500 },
	'3R': { widthPx: 1050, heightPx: 1500 },
	/** 5×7 in. */
	'5R': { widthPx: 1500, heightPx: 2100 },
	/** 210×297 mm. */
	A4: { widthPx: 2480, heightPx: 3508 },
	/** 148×210 mm. */
	A5: { widthPx: 1748, heightPx: 2480 }
} as const satisfies Record<string, PaperSize>;

export type PaperName = keyof typeof PAPER_SIZES;

export interface LayoutPhoto {
	width: number;
	height: number;
	/** How many to place; omitted = as many as fit. */
	count?: number;
}

export interface LayoutOptions {
	/** Space between photos, px. Default 30 (Hivision's PHOTO_INTERVAL). */
	gap?: number;
	/** Space between photos and the paper edge, px. Default 50 (Hivision's SIDES_INTERVAL_H). */
	margin?: number;
	/** Produce crop-mark segments. Default false. */
	cropMarks?: boolean;
	/** Crop-mark length, px. Default min(24, max(6, gap)). */
	cropMarkLength?: number;
}

export interface Placement {
	x: number;
	y: number;
	/** Size on the sheet (already swapped when rotated). */
	width: number;
	height: number;
	rotated: boolean;
	/** Index into the `photos` array. */
	photo: number;
}

export interface Segment {
	x1: number;
	y1: number;
	x2: number;
	y2: number;
}

export interface SheetLayout {
	sheetWidth: number;
	sheetHeight: number;
	placements: Placement[];
	/** Placed count per entry of `photos`. */
	counts: number[];
	cropMarks: Segment[];
}

function int(v: unknown, param: string, min: number, max = 100000): number {
	if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidParam(param, `an integer from ${min} to ${max}`, v);
	return v;
}

export function resolvePaper(paper: PaperName | PaperSize): PaperSize {
	if (typeof paper === 'string') {
		const p = (PAPER_SIZES as Record<string, PaperSize>)[paper];
		if (!p) throw invalidParam('paper', `one of ${Object.keys(PAPER_SIZES).join(', ')} or { widthPx, heightPx }`, paper);
		return { widthPx: p.widthPx, heightPx: p.heightPx };
	}
	if (!paper || typeof paper !== 'object') throw invalidParam('paper', 'a paper name or { widthPx, heightPx }', paper);
	return { widthPx: int(paper.widthPx, 'paper.widthPx', 1), heightPx: int(paper.heightPx, 'paper.heightPx', 1) };
}

interface Shelf {
	y: number;
	height: number;
	x: number; // next free x (relative to the usable area)
}

/** One greedy shelf packing run. `prefer[i]`: whether photo type i prefers rotation. */
function pack(usableW: number, usableH: number, gap: number, photos: LayoutPhoto[], order: number[], prefer: boolean[]): Placement[] {
	const shelves: Shelf[] = [];
	const out: Placement[] = [];
	let nextY = 0; // top of the next shelf
	for (const i of order) {
		const ph = photos[i];
		const limit = ph.count ?? Infinity;
		const dims: [number, number, boolean][] = prefer[i]
			? [[ph.height, ph.width, true], [ph.width, ph.height, false]]
			: [[ph.width, ph.height, false], [ph.height, ph.width, true]];
		if (ph.width === ph.height) dims.length = 1;
		let placed = 0;
		while (placed < limit) {
			let done = false;
			// First fit on an existing shelf, preferred orientation first.
			for (const [w, h, rot] of dims) {
				for (const s of shelves) {
					const x = s.x === 0 ? 0 : s.x + gap;
					if (h <= s.height && x + w <= usableW) {
						out.push({ x, y: s.y, width: w, height: h, rotated: rot, photo: i });
						s.x = x + w;
						done = true;
						break;
					}
				}
				if (done) break;
			}
			if (!done) {
				// New shelf below, preferred orientation first.
				const y = shelves.length === 0 ? 0 : nextY + gap;
				for (const [w, h, rot] of dims) {
					if (y + h <= usableH && w <= usableW) {
						shelves.push({ y, height: h, x: w });
						out.push({ x: 0, y, width: w, height: h, rotated: rot, photo: i });
						nextY = y + h;
						done = true;
						break;
					}
				}
			}
			if (!done) break;
			placed++;
		}
	}
	return out;
}

function score(p: Placement[]): [number, number] {
	return [p.length, -p.filter((q) => q.rotated).length];
}

function better(a: [number, number], b: [number, number]): boolean {
	return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
}

function cornerMarks(placements: Placement[], len: number): Segment[] {
	const segs: Segment[] = [];
	for (const p of placements) {
		const l = p.x;
		const t = p.y;
		const r = p.x + p.width;
		const b = p.y + p.height;
		// Each corner: one horizontal and one vertical tick pointing away from the photo.
		segs.push({ x1: l - len, y1: t, x2: l, y2: t }, { x1: l, y1: t - len, x2: l, y2: t });
		segs.push({ x1: r, y1: t, x2: r + len, y2: t }, { x1: r, y1: t - len, x2: r, y2: t });
		segs.push({ x1: l - len, y1: b, x2: l, y2: b }, { x1: l, y1: b, x2: l, y2: b + len });
		segs.push({ x1: r, y1: b, x2: r + len, y2: b }, { x1: r, y1: b, x2: r, y2: b + len });
	}
	return segs;
}

/**
 * Places as many photos as fit (or each entry's `count`) on the paper, larger sizes first.
 * The paper may be turned (sheetWidth/sheetHeight say which way the result is); the block of
 * photos is centred on the sheet. A photo that fits the paper in neither orientation throws.
 */
export function layoutSheet(paper: PaperName | PaperSize, photos: LayoutPhoto[], opts: LayoutOptions = {}): SheetLayout {
	const { widthPx: PW, heightPx: PH } = resolvePaper(paper);
	if (!Array.isArray(photos) || photos.length === 0) throw invalidParam('photos', 'a non-empty list of { width, height, count? }', photos);
	if (photos.length > 8) throw invalidParam('photos', 'at most 8 photo sizes', photos.length);
	const gap = int(opts.gap ?? 30, 'gap', 0, 10000);
	const margin = int(opts.margin ?? 50, 'margin', 0, 10000);
	photos.forEach((p, i) => {
		int(p?.width, `photos[${i}].width`, 1);
		int(p?.height, `photos[${i}].height`, 1);
		if (p.count !== undefined) int(p.count, `photos[${i}].count`, 0, 10000);
		const fits = (p.width <= PW && p.height <= PH) || (p.width <= PH && p.height <= PW);
		if (!fits) throw invalidParam(`photos[${i}]`, `a photo no larger than the ${PW}×${PH} px paper (in either orientation), not ${p.width}×${p.height} px`, `${p.width}×${p.height}`);
	});

	// Larger first (by area), stable.
	const order = photos.map((_, i) => i).sort((a, b) => photos[b].width * photos[b].height - photos[a].width * photos[a].height || a - b);
	const n = photos.length;
	const combos = n <= 4 ? 1 << n : 2;
	let best = null as { placements: Placement[]; sw: number; sh: number; m: number } | null;
	for (const m of margin > 0 ? [margin, 0] : [0]) {
		for (const [sw, sh] of [[PW, PH], [PH, PW]] as const) {
			const uw = sw - 2 * m;
			const uh = sh - 2 * m;
			if (uw <= 0 || uh <= 0) continue;
			for (let c = 0; c < combos; c++) {
				const prefer = photos.map((_, i) => (n <= 4 ? ((c >> i) & 1) === 1 : c === 1));
				const placements = pack(uw, uh, gap, photos, order, prefer);
				if (!best || better(score(placements), score(best.placements))) best = { placements, sw, sh, m };
			}
		}
		// Only drop the margin when it leaves something unplaceable that would otherwise fit.
		if (best && best.placements.length > 0) break;
	}
	const b = best ?? { placements: [], sw: PW, sh: PH, m: margin };

	// Centre the block on the sheet.
	let maxX = 0;
	let maxY = 0;
	for (const p of b.placements) {
		maxX = Math.max(maxX, p.x + p.width);
		maxY = Math.max(maxY, p.y + p.height);
	}
	const ox = Math.floor((b.sw - maxX) / 2);
	const oy = Math.floor((b.sh - maxY) / 2);
	const placements = b.placements
		.map((p) => ({ ...p, x: p.x + ox, y: p.y + oy }))
		.sort((p, q) => p.y - q.y || p.x - q.x);
	const counts = photos.map((_, i) => placements.filter((p) => p.photo === i).length);
	const len = opts.cropMarkLength ?? Math.min(24, Math.max(6, gap));
	const cropMarks = opts.cropMarks ? cornerMarks(placements, int(len, 'cropMarkLength', 1, 1000)) : [];
	return { sheetWidth: b.sw, sheetHeight: b.sh, placements, counts, cropMarks };
}

export interface RenderSheetOptions {
	background?: RGBA;
	/** Segments to draw (from layoutSheet), or true to compute corner marks from the placements. */
	cropMarks?: Segment[] | boolean;
	cropMarkColour?: RGBA;
}

function drawSegment(img: RGBAImage, s: Segment, colour: RGBA): void {
	const x0 = Math.min(s.x1, s.x2);
	const y0 = Math.min(s.y1, s.y2);
	// Axis-aligned, 1 px thick: a vertical line at x occupies column x (or x-1 on the right edge of a photo).
	const w = Math.max(1, Math.abs(s.x2 - s.x1));
	const h = Math.max(1, Math.abs(s.y2 - s.y1));
	fillRect(img, { x: s.x1 === s.x2 && x0 >= img.width ? x0 - 1 : x0, y: s.y1 === s.y2 && y0 >= img.height ? y0 - 1 : y0, width: w, height: h }, colour);
}

/**
 * Draws the sheet: `images[p.photo]` at each placement (resized to the photo's size if needed,
 * turned 90° clockwise when rotated), over `background` (default white); crop marks under the photos.
 */
export function renderSheet(sheetW: number, sheetH: number, placements: Placement[], images: RGBAImage[], opts: RenderSheetOptions = {}): RGBAImage {
	int(sheetW, 'sheetW', 1, 65535);
	int(sheetH, 'sheetH', 1, 65535);
	const sheet = createImage(sheetW, sheetH, opts.background ?? [255, 255, 255, 255]);
	const marks = opts.cropMarks === true ? cornerMarks(placements, 24) : Array.isArray(opts.cropMarks) ? opts.cropMarks : [];
	const markColour = opts.cropMarkColour ?? [160, 160, 160, 255];
	for (const s of marks) drawSegment(sheet, s, markColour);
	const cache = new Map<string, RGBAImage>();
	for (const p of placements) {
		const src = images[p.photo];
		if (!src) throw invalidParam('images', `an image for photo ${p.photo}`, undefined);
		const key = `${p.photo}:${p.width}x${p.height}:${p.rotated}`;
		let img = cache.get(key);
		if (!img) {
			const w = p.rotated ? p.height : p.width;
			const h = p.rotated ? p.width : p.height;
			img = src.width === w && src.height === h ? src : resizeImage(src, w, h);
			if (p.rotated) img = rotateImage(img, 90);
			cache.set(key, img);
		}
		compositeOver(sheet, img, p.x, p.y);
	}
	return sheet;
}
