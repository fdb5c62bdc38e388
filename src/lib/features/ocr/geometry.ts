/**
 * Plane geometry for OCR post-processing (pure, no model): convex hull, minimum-area
 * rotated rectangle, polygon offset ("unclip"), PP-OCR's box point order and reading order.
 * Points are [x, y] in pixels, y down.
 */

export type Point = [x: number, y: number];
/** A quadrilateral, clockwise on screen from the top-left corner: [tl, tr, br, bl]. */
export type Quad = [Point, Point, Point, Point];

export interface RotatedRect {
	/** Centre. */
	cx: number;
	cy: number;
	/** Side lengths: `width` along `angle`, `height` across it. */
	width: number;
	height: number;
	/** Direction of the `width` side in radians. */
	angle: number;
	/** The 4 corners, in order around the rectangle. */
	corners: Quad;
}

const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Convex hull (Andrew's monotone chain), counter-clockwise in y-up terms, without collinear points. */
export function convexHull(points: readonly Point[]): Point[] {
	const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	if (pts.length <= 2) return pts;
	const lower: Point[] = [];
	for (const p of pts) {
		while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
		lower.push(p);
	}
	const upper: Point[] = [];
	for (let i = pts.length - 1; i >= 0; i--) {
		const p = pts[i];
		while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
		upper.push(p);
	}
	lower.pop();
	upper.pop();
	return lower.concat(upper);
}

/**
 * Minimum-area enclosing rectangle of a point set. The optimal rectangle has a side on a
 * hull edge (Freeman & Shapira), so each hull edge direction is tried and the hull is
 * projected on it and its normal (O(h²) for a hull of h points; text hulls are small).
 * Degenerate inputs (one point, collinear points) give a zero-height or zero-size rectangle.
 */
export function minAreaRect(points: readonly Point[]): RotatedRect {
	const hull = convexHull(points);
	if (hull.length === 0) return { cx: 0, cy: 0, width: 0, height: 0, angle: 0, corners: [[0, 0], [0, 0], [0, 0], [0, 0]] };
	let best: { area: number; ux: number; uy: number; min0: number; max0: number; min1: number; max1: number } | undefined;
	const n = hull.length;
	for (let i = 0; i < Math.max(1, n === 2 ? 1 : n); i++) {
		const a = hull[i];
		const b = hull[(i + 1) % n];
		let ux = b[0] - a[0];
		let uy = b[1] - a[1];
		const len = Math.hypot(ux, uy);
		if (len === 0) {
			ux = 1;
			uy = 0;
		} else {
			ux /= len;
			uy /= len;
		}
		let min0 = Infinity, max0 = -Infinity, min1 = Infinity, max1 = -Infinity;
		for (const p of hull) {
			const s = p[0] * ux + p[1] * uy;
			const t = -p[0] * uy + p[1] * ux;
			if (s < min0) min0 = s;
			if (s > max0) max0 = s;
			if (t < min1) min1 = t;
			if (t > max1) max1 = t;
		}
		const area = (max0 - min0) * (max1 - min1);
		if (!best || area < best.area - 1e-9) best = { area, ux, uy, min0, max0, min1, max1 };
	}
	const { ux, uy, min0, max0, min1, max1 } = best!;
	const at = (s: number, t: number): Point => [s * ux - t * uy, s * uy + t * ux];
	const corners: Quad = [at(min0, min1), at(max0, min1), at(max0, max1), at(min0, max1)];
	const c = at((min0 + max0) / 2, (min1 + max1) / 2);
	return { cx: c[0], cy: c[1], width: max0 - min0, height: max1 - min1, angle: Math.atan2(uy, ux), corners };
}

/**
 * PP-OCR's corner order for a rectangle (get_mini_boxes): sort the corners by x; of the two
 * leftmost the upper is the top-left and the lower the bottom-left, likewise on the right.
 * Returns [tl, tr, br, bl]. Good for lines tilted by less than 45°.
 */
export function orderQuad(corners: readonly Point[]): Quad {
	const p = [...corners].sort((a, b) => a[0] - b[0]);
	const [tl, bl] = p[0][1] <= p[1][1] ? [p[0], p[1]] : [p[1], p[0]];
	const [tr, br] = p[2][1] <= p[3][1] ? [p[2], p[3]] : [p[3], p[2]];
	return [tl, tr, br, bl];
}

/** Signed area (shoelace); positive for counter-clockwise in y-up terms. */
export function polygonArea(poly: readonly Point[]): number {
	let s = 0;
	for (let i = 0; i < poly.length; i++) {
		const a = poly[i];
		const b = poly[(i + 1) % poly.length];
		s += a[0] * b[1] - b[0] * a[1];
	}
	return s / 2;
}

export function polygonPerimeter(poly: readonly Point[]): number {
	let s = 0;
	for (let i = 0; i < poly.length; i++) {
		const a = poly[i];
		const b = poly[(i + 1) % poly.length];
		s += Math.hypot(b[0] - a[0], b[1] - a[1]);
	}
	return s;
}

/**
 * Outward offset of a convex polygon by `d` with round joins (as pyclipper's JT_ROUND in
 * PP-OCR's unclip): each edge moves out by d and each vertex becomes an arc of radius d,
 * approximated with `arcSteps` segments per quarter turn.
 */
export function offsetConvex(poly: readonly Point[], d: number, arcSteps = 8): Point[] {
	const hull = convexHull(poly);
	const n = hull.length;
	if (n === 0 || d <= 0) return hull;
	const out: Point[] = [];
	// The hull has positive signed area, so the outward normal of edge a→b is (dy, −dx)/|ab|
	// and the normals turn with increasing angle from one edge to the next.
	const normal = (a: Point, b: Point): Point => {
		const dx = b[0] - a[0];
		const dy = b[1] - a[1];
		const l = Math.hypot(dx, dy) || 1;
		return [dy / l, -dx / l];
	};
	for (let i = 0; i < n; i++) {
		const prev = hull[(i - 1 + n) % n];
		const cur = hull[i];
		const next = hull[(i + 1) % n];
		let a0: number, a1: number;
		if (n === 1) {
			a0 = 0;
			a1 = 2 * Math.PI;
		} else {
			const n0 = normal(prev, cur);
			const n1 = normal(cur, next);
			a0 = Math.atan2(n0[1], n0[0]);
			a1 = Math.atan2(n1[1], n1[0]);
			while (a1 < a0) a1 += 2 * Math.PI;
		}
		const sweep = a1 - a0;
		const steps = Math.max(1, Math.ceil((Math.abs(sweep) / (Math.PI / 2)) * arcSteps));
		for (let k = 0; k <= steps; k++) {
			const a = a0 + (sweep * k) / steps;
			out.push([cur[0] + d * Math.cos(a), cur[1] + d * Math.sin(a)]);
		}
	}
	return out;
}

/**
 * PP-OCR's unclip: grows a detected (shrunk) text region back to the text's extent by
 * offsetting it by area · ratio / perimeter, then takes the offset polygon's minimum-area
 * rectangle.
 */
export function unclip(box: readonly Point[], ratio = 1.5): RotatedRect {
	const perimeter = polygonPerimeter(box);
	const d = perimeter > 0 ? (Math.abs(polygonArea(box)) * ratio) / perimeter : 0;
	return minAreaRect(offsetConvex(box, d));
}

/**
 * Reading order as PP-OCR's sorted_boxes: by the top-left corner's y then x, then
 * neighbours whose top-left corners are within `sameLine` pixels vertically are put left to right.
 */
export function sortQuads<T extends { box: Quad }>(items: readonly T[], sameLine = 10): T[] {
	const s = [...items].sort((a, b) => a.box[0][1] - b.box[0][1] || a.box[0][0] - b.box[0][0]);
	for (let i = 0; i < s.length - 1; i++) {
		for (let j = i; j >= 0; j--) {
			if (Math.abs(s[j + 1].box[0][1] - s[j].box[0][1]) < sameLine && s[j + 1].box[0][0] < s[j].box[0][0]) {
				const t = s[j];
				s[j] = s[j + 1];
				s[j + 1] = t;
			} else break;
		}
	}
	return s;
}

/** Whether (x, y) lies inside a convex polygon (or on its border). */
export function insideConvex(poly: readonly Point[], x: number, y: number): boolean {
	let sign = 0;
	for (let i = 0; i < poly.length; i++) {
		const a = poly[i];
		const b = poly[(i + 1) % poly.length];
		const c = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
		if (c === 0) continue;
		const s = c > 0 ? 1 : -1;
		if (sign === 0) sign = s;
		else if (s !== sign) return false;
	}
	return true;
}
