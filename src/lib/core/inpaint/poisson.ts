import type { Guidance } from './patchmatch';

/**
 * Gradient-domain finish of an exemplar fill (after Darabi et al. 2012, "Image Melding"):
 * the hole is re-solved so that its pixel differences are the ones the matched patches
 * voted for, with the real pixels around it as fixed boundary. Where two differently lit
 * sources meet inside the hole, each source's own differences there are small, so the step
 * the colour vote left between them (the "blocky patch") melts into a smooth transition,
 * while texture inside each source is kept. Pairs with no vote (the crop's edge) impose
 * nothing. Solved by SOR from the current fill, which is already close (voted colours after
 * the harmonic seam correction), so a fixed number of sweeps suffices (60: on the test photos 120 changed PSNR by
 * at most 0.2 dB, 30 by up to 0.5 dB).
 */
export function poissonBlend(buf: Float32Array, w: number, h: number, ch: number, hole: Uint8Array, g: Guidance, sweeps = 60, omega = 1.8): void {
	const idx: number[] = [];
	for (let i = 0; i < w * h; i++) if (hole[i]) idx.push(i);
	const n = idx.length;
	if (n === 0) return;
	// Per hole pixel: up to 4 neighbours and Σ of the guidance differences f_q − f_n.
	const nb = new Int32Array(n * 4).fill(-1);
	const cnt = new Uint8Array(n);
	const rhs = new Float32Array(n * ch);
	for (let j = 0; j < n; j++) {
		const q = idx[j];
		const x = q % w;
		const add = (nq: number, wt: number, gi: Float32Array, at: number, sign: number) => {
			if (wt <= 0) return;
			nb[j * 4 + cnt[j]++] = nq;
			for (let k = 0; k < ch; k++) rhs[j * ch + k] += (sign * gi[at * ch + k]) / wt;
		};
		if (x < w - 1) add(q + 1, g.wx[q], g.gx, q, -1);
		if (x > 0) add(q - 1, g.wx[q - 1], g.gx, q - 1, 1);
		if (q + w < w * h) add(q + w, g.wy[q], g.gy, q, -1);
		if (q >= w) add(q - w, g.wy[q - w], g.gy, q - w, 1);
	}
	for (let s = 0; s < sweeps; s++)
		for (let j = 0; j < n; j++) {
			const m = cnt[j];
			if (m === 0) continue;
			const inv = 1 / m;
			const o = idx[j] * ch;
			const b = j * 4;
			const r = j * ch;
			for (let k = 0; k < ch; k++) {
				let sum = rhs[r + k] + buf[nb[b] * ch + k];
				if (m > 1) sum += buf[nb[b + 1] * ch + k];
				if (m > 2) sum += buf[nb[b + 2] * ch + k];
				if (m > 3) sum += buf[nb[b + 3] * ch + k];
				buf[o + k] += omega * (sum * inv - buf[o + k]);
			}
		}
	for (const q of idx) for (let k = 0; k < ch; k++) buf[q * ch + k] = Math.max(0, Math.min(255, buf[q * ch + k]));
}
