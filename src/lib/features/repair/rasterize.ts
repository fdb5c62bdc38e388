/**
 * Polygons → a 0/1 mask. A pixel is in when its centre (x + 0.5, y + 0.5) is inside the
 * polygon under the non-zero winding rule (no anti-aliasing: a pixel is in when the shape
 * covers its centre, i.e. roughly half of it or more along the edge). Polygons are OR-ed.
 * Axis-aligned rectangles [[x0, y0], [x1, y0], [x1, y1], [x0, y1]] with integer corners cover
 * exactly the pixels x0 ≤ x < x1, y0 ≤ y < y1.
 */
import { DarkroomError } from '../../api/errors';
import { polygonBounds } from './polygons';
import type { Polygon } from './types';

/** Fills `poly` into `mask` (w × h); returns how many pixels of the image it covers (set before or not). */
export function fillPolygon(mask: Uint8Array, w: number, h: number, poly: Polygon): number {
	const b = polygonBounds(poly);
	const yStart = Math.max(0, Math.ceil(b.y0 - 0.5));
	const yEnd = Math.min(h - 1, Math.floor(b.y1 - 0.5));
	const n = poly.length;
	const xs: number[] = [];
	const dirs: number[] = [];
	let covered = 0;
	for (let y = yStart; y <= yEnd; y++) {
		const cy = y + 0.5;
		xs.length = 0;
		dirs.length = 0;
		for (let i = 0; i < n; i++) {
			const [ax, ay] = poly[i];
			const [bx, by] = poly[(i + 1) % n];
			if (ay === by) continue;
			// Half-open in y so a vertex on the scanline is counted once.
			const up = ay < by;
			const lo = up ? ay : by;
			const hi = up ? by : ay;
			if (cy < lo || cy >= hi) continue;
			xs.push(ax + ((cy - ay) * (bx - ax)) / (by - ay));
			dirs.push(up ? 1 : -1);
		}
		if (xs.length < 2) continue;
		const order = xs.map((_, i) => i).sort((i, j) => xs[i] - xs[j]);
		let wind = 0;
		for (let k = 0; k < order.length - 1; k++) {
			wind += dirs[order[k]];
			if (wind === 0) continue;
			// Pixels whose centre lies in [xa, xb).
			const xa = Math.max(0, Math.ceil(xs[order[k]] - 0.5));
			const xb = Math.min(w - 1, Math.ceil(xs[order[k + 1]] - 0.5) - 1);
			if (xb < xa) continue;
			mask.fill(1, y * w + xa, y * w + xb + 1);
			covered += xb - xa + 1;
		}
	}
	return covered;
}

/**
 * Rasterises every polygon into a w × h mask. A polygon wholly outside the image, or one that
 * covers no pixel centre (zero area, a sliver), is a 400 naming `param[i]`.
 */
export function rasterizePolygons(polys: Polygon[], w: number, h: number, param = 'MaskPoly'): Uint8Array {
	const mask = new Uint8Array(w * h);
	polys.forEach((poly, i) => {
		const where = polys.length === 1 ? param : `${param}[${i}]`;
		const b = polygonBounds(poly);
		if (b.x1 <= 0 || b.y1 <= 0 || b.x0 >= w || b.y0 >= h)
			throw new DarkroomError(
				'invalid_parameter',
				`Invalid ${param}: ${where} (x ${fmt(b.x0)}–${fmt(b.x1)}, y ${fmt(b.y0)}–${fmt(b.y1)}) lies entirely outside the ${w} x ${h} image`,
				param
			);
		if (fillPolygon(mask, w, h, poly) === 0)
			throw new DarkroomError('invalid_parameter', `Invalid ${param}: ${where} covers no pixel of the image (zero area, or thinner than a pixel)`, param);
	});
	return mask;
}

const fmt = (v: number) => String(Math.round(v * 100) / 100);
