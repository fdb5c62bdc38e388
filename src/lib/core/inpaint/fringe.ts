/**
 * Fringe detection: the known pixels just outside a tight mask that still carry what the
 * mask was meant to cover (anti-aliased letter edges, a drop shadow, a logo's glow). The
 * output keeps them byte-identical (they are outside the mask), but the fill must not learn
 * from them: matched as context they pull copies of edges into the hole, and as the seam
 * correction's anchor they would tint the whole fill towards the letters, so faint outlines
 * of the letters stay. They are treated as hole while filling.
 *
 * A known pixel within `width` px of the hole is fringe when it stands out from the known
 * pixels a little farther out (distance width+1 … width+3, within a (2·width+5)² window):
 * colour distance to their mean above max(`minStep`, `k` × their spread). Texture and
 * edges crossing the boundary have a wide spread there and stay; a halo on a smooth or
 * finely textured background does not. Pixels farther out count only when they touch fringe
 * nearer in, so the fringe grows from the hole outwards and never starts in the open.
 *
 * Returns the hole grown over the fringe, the share of the ring 1 px out found to be fringe,
 * and how alike in colour direction those deviations are (|Σ deviation| / Σ |deviation|: 1 =
 * all darker, or all lighter, in the same hue). Whether that makes a halo is the caller's call.
 */
export function growOverFringe(buf: Float32Array, w: number, h: number, ch: number, hole: Uint8Array, width = 3, minStep = 10, k = 3): { hole: Uint8Array; fraction: number; coherence: number } {
	const out = new Uint8Array(hole);
	const far = width + 3;
	// 4-connected distance to the hole, up to `far` (0 in the hole, 255 beyond).
	const dist = new Uint8Array(w * h).fill(255);
	let front: number[] = [];
	for (let i = 0; i < w * h; i++)
		if (hole[i]) {
			dist[i] = 0;
			front.push(i);
		}
	for (let d = 1; d <= far && front.length; d++) {
		const next: number[] = [];
		for (const i of front) {
			const x = i % w;
			const nb = [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i >= w ? i - w : -1, i < (h - 1) * w ? i + w : -1];
			for (const j of nb)
				if (j >= 0 && dist[j] === 255) {
					dist[j] = d;
					next.push(j);
				}
		}
		front = next;
	}
	const r = width + 2;
	const colours = Math.min(ch, 3);
	const mean = new Float64Array(colours);
	const devSum = new Float64Array(colours);
	let devLen = 0;
	let ring1 = 0;
	let flagged1 = 0;
	for (let d = 1; d <= width; d++)
		for (let i = 0; i < w * h; i++) {
			if (dist[i] !== d) continue;
			const x = i % w;
			const y = (i - x) / w;
			if (d > 1) {
				// Only next to fringe already found one step nearer the hole.
				const touches = (x > 0 && out[i - 1] && dist[i - 1] === d - 1) || (x < w - 1 && out[i + 1] && dist[i + 1] === d - 1) || (y > 0 && out[i - w] && dist[i - w] === d - 1) || (y < h - 1 && out[i + w] && dist[i + w] === d - 1);
				if (!touches) continue;
			}
			mean.fill(0);
			let n = 0;
			let sq = 0;
			for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++)
				for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
					const q = yy * w + xx;
					if (dist[q] <= width || dist[q] > far) continue;
					n++;
					for (let c = 0; c < colours; c++) {
						const v = buf[q * ch + c];
						mean[c] += v;
						sq += v * v;
					}
				}
			if (n < 4) continue;
			let m2 = 0;
			let dev = 0;
			for (let c = 0; c < colours; c++) {
				mean[c] /= n;
				m2 += mean[c] * mean[c];
				const e = buf[i * ch + c] - mean[c];
				dev += e * e;
			}
			const spread = Math.sqrt(Math.max(0, sq / n - m2));
			if (d === 1) ring1++;
			if (Math.sqrt(dev) > Math.max(minStep, k * spread)) {
				out[i] = 1;
				if (d === 1) {
					flagged1++;
					devLen += Math.sqrt(dev);
					for (let c = 0; c < colours; c++) devSum[c] += buf[i * ch + c] - mean[c];
				}
			}
		}
	let sumLen = 0;
	for (let c = 0; c < colours; c++) sumLen += devSum[c] * devSum[c];
	const coherence = devLen > 0 ? Math.sqrt(sumLen) / devLen : 0;
	return { hole: out, fraction: ring1 ? flagged1 / ring1 : 0, coherence };
}

/** Mean distance (4-steps, counted up to `cap`) of the hole's pixels from the nearest known pixel: about a quarter of a stroke's width for text, large for blobs. */
export function meanHoleDepth(hole: Uint8Array, w: number, h: number, cap = 8): number {
	const dist = new Uint8Array(w * h);
	let front: number[] = [];
	let n = 0;
	for (let i = 0; i < w * h; i++) {
		if (!hole[i]) continue;
		n++;
		const x = i % w;
		if ((x > 0 && !hole[i - 1]) || (x < w - 1 && !hole[i + 1]) || (i >= w && !hole[i - w]) || (i < (h - 1) * w && !hole[i + w])) {
			dist[i] = 1;
			front.push(i);
		}
	}
	let sum = front.length;
	let seen = front.length;
	for (let d = 2; d <= cap && front.length; d++) {
		const next: number[] = [];
		for (const i of front) {
			const x = i % w;
			for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i >= w ? i - w : -1, i < (h - 1) * w ? i + w : -1])
				if (j >= 0 && hole[j] && !dist[j]) {
					dist[j] = d;
					next.push(j);
				}
		}
		sum += d * next.length;
		seen += next.length;
		front = next;
	}
	// Pixels deeper than the cap (or in a hole touching no known pixel) count as the cap.
	sum += (n - seen) * cap;
	return n ? sum / n : 0;
}
