/**
 * Where to put a crop window of a fixed size: around faces (with headroom) or over the
 * most salient part of the image. The window is always the largest of its aspect that
 * fits (see cropSizeForAspect), so at most one axis is free; these functions still work
 * on both axes so that they stay correct for any window size.
 */
import type { Rect } from '../../core/geometry';

export interface BoxLike {
	x: number;
	y: number;
	width: number;
	height: number;
}

/**
 * What must stay in the picture around a face box (BlazeFace boxes run from the brows to
 * the chin): the top of the head and some air above it, the ears, the chin and a bit of neck.
 */
export const HEADROOM = { top: 0.75, bottom: 0.3, side: 0.3 } as const;

export function headroomBox(b: BoxLike, scale = 1): BoxLike {
	return {
		x: b.x - b.width * HEADROOM.side * scale,
		y: b.y - b.height * HEADROOM.top * scale,
		width: b.width * (1 + 2 * HEADROOM.side * scale),
		height: b.height * (1 + (HEADROOM.top + HEADROOM.bottom) * scale)
	};
}

function clamp(v: number, lo: number, hi: number): number {
	return Math.max(lo, Math.min(hi, v));
}

function clipBox(b: BoxLike, W: number, H: number): BoxLike {
	const x0 = clamp(b.x, 0, W), y0 = clamp(b.y, 0, H);
	const x1 = clamp(b.x + b.width, 0, W), y1 = clamp(b.y + b.height, 0, H);
	return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Position on one axis of a window of length `len` in [0, total − len]: as near `ideal` as
 * possible while containing every span [lo, hi); when they cannot all fit, the position
 * containing the greatest total weight of whole spans (nearest `ideal` among equals).
 */
export function placeOnAxis(total: number, len: number, spans: { lo: number; hi: number; weight: number }[], ideal: number): number {
	const maxPos = Math.max(0, total - len);
	if (spans.length === 0) return Math.round(clamp(ideal, 0, maxPos));
	const lo = Math.min(...spans.map((s) => s.lo));
	const hi = Math.max(...spans.map((s) => s.hi));
	if (hi - lo <= len) return Math.round(clamp(clamp(ideal, hi - len, lo), 0, maxPos));
	// Candidates: every position where a span starts at the window's start or ends at its end.
	const candidates = new Set<number>([clamp(ideal, 0, maxPos)]);
	for (const s of spans) {
		candidates.add(clamp(s.lo, 0, maxPos));
		candidates.add(clamp(s.hi - len, 0, maxPos));
	}
	let best = 0, bestScore = -1, bestDist = Infinity;
	for (const p of candidates) {
		let score = 0;
		for (const s of spans) if (s.lo >= p - 1e-6 && s.hi <= p + len + 1e-6) score += s.weight;
		const dist = Math.abs(p - ideal);
		if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && dist < bestDist)) {
			best = p;
			bestScore = score;
			bestDist = dist;
		}
	}
	return Math.round(best);
}

/**
 * A width × height window in a W × H image that keeps every face with its headroom,
 * the faces centred across and their eyes about 40 % down the window (when there is room
 * to choose). On an axis where the faces with full headroom do not fit, less headroom is
 * kept (half, then none) before giving up faces; when not every face fits even bare, the
 * window keeps the largest faces.
 */
export function faceWindow(W: number, H: number, width: number, height: number, faces: BoxLike[]): Rect {
	const weight = (f: BoxLike) => f.width * f.height;
	const total = faces.reduce((s, f) => s + weight(f), 0);
	const cx = faces.reduce((s, f) => s + (f.x + f.width / 2) * weight(f), 0) / total;
	const cy = faces.reduce((s, f) => s + (f.y + f.height * 0.35) * weight(f), 0) / total;
	const axis = (horizontal: boolean, size: number, len: number, ideal: number) => {
		const spansAt = (scale: number) =>
			faces.map((f) => {
				const k = clipBox(headroomBox(f, scale), W, H);
				return horizontal ? { lo: k.x, hi: k.x + k.width, weight: weight(f) } : { lo: k.y, hi: k.y + k.height, weight: weight(f) };
			});
		for (const scale of [1, 0.5, 0]) {
			const spans = spansAt(scale);
			if (Math.max(...spans.map((s) => s.hi)) - Math.min(...spans.map((s) => s.lo)) <= len) return placeOnAxis(size, len, spans, ideal);
		}
		return placeOnAxis(size, len, spansAt(1), ideal);
	};
	return { x: axis(true, W, width, cx - width / 2), y: axis(false, H, height, cy - height * 0.4), width, height };
}

/** Faces whose box lies wholly inside `r` (to within a pixel). */
export function facesInside(r: Rect, faces: BoxLike[]): number {
	let n = 0;
	for (const f of faces) if (f.x >= r.x - 1 && f.y >= r.y - 1 && f.x + f.width <= r.x + r.width + 1 && f.y + f.height <= r.y + r.height + 1) n++;
	return n;
}

/**
 * The offset of a window of `len` cells over `profile` (saliency summed across the other
 * axis) holding the most saliency. Offsets within 0.5 % of the best form a plateau; the
 * middle of the plateau containing the best is taken, so a flat profile gives a centred crop.
 */
export function bestOffset(profile: ArrayLike<number>, len: number): number {
	const n = profile.length;
	if (len >= n) return 0;
	const prefix = new Float64Array(n + 1);
	for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + profile[i];
	const scores = new Float64Array(n - len + 1);
	let best = 0;
	for (let p = 0; p <= n - len; p++) {
		scores[p] = prefix[p + len] - prefix[p];
		if (scores[p] > scores[best]) best = p;
	}
	const tol = Math.max(1e-12, Math.abs(scores[best]) * 0.005);
	let a = best, b = best;
	while (a > 0 && scores[best] - scores[a - 1] <= tol) a--;
	while (b < n - len && scores[best] - scores[b + 1] <= tol) b++;
	return Math.round((a + b) / 2);
}

/**
 * A width × height window in a W × H image over the most saliency. `map` is a saliency
 * map of mw × mh cells stretched over the image.
 */
export function saliencyWindow(W: number, H: number, width: number, height: number, map: { width: number; height: number; data: Float32Array }): Rect {
	const { width: mw, height: mh, data } = map;
	const cols = new Float64Array(mw);
	const rows = new Float64Array(mh);
	for (let y = 0; y < mh; y++)
		for (let x = 0; x < mw; x++) {
			const v = data[y * mw + x];
			cols[x] += v;
			rows[y] += v;
		}
	const sx = mw / W, sy = mh / H;
	const place = (profile: Float64Array, total: number, len: number, s: number) => {
		if (len >= total) return 0;
		const cells = Math.max(1, Math.round(len * s));
		const off = bestOffset(profile, cells);
		return Math.round(clamp(off / s, 0, total - len));
	};
	return { x: place(cols, W, width, sx), y: place(rows, H, height, sy), width, height };
}
