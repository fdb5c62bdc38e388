/**
 * The marks of the Remove page: what the user wants gone, in the oriented image's pixels.
 * Detected text lines, rectangles and polygons are shapes (a closed outline); brush and
 * eraser strokes are round-capped polylines. The mask is the marks painted in order, so an
 * eraser stroke takes away what was painted before it and later marks paint over it again.
 * Pure geometry: no DOM, so the page, the canvas drawing and the unit tests share it.
 */

export type Point = [number, number];

export interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
}

interface MarkBase {
	/** Stable within a page session: list keys and the selection use it. */
	id: number;
}
/** A line found by OCR: its quadrilateral, what it reads, and whether it is removed. */
export interface TextMark extends MarkBase {
	kind: 'text';
	points: Point[];
	text: string;
	confidence: number;
	on: boolean;
}
export interface RectMark extends MarkBase {
	kind: 'rect';
	points: Point[];
}
export interface PolyMark extends MarkBase {
	kind: 'poly';
	points: Point[];
}
export interface StrokeMark extends MarkBase {
	kind: 'stroke';
	points: Point[];
	/** Half the brush width, in image pixels. */
	radius: number;
	/** An eraser stroke: takes away what was painted before it. */
	erase: boolean;
}
export type ShapeMark = TextMark | RectMark | PolyMark;
export type Mark = ShapeMark | StrokeMark;

/** The Remove page's tools: select (move / resize shapes), brush, eraser, rectangle, polygon. */
export type Tool = 'select' | 'brush' | 'eraser' | 'rect' | 'polygon';

export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w';
export const HANDLES: readonly Handle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export const isShape = (m: Mark): m is ShapeMark => m.kind !== 'stroke';

/** The axis-aligned box around points (zero-size for fewer than two distinct points). */
export function boundsOf(points: readonly Point[]): Box {
	if (!points.length) return { x: 0, y: 0, width: 0, height: 0 };
	let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
	for (const [x, y] of points) {
		if (x < x0) x0 = x;
		if (y < y0) y0 = y;
		if (x > x1) x1 = x;
		if (y > y1) y1 = y;
	}
	return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** What a mark covers: a stroke's box grows by its radius. */
export function markBounds(m: Mark): Box {
	const b = boundsOf(m.points);
	if (m.kind !== 'stroke') return b;
	return { x: b.x - m.radius, y: b.y - m.radius, width: b.width + 2 * m.radius, height: b.height + 2 * m.radius };
}

/** Whether a mark adds anything to the mask (a text line turned off, or an eraser, adds nothing). */
export const paints = (m: Mark): boolean => (m.kind === 'text' ? m.on : m.kind === 'stroke' ? !m.erase : true);

/** Whether the marks can leave anything in the mask (the page disables Run otherwise). */
export const anyPaint = (marks: readonly Mark[]): boolean => marks.some(paints);

/** A rectangle's corners, clockwise from the top-left, from a drag between two points. */
export function rectFromDrag(a: Point, b: Point): Point[] {
	const x0 = Math.min(a[0], b[0]), x1 = Math.max(a[0], b[0]);
	const y0 = Math.min(a[1], b[1]), y1 = Math.max(a[1], b[1]);
	return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
}

/** A centred rectangle a quarter of the image's shorter side wide (keyboard "Add rectangle"). */
export function defaultRect(width: number, height: number): Point[] {
	const side = Math.max(8, Math.round(Math.min(width, height) * 0.25));
	const x = Math.round((width - side) / 2), y = Math.round((height - side) / 2);
	return rectFromDrag([x, y], [x + side, y + side]);
}

/** An OCR line → a text mark (its quadrilateral, clamped to the image). */
export function textMark(id: number, line: { text: string; confidence: number; box: readonly (readonly [number, number])[] }, width: number, height: number): TextMark {
	return {
		kind: 'text',
		id,
		points: line.box.map(([x, y]) => [clamp(x, 0, width), clamp(y, 0, height)] as Point),
		text: line.text,
		confidence: line.confidence,
		on: true
	};
}

/** Moves a mark by (dx, dy), stopping where its box would leave the image. */
export function translateMark<M extends Mark>(m: M, dx: number, dy: number, width: number, height: number): M {
	const b = boundsOf(m.points);
	const ddx = clamp(dx, -b.x, width - b.x - b.width);
	const ddy = clamp(dy, -b.y, height - b.y - b.height);
	return { ...m, points: m.points.map(([x, y]) => [x + ddx, y + ddy] as Point) };
}

/** Maps a shape's points from its box `from` onto the box `to` (resizing keeps a rotated text quad's shape). */
export function fitMarkTo<M extends Mark>(m: M, from: Box, to: Box): M {
	const sx = from.width ? to.width / from.width : 1;
	const sy = from.height ? to.height / from.height : 1;
	return { ...m, points: m.points.map(([x, y]) => [to.x + (x - from.x) * sx, to.y + (y - from.y) * sy] as Point) };
}

/**
 * The box after dragging one of its handles by (dx, dy): the opposite side stays put, the
 * box never gets smaller than `min` on a side nor leaves the image.
 */
export function resizeBox(b: Box, handle: Handle, dx: number, dy: number, min: number, width: number, height: number): Box {
	let x0 = b.x, y0 = b.y, x1 = b.x + b.width, y1 = b.y + b.height;
	if (handle.includes('w')) x0 = clamp(x0 + dx, 0, x1 - min);
	if (handle.includes('e')) x1 = clamp(x1 + dx, x0 + min, width);
	if (handle.includes('n')) y0 = clamp(y0 + dy, 0, y1 - min);
	if (handle.includes('s')) y1 = clamp(y1 + dy, y0 + min, height);
	return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Where a handle sits on a box. */
export function handlePoint(b: Box, h: Handle): Point {
	const x = h.includes('w') ? b.x : h.includes('e') ? b.x + b.width : b.x + b.width / 2;
	const y = h.includes('n') ? b.y : h.includes('s') ? b.y + b.height : b.y + b.height / 2;
	return [x, y];
}

/** Even-odd point-in-polygon test. */
export function pointInPolygon(p: Point, poly: readonly Point[]): boolean {
	let inside = false;
	for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
		const [xi, yi] = poly[i];
		const [xj, yj] = poly[j];
		if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

/** Distance from p to the segment ab. */
export function segmentDistance(p: Point, a: Point, b: Point): number {
	const vx = b[0] - a[0], vy = b[1] - a[1];
	const len2 = vx * vx + vy * vy;
	const t = len2 ? clamp(((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / len2, 0, 1) : 0;
	return Math.hypot(p[0] - (a[0] + t * vx), p[1] - (a[1] + t * vy));
}

/** Whether p is on a mark: inside a shape (or within `tolerance` of its outline), or under a stroke. */
export function hits(m: Mark, p: Point, tolerance = 0): boolean {
	const pts = m.points;
	if (m.kind === 'stroke') {
		if (pts.length === 1) return Math.hypot(p[0] - pts[0][0], p[1] - pts[0][1]) <= m.radius + tolerance;
		for (let i = 1; i < pts.length; i++) if (segmentDistance(p, pts[i - 1], pts[i]) <= m.radius + tolerance) return true;
		return false;
	}
	if (pointInPolygon(p, pts)) return true;
	for (let i = 0; i < pts.length; i++) if (segmentDistance(p, pts[i], pts[(i + 1) % pts.length]) <= tolerance) return true;
	return false;
}

/** The topmost (last painted) shape under p, or -1. Strokes are left to undo and the eraser. */
export function shapeAt(marks: readonly Mark[], p: Point, tolerance = 0): number {
	for (let i = marks.length - 1; i >= 0; i--) if (isShape(marks[i]) && hits(marks[i], p, tolerance)) return i;
	return -1;
}

/**
 * Adds a pointer position to a stroke unless it is closer than `minStep` to the last one
 * (keeps strokes small without visible corners).
 */
export function appendPoint(points: readonly Point[], p: Point, minStep: number): Point[] {
	const last = points[points.length - 1];
	if (last && Math.hypot(p[0] - last[0], p[1] - last[1]) < minStep) return points as Point[];
	return [...points, p];
}

/** A click at p closes a polygon in progress when it lands on its first point (and there are 3+ points). */
export function closesPolygon(points: readonly Point[], p: Point, tolerance: number): boolean {
	return points.length >= 3 && Math.hypot(p[0] - points[0][0], p[1] - points[0][1]) <= tolerance;
}

/** Area of a polygon (shoelace), to refuse degenerate ones. */
export function polygonArea(points: readonly Point[]): number {
	let a = 0;
	for (let i = 0, j = points.length - 1; i < points.length; j = i++) a += (points[j][0] + points[i][0]) * (points[j][1] - points[i][1]);
	return Math.abs(a) / 2;
}

/** Rounds every coordinate to 1/100 px: keeps requests and history small and deterministic. */
export function tidy<M extends Mark>(m: M): M {
	const r = (v: number) => Math.round(v * 100) / 100;
	return { ...m, points: m.points.map(([x, y]) => [r(x), r(y)] as Point) };
}

/** The size of a canvas showing the mask over a photo: the photo's, shrunk to at most `maxSide`. */
export function previewSize(width: number, height: number, maxSide: number): { width: number; height: number; scale: number } {
	const scale = Math.min(1, maxSide / Math.max(width, height));
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), scale };
}
