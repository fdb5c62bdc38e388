import type { RGBAImage } from '../image';

/** PSNR over RGB of the pixels where mask ≠ 0, in dB (Infinity when identical there). */
export function maskedPsnr(a: RGBAImage, b: RGBAImage, mask: Uint8Array): number {
	let se = 0;
	let n = 0;
	for (let i = 0; i < mask.length; i++) {
		if (!mask[i]) continue;
		for (let k = 0; k < 3; k++) {
			const d = a.data[i * 4 + k] - b.data[i * 4 + k];
			se += d * d;
		}
		n += 3;
	}
	return se === 0 ? Infinity : 10 * Math.log10((255 * 255 * n) / se);
}

/**
 * Mean SSIM (Wang et al. 2004: luma, Gaussian window σ = 1.5, radius 5, K1 = 0.01,
 * K2 = 0.03) over the windows centred on pixels where mask ≠ 0.
 */
export function maskedSsim(a: RGBAImage, b: RGBAImage, mask: Uint8Array): number {
	const { width: w, height: h } = a;
	let x0 = w;
	let y0 = h;
	let x1 = -1;
	let y1 = -1;
	for (let i = 0; i < mask.length; i++)
		if (mask[i]) {
			const x = i % w;
			const y = (i - x) / w;
			x0 = Math.min(x0, x);
			x1 = Math.max(x1, x);
			y0 = Math.min(y0, y);
			y1 = Math.max(y1, y);
		}
	if (x1 < 0) return 1;
	const R = 5;
	const g: number[] = [];
	for (let k = -R; k <= R; k++) g.push(Math.exp(-(k * k) / (2 * 1.5 * 1.5)));
	const C1 = (0.01 * 255) ** 2;
	const C2 = (0.03 * 255) ** 2;
	const luma = (img: RGBAImage, i: number) => 0.299 * img.data[i * 4] + 0.587 * img.data[i * 4 + 1] + 0.114 * img.data[i * 4 + 2];
	let sum = 0;
	let n = 0;
	for (let y = y0; y <= y1; y++)
		for (let x = x0; x <= x1; x++) {
			if (!mask[y * w + x]) continue;
			let ws = 0;
			let ma = 0;
			let mb = 0;
			let saa = 0;
			let sbb = 0;
			let sab = 0;
			for (let dy = -R; dy <= R; dy++) {
				const yy = y + dy;
				if (yy < 0 || yy >= h) continue;
				for (let dx = -R; dx <= R; dx++) {
					const xx = x + dx;
					if (xx < 0 || xx >= w) continue;
					const wt = g[dy + R] * g[dx + R];
					const va = luma(a, yy * w + xx);
					const vb = luma(b, yy * w + xx);
					ws += wt;
					ma += wt * va;
					mb += wt * vb;
					saa += wt * va * va;
					sbb += wt * vb * vb;
					sab += wt * va * vb;
				}
			}
			ma /= ws;
			mb /= ws;
			const va = saa / ws - ma * ma;
			const vb = sbb / ws - mb * mb;
			const cab = sab / ws - ma * mb;
			sum += ((2 * ma * mb + C1) * (2 * cab + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
			n++;
		}
	return sum / n;
}

/**
 * Colour step at the seam, against the truth: for every hole pixel p beside a known pixel q
 * (4-neighbours), e = (a_p − a_q) − (t_p − t_q) per RGB channel; e is averaged over each 8×8
 * tile of the boundary (texture out of phase averages away, a step of colour does not), and
 * the result is the mean over tiles of |mean e| (Euclidean over RGB, in levels).
 */
export function seamStep(a: RGBAImage, truth: RGBAImage, mask: Uint8Array): number {
	const { width: w, height: h } = a;
	const tiles = new Map<number, number[]>();
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const p = y * w + x;
			if (!mask[p]) continue;
			for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
				const xx = x + dx;
				const yy = y + dy;
				if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
				const q = yy * w + xx;
				if (mask[q]) continue;
				const key = (y >> 3) * ((w >> 3) + 1) + (x >> 3);
				let t = tiles.get(key);
				if (!t) tiles.set(key, (t = [0, 0, 0, 0]));
				for (let k = 0; k < 3; k++) t[k] += a.data[p * 4 + k] - a.data[q * 4 + k] - (truth.data[p * 4 + k] - truth.data[q * 4 + k]);
				t[3]++;
			}
		}
	let sum = 0;
	for (const t of tiles.values()) sum += Math.hypot(t[0] / t[3], t[1] / t[3], t[2] / t[3]);
	return tiles.size ? sum / tiles.size : 0;
}

/** Mean absolute luma error against the truth over hole pixels at most `depth` px (4-steps) from a known pixel: the rim of the fill, where halos and seams show. */
export function rimError(a: RGBAImage, truth: RGBAImage, mask: Uint8Array, depth = 2): number {
	const { width: w, height: h } = a;
	const d = new Uint8Array(w * h);
	let front: number[] = [];
	for (let i = 0; i < w * h; i++) if (mask[i]) d[i] = 255;
	for (let i = 0; i < w * h; i++) {
		if (!mask[i]) continue;
		const x = i % w;
		if ((x > 0 && !mask[i - 1]) || (x < w - 1 && !mask[i + 1]) || (i >= w && !mask[i - w]) || (i < (h - 1) * w && !mask[i + w])) {
			d[i] = 1;
			front.push(i);
		}
	}
	for (let s = 2; s <= depth; s++) {
		const next: number[] = [];
		for (const i of front) {
			const x = i % w;
			for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w])
				if (j >= 0 && j < w * h && d[j] === 255) {
					d[j] = s;
					next.push(j);
				}
		}
		front = next;
	}
	const luma = (img: RGBAImage, i: number) => 0.299 * img.data[i * 4] + 0.587 * img.data[i * 4 + 1] + 0.114 * img.data[i * 4 + 2];
	let sum = 0;
	let n = 0;
	for (let i = 0; i < w * h; i++)
		if (d[i] >= 1 && d[i] <= depth) {
			sum += Math.abs(luma(a, i) - luma(truth, i));
			n++;
		}
	return n ? sum / n : 0;
}
