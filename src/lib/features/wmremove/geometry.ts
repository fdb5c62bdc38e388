/**
 * Rectangles of seed 004 ({ x, y, w, h } in image pixels): line boxes from OCR quads, the
 * `offset` parameter, merging of adjacent lines into processLocation entries, masks and the
 * green frames of `show`.
 */
import type { RGBAImage } from '../../core/image';

export interface Rect {
	x: number;
	y: number;
	w: number;
	h: number;
}

/** A text line to remove: its axis-aligned rectangle and what OCR read there. */
export interface LineRect extends Rect {
	text: string;
}

export interface Location extends Rect {
	/** How many lines were merged into this rectangle (0 for a rectangle the caller gave). */
	lineCount: number;
	/** The merged lines' text, in reading order, joined by spaces. */
	word: string;
}

/** The integer rectangle around a quadrilateral, clipped to the image. */
export function quadRect(box: readonly (readonly [number, number])[], width: number, height: number): Rect {
	const xs = box.map((p) => p[0]);
	const ys = box.map((p) => p[1]);
	const x0 = Math.max(0, Math.floor(Math.min(...xs)));
	const y0 = Math.max(0, Math.floor(Math.min(...ys)));
	const x1 = Math.min(width, Math.ceil(Math.max(...xs)));
	const y1 = Math.min(height, Math.ceil(Math.max(...ys)));
	return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

/** Grows a rectangle by `pad` on every side, clipped to the image. */
export function padRect(r: Rect, pad: number, width: number, height: number): Rect {
	const x0 = Math.max(0, r.x - pad);
	const y0 = Math.max(0, r.y - pad);
	const x1 = Math.min(width, r.x + r.w + pad);
	const y1 = Math.min(height, r.y + r.h + pad);
	return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * seed 004's `offset`: signed amounts for x, y, w and h. x and y move the rectangle's left and top
 * edge (+x: right, −y: up), w and h change its size (+w: wider, −h: lower). Growing a box by 5 px
 * on every side is { "-x": 5, "-y": 5, "+w": 10, "+h": 10 }.
 */
export interface Offset {
	x: number;
	y: number;
	w: number;
	h: number;
}

export function applyOffset(r: Rect, o: Offset): Rect {
	return { x: r.x + o.x, y: r.y + o.y, w: r.w + o.w, h: r.h + o.h };
}

/** Whether the rectangle is non-empty and lies inside the image. */
export function insideImage(r: Rect, width: number, height: number): boolean {
	return r.w > 0 && r.h > 0 && r.x >= 0 && r.y >= 0 && r.x + r.w <= width && r.y + r.h <= height;
}

/**
 * Applies the offset to every rectangle; if any would leave the image (or become empty), the offset
 * is ignored for all of them and `ignored` is true (processStatus 52005: processed without it).
 */
export function offsetAll<T extends Rect>(rects: readonly T[], o: Offset | undefined, width: number, height: number): { rects: T[]; ignored: boolean } {
	if (!o || (o.x === 0 && o.y === 0 && o.w === 0 && o.h === 0)) return { rects: [...rects], ignored: false };
	const moved = rects.map((r) => ({ ...r, ...applyOffset(r, o) }));
	if (moved.every((r) => insideImage(r, width, height))) return { rects: moved, ignored: false };
	return { rects: [...rects], ignored: true };
}

/**
 * Two lines belong to one watermark when their rectangles overlap, or when they are stacked with a
 * vertical gap under half the lower line height and overlap horizontally, or sit side by side on one
 * line (vertical overlap ≥ half the lower height) with a gap under one line height.
 */
export function adjacent(a: Rect, b: Rect): boolean {
	const hMin = Math.min(a.h, b.h);
	const xGap = Math.max(a.x, b.x) - Math.min(a.x + a.w, b.x + b.w); // < 0: overlap
	const yGap = Math.max(a.y, b.y) - Math.min(a.y + a.h, b.y + b.h);
	if (xGap < 0 && yGap < 0) return true;
	if (xGap < 0 && yGap <= hMin * 0.5) return true;
	if (-yGap >= hMin * 0.5 && xGap <= hMin) return true;
	return false;
}

/** Groups adjacent lines (transitively) into locations: bounding box, line count, words in reading order. */
export function mergeLines(lines: readonly LineRect[]): { location: Location; members: LineRect[] }[] {
	const parent = lines.map((_, i) => i);
	const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
	for (let i = 0; i < lines.length; i++)
		for (let j = i + 1; j < lines.length; j++) if (adjacent(lines[i], lines[j])) parent[find(i)] = find(j);
	const groups = new Map<number, LineRect[]>();
	lines.forEach((l, i) => {
		const r = find(i);
		groups.set(r, [...(groups.get(r) ?? []), l]);
	});
	const out = [...groups.values()].map((members) => {
		members.sort((a, b) => (Math.abs(a.y - b.y) < Math.min(a.h, b.h) * 0.5 ? a.x - b.x : a.y - b.y));
		const x0 = Math.min(...members.map((m) => m.x));
		const y0 = Math.min(...members.map((m) => m.y));
		const x1 = Math.max(...members.map((m) => m.x + m.w));
		const y1 = Math.max(...members.map((m) => m.y + m.h));
		return { location: { x: x0, y: y0, w: x1 - x0, h: y1 - y0, lineCount: members.length, word: members.map((m) => m.text).join(' ') }, members };
	});
	out.sort((a, b) => a.location.y - b.location.y || a.location.x - b.location.x);
	return out;
}

/** One byte per pixel, 1 inside any of the rectangles. */
export function rectMask(rects: readonly Rect[], width: number, height: number): Uint8Array {
	const m = new Uint8Array(width * height);
	for (const r of rects) {
		const x0 = Math.max(0, r.x);
		const x1 = Math.min(width, r.x + r.w);
		for (let y = Math.max(0, r.y); y < Math.min(height, r.y + r.h); y++) m.fill(1, y * width + x0, y * width + Math.max(x0, x1));
	}
	return m;
}

export const SHOW_COLOR: readonly [number, number, number] = [0, 255, 0];

/** `show`: a green frame along the inside edge of each rectangle (2 px, 3 px on images over 1500 px). */
export function drawFrames(img: RGBAImage, rects: readonly Rect[], thickness = Math.max(img.width, img.height) > 1500 ? 3 : 2): RGBAImage {
	const out: RGBAImage = { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data) };
	const d = out.data;
	const set = (x: number, y: number) => {
		if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
		const i = (y * img.width + x) * 4;
		d[i] = SHOW_COLOR[0];
		d[i + 1] = SHOW_COLOR[1];
		d[i + 2] = SHOW_COLOR[2];
		d[i + 3] = 255;
	};
	for (const r of rects) {
		const t = Math.min(thickness, Math.ceil(r.w / 2), Math.ceil(r.h / 2));
		for (let k = 0; k < t; k++) {
			for (let x = r.x; x < r.x + r.w; x++) {
				set(x, r.y + k);
				set(x, r.y + r.h - 1 - k);
			}
			for (let y = r.y; y < r.y + r.h; y++) {
				set(r.x + k, y);
				set(r.x + r.w - 1 - k, y);
			}
		}
	}
	return out;
}
