import { harmonicFill } from './harmonic';

/**
 * Gradient-domain seam correction (Pérez et al. 2003, as a harmonic offset): the exemplar
 * fill keeps its texture but may sit at the wrong level of colour where it meets the real
 * pixels (a patch copied from the other side of an object boundary, or a shade off). The
 * difference between each real pixel of the ring around the hole and what the fill's own
 * patches predict for it is spread over the hole as a smooth membrane and added to the fill:
 * the step at the seam goes, the texture (the fill's gradients) stays.
 *
 * Robust to structure crossing the boundary: a strong edge continued one pixel out of place
 * gives a short spike of offset along the ring, which a membrane would smear into the hole as
 * a blob. Each ring offset is therefore the median of the offsets along a short stretch of
 * ring around it (spikes shorter than half that stretch vanish; real colour steps, which run
 * along the ring, stay), and is limited to ±`maxOffset`.
 *
 * buf: interleaved float crop (ch channels), hole pixels hold the fill; pred: the fill's
 * prediction of the ring pixels (same layout); ring: known pixels 4-adjacent to the hole.
 */
export function correctSeam(buf: Float32Array, w: number, h: number, ch: number, hole: Uint8Array, ring: Uint8Array, pred: Float32Array, radius = 3, maxOffset = 64): void {
	let x0 = w;
	let y0 = h;
	let x1 = -1;
	let y1 = -1;
	const ringIdx: number[] = [];
	for (let i = 0; i < w * h; i++) {
		if (!hole[i] && !ring[i]) continue;
		if (ring[i]) ringIdx.push(i);
		const x = i % w;
		const y = (i - x) / w;
		if (x < x0) x0 = x;
		if (x > x1) x1 = x;
		if (y < y0) y0 = y;
		if (y > y1) y1 = y;
	}
	if (ringIdx.length === 0 || x1 < 0) return;
	// Raw offsets on the ring.
	const raw = new Float32Array(w * h * ch);
	for (const i of ringIdx) for (let k = 0; k < ch; k++) raw[i * ch + k] = buf[i * ch + k] - pred[i * ch + k];
	// The membrane lives on the bounding box of hole + ring: ring pixels are its fixed values;
	// every other pixel there (hole, and known pixels between parts of the hole) is solved for.
	const bw = x1 - x0 + 1;
	const bh = y1 - y0 + 1;
	const off = new Float32Array(bw * bh * ch);
	const free = new Uint8Array(bw * bh).fill(1);
	const vals: number[] = [];
	for (const i of ringIdx) {
		const x = i % w;
		const y = (i - x) / w;
		const j = (y - y0) * bw + (x - x0);
		free[j] = 0;
		for (let k = 0; k < ch; k++) {
			vals.length = 0;
			for (let dy = -radius; dy <= radius; dy++) {
				const yy = y + dy;
				if (yy < 0 || yy >= h) continue;
				for (let dx = -radius; dx <= radius; dx++) {
					const xx = x + dx;
					if (xx < 0 || xx >= w) continue;
					const q = yy * w + xx;
					if (ring[q]) vals.push(raw[q * ch + k]);
				}
			}
			vals.sort((a, b) => a - b);
			const n = vals.length;
			const med = n % 2 ? vals[n >> 1] : 0.5 * (vals[(n >> 1) - 1] + vals[n >> 1]);
			off[j * ch + k] = Math.max(-maxOffset, Math.min(maxOffset, med));
		}
	}
	// Coarse-to-fine, so a few sweeps per level do: the gradient-domain finish refines it.
	harmonicFill(off, bw, bh, ch, free, 15);
	for (let y = y0; y <= y1; y++)
		for (let x = x0; x <= x1; x++) {
			const i = y * w + x;
			if (!hole[i]) continue;
			const j = (y - y0) * bw + (x - x0);
			for (let k = 0; k < ch; k++) buf[i * ch + k] = Math.max(0, Math.min(255, buf[i * ch + k] + off[j * ch + k]));
		}
}

/** Known pixels 4-adjacent to the hole: where the fill meets the photo. */
export function holeRing(hole: Uint8Array, w: number, h: number): Uint8Array {
	const ring = new Uint8Array(w * h);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const i = y * w + x;
			if (hole[i]) continue;
			if ((x > 0 && hole[i - 1]) || (x < w - 1 && hole[i + 1]) || (y > 0 && hole[i - w]) || (y < h - 1 && hole[i + w])) ring[i] = 1;
		}
	return ring;
}
