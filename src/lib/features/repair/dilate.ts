/**
 * Grows a 0/1 mask by `r` pixels in every direction (a disc, Euclidean distance ≤ r), so
 * a logo's anti-aliased fringe and any JPEG ringing around it are repainted too.
 * Only boundary pixels stamp the disc, so the cost follows the outline, not the area.
 */
export function dilateMask(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
	if (r <= 0) return mask;
	const out = new Uint8Array(mask);
	const R = Math.floor(r);
	// Half-width of the disc on each row offset.
	const span = new Int32Array(2 * R + 1);
	for (let dy = -R; dy <= R; dy++) span[dy + R] = Math.floor(Math.sqrt(r * r - dy * dy) + 1e-9);
	for (let y = 0; y < h; y++) {
		const row = y * w;
		for (let x = 0; x < w; x++) {
			if (!mask[row + x]) continue;
			// Interior pixels (all four neighbours set) add nothing a boundary pixel does not.
			if (x > 0 && x < w - 1 && y > 0 && y < h - 1 && mask[row + x - 1] && mask[row + x + 1] && mask[row - w + x] && mask[row + w + x]) continue;
			for (let dy = -R; dy <= R; dy++) {
				const yy = y + dy;
				if (yy < 0 || yy >= h) continue;
				const s = span[dy + R];
				const a = Math.max(0, x - s);
				const b = Math.min(w - 1, x + s);
				out.fill(1, yy * w + a, yy * w + b + 1);
			}
		}
	}
	return out;
}

/** Bounding box of the set pixels, or undefined when none is set. */
export function maskBox(mask: Uint8Array, w: number, h: number): { x: number; y: number; width: number; height: number } | undefined {
	let x0 = w, y0 = h, x1 = -1, y1 = -1;
	for (let y = 0; y < h; y++) {
		const row = y * w;
		for (let x = 0; x < w; x++)
			if (mask[row + x]) {
				if (x < x0) x0 = x;
				if (x > x1) x1 = x;
				if (y < y0) y0 = y;
				y1 = y;
			}
	}
	return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}
