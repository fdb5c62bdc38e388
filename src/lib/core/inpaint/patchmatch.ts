import { harmonicFill } from './harmonic';
import { correctSeam, holeRing } from './seam';
import { poissonBlend } from './poisson';

export interface PatchMatchOptions {
	/** Odd patch side in pixels. */
	patchSize: number;
	/** PRNG seed: the same seed gives byte-identical results. */
	seed: number;
	/** EM (search + vote) rounds at the coarsest level, at the middle levels, at full size. */
	emCoarse: number;
	emMiddle: number;
	emFine: number;
	/** PatchMatch sweeps per EM round (at full size, where it costs the most: pmFine). */
	pmSweeps: number;
	pmFine: number;
	/**
	 * After the last vote at full size: the harmonic seam correction (seam.ts), which takes
	 * the colour step off the seam, then the gradient-domain finish (poisson.ts), which melts
	 * the steps between differently lit sources inside the hole.
	 */
	seam: boolean;
}

/** Weighted sums of the voted forward differences (x: to the right, y: below) and their weights, per pixel. */
export interface Guidance {
	gx: Float32Array;
	gy: Float32Array;
	wx: Float32Array;
	wy: Float32Array;
}

/** Predictions for known pixels (mask ≠ 0), voted like hole pixels, into `out` (the level's layout). */
type Predict = { mask: Uint8Array; out: Float32Array };

/** One pyramid level of the work crop: colour, hole, and the patch bookkeeping. */
interface Level {
	w: number;
	h: number;
	img: Float32Array;
	hole: Uint8Array;
	/** 1 where a patch centred here lies inside the level and entirely outside the hole. */
	srcOK: Uint8Array;
	srcList: Int32Array;
	/** Centres of patches that overlap the hole, in raster order. */
	targets: Int32Array;
	/** Per pixel: Wexler's confidence γ^-d, d = distance into the hole (1 outside it). */
	conf: Float32Array;
	maxDepth: number;
}

/** mulberry32: small, fast, and the same on every engine. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Chamfer (1, √2) distance from every pixel to the nearest non-hole pixel (0 outside the hole). */
function holeDepth(hole: Uint8Array, w: number, h: number): Float32Array {
	const d = new Float32Array(w * h);
	const INF = 1e9;
	const D = Math.SQRT2;
	for (let i = 0; i < w * h; i++) d[i] = hole[i] ? INF : 0;
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const i = y * w + x;
			if (!d[i]) continue;
			let v = d[i];
			if (x > 0) v = Math.min(v, d[i - 1] + 1);
			if (y > 0) {
				v = Math.min(v, d[i - w] + 1);
				if (x > 0) v = Math.min(v, d[i - w - 1] + D);
				if (x < w - 1) v = Math.min(v, d[i - w + 1] + D);
			}
			d[i] = v;
		}
	for (let y = h - 1; y >= 0; y--)
		for (let x = w - 1; x >= 0; x--) {
			const i = y * w + x;
			if (!d[i]) continue;
			let v = d[i];
			if (x < w - 1) v = Math.min(v, d[i + 1] + 1);
			if (y < h - 1) {
				v = Math.min(v, d[i + w] + 1);
				if (x < w - 1) v = Math.min(v, d[i + w + 1] + D);
				if (x > 0) v = Math.min(v, d[i + w - 1] + D);
			}
			d[i] = v;
		}
	// A hole with no known pixel anywhere (cannot happen for a crop we build) stays huge.
	return d;
}

function makeLevel(w: number, h: number, img: Float32Array, hole: Uint8Array, half: number): Level {
	// Summed-area table of the hole, for "any hole in this box" queries.
	const W = w + 1;
	const sat = new Int32Array(W * (h + 1));
	for (let y = 0; y < h; y++) {
		let row = 0;
		for (let x = 0; x < w; x++) {
			row += hole[y * w + x];
			sat[(y + 1) * W + x + 1] = sat[y * W + x + 1] + row;
		}
	}
	const boxSum = (x0: number, y0: number, x1: number, y1: number) => sat[y1 * W + x1] - sat[y0 * W + x1] - sat[y1 * W + x0] + sat[y0 * W + x0];
	const srcOK = new Uint8Array(w * h);
	const src: number[] = [];
	const tgt: number[] = [];
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const x0 = Math.max(0, x - half);
			const y0 = Math.max(0, y - half);
			const x1 = Math.min(w, x + half + 1);
			const y1 = Math.min(h, y + half + 1);
			const holes = boxSum(x0, y0, x1, y1);
			if (holes > 0) tgt.push(y * w + x);
			else if (x >= half && y >= half && x < w - half && y < h - half) {
				srcOK[y * w + x] = 1;
				src.push(y * w + x);
			}
		}
	const depth = holeDepth(hole, w, h);
	const conf = new Float32Array(w * h);
	let maxDepth = 0;
	for (let i = 0; i < w * h; i++) {
		conf[i] = Math.pow(1.3, -depth[i]);
		if (depth[i] > maxDepth) maxDepth = depth[i];
	}
	return { w, h, img, hole, srcOK, srcList: Int32Array.from(src), targets: Int32Array.from(tgt), conf, maxDepth };
}

/**
 * Half-size level: a coarse pixel is hole if any of its 2×2 children is (so coarse
 * source patches never saw hole pixels); colour is a [1 3 3 1] tent average of the
 * known children's neighbourhood.
 */
function downsample(L: Level, ch: number): { w: number; h: number; img: Float32Array; hole: Uint8Array } {
	const { w, h } = L;
	const cw = (w + 1) >> 1;
	const chh = (h + 1) >> 1;
	const img = new Float32Array(cw * chh * ch);
	const hole = new Uint8Array(cw * chh);
	const tap = [1, 3, 3, 1];
	const acc = new Float64Array(ch);
	for (let cy = 0; cy < chh; cy++)
		for (let cx = 0; cx < cw; cx++) {
			const c = cy * cw + cx;
			for (let dy = 0; dy < 2; dy++)
				for (let dx = 0; dx < 2; dx++) {
					const x = 2 * cx + dx;
					const y = 2 * cy + dy;
					if (x < w && y < h && L.hole[y * w + x]) hole[c] = 1;
				}
			acc.fill(0);
			let ws = 0;
			for (let ty = 0; ty < 4; ty++) {
				const y = 2 * cy - 1 + ty;
				if (y < 0 || y >= h) continue;
				for (let tx = 0; tx < 4; tx++) {
					const x = 2 * cx - 1 + tx;
					if (x < 0 || x >= w) continue;
					const i = y * w + x;
					if (L.hole[i]) continue;
					const wt = tap[tx] * tap[ty];
					ws += wt;
					for (let k = 0; k < ch; k++) acc[k] += wt * L.img[i * ch + k];
				}
			}
			if (ws > 0) for (let k = 0; k < ch; k++) img[c * ch + k] = acc[k] / ws;
		}
	return { w: cw, h: chh, img, hole };
}

/** Sum of squared differences between the patches centred at target p and source s, clipped to the level; stops once above `best`. */
function patchDist(L: Level, ch: number, half: number, p: number, s: number, best: number): number {
	const { w, h, img } = L;
	const px = p % w;
	const py = (p - px) / w;
	const x0 = px - half < 0 ? -px : -half;
	const x1 = px + half >= w ? w - 1 - px : half;
	const y0 = py - half < 0 ? -py : -half;
	const y1 = py + half >= h ? h - 1 - py : half;
	const n = (x1 - x0 + 1) * ch;
	let d = 0;
	for (let dy = y0; dy <= y1; dy++) {
		let ti = (p + dy * w + x0) * ch;
		let si = (s + dy * w + x0) * ch;
		for (let k = 0; k < n; k++) {
			const e = img[ti++] - img[si++];
			d += e * e;
		}
		if (d > best) return d;
	}
	return d;
}

function computeCosts(L: Level, ch: number, half: number, nnf: Int32Array, cost: Float32Array): void {
	const t = L.targets;
	for (let j = 0; j < t.length; j++) cost[t[j]] = patchDist(L, ch, half, t[j], nnf[t[j]], Infinity);
}

/** PatchMatch sweeps (Barnes et al. 2009): propagation from the scan-order neighbours, then random search. */
function pmSweeps(L: Level, ch: number, half: number, nnf: Int32Array, cost: Float32Array, rnd: () => number, sweeps: number, sweep0: number): void {
	const { w, h, srcOK, targets } = L;
	const maxR = Math.max(w, h);
	for (let s = 0; s < sweeps; s++) {
		const fwd = (s + sweep0) % 2 === 0;
		const step = fwd ? 1 : -1;
		const n = targets.length;
		for (let jj = 0; jj < n; jj++) {
			const p = targets[fwd ? jj : n - 1 - jj];
			let best = nnf[p];
			let bestD = cost[p];
			const px = p % w;
			// Propagation: the neighbour's match, shifted back by one.
			const nx = px - step;
			if (nx >= 0 && nx < w) {
				const q = nnf[p - step];
				if (q >= 0) {
					const c = q + step;
					if (c >= 0 && c < w * h && srcOK[c] && c !== best) {
						const d = patchDist(L, ch, half, p, c, bestD);
						if (d < bestD) {
							bestD = d;
							best = c;
						}
					}
				}
			}
			const ny = p - step * w;
			if (ny >= 0 && ny < w * h) {
				const q = nnf[ny];
				if (q >= 0) {
					const c = q + step * w;
					if (c >= 0 && c < w * h && srcOK[c] && c !== best) {
						const d = patchDist(L, ch, half, p, c, bestD);
						if (d < bestD) {
							bestD = d;
							best = c;
						}
					}
				}
			}
			// Random search around the current best at exponentially shrinking radii.
			const bx = best % w;
			const by = (best - bx) / w;
			for (let r = maxR; r >= 1; r >>= 1) {
				let cx = bx + Math.floor((rnd() * 2 - 1) * r);
				let cy = by + Math.floor((rnd() * 2 - 1) * r);
				cx = cx < half ? half : cx >= w - half ? w - half - 1 : cx;
				cy = cy < half ? half : cy >= h - half ? h - half - 1 : cy;
				const c = cy * w + cx;
				if (!srcOK[c] || c === best) continue;
				const d = patchDist(L, ch, half, p, c, bestD);
				if (d < bestD) {
					bestD = d;
					best = c;
				}
			}
			nnf[p] = best;
			cost[p] = bestD;
		}
	}
}

/**
 * Voting (Wexler et al. 2007): every hole pixel becomes the weighted mean of what the
 * overlapping patches' matches say it should be. Weight = similarity exp(-D / 2σ²)
 * (σ² the 75th percentile of D) × the patch's confidence γ^-depth. When asked, the same
 * vote also predicts the known pixels in `predict.mask` (for the seam correction) and sums
 * the sources' differences between neighbours into `grads` (for the gradient-domain finish).
 */
function vote(L: Level, ch: number, half: number, nnf: Int32Array, cost: Float32Array, useCost: boolean, predict?: Predict, grads?: Guidance): void {
	const { w, h, img, hole, targets, conf } = L;
	// Predicted pixels outside the hole are voted like hole pixels, into their own output.
	const want = predict ? predict.mask : hole;
	let s2 = 1;
	if (useCost && targets.length > 0) {
		const cs = new Float32Array(targets.length);
		for (let j = 0; j < targets.length; j++) cs[j] = cost[targets[j]];
		cs.sort();
		s2 = Math.max(1, cs[Math.floor(0.75 * (cs.length - 1))]);
	}
	const acc = new Float32Array(w * h * ch);
	const wsum = new Float32Array(w * h);
	for (let j = 0; j < targets.length; j++) {
		const p = targets[j];
		const s = nnf[p];
		const wt = (useCost ? Math.exp(-cost[p] / (2 * s2)) : 1) * conf[p] + 1e-12;
		const px = p % w;
		const py = (p - px) / w;
		const x0 = px - half < 0 ? -px : -half;
		const x1 = px + half >= w ? w - 1 - px : half;
		const y0 = py - half < 0 ? -py : -half;
		const y1 = py + half >= h ? h - 1 - py : half;
		for (let dy = y0; dy <= y1; dy++)
			for (let dx = x0; dx <= x1; dx++) {
				const q = p + dy * w + dx;
				const sq = (s + dy * w + dx) * ch;
				if (grads) {
					// What the source says about the differences to the right and below, for pairs touching the hole.
					if (dx < x1 && (hole[q] || hole[q + 1])) {
						grads.wx[q] += wt;
						for (let k = 0; k < ch; k++) grads.gx[q * ch + k] += wt * (img[sq + ch + k] - img[sq + k]);
					}
					if (dy < y1 && (hole[q] || hole[q + w])) {
						grads.wy[q] += wt;
						for (let k = 0; k < ch; k++) grads.gy[q * ch + k] += wt * (img[sq + w * ch + k] - img[sq + k]);
					}
				}
				if (!hole[q] && !want[q]) continue;
				wsum[q] += wt;
				for (let k = 0; k < ch; k++) acc[q * ch + k] += wt * img[sq + k];
			}
	}
	for (let q = 0; q < w * h; q++) {
		if (wsum[q] === 0) continue;
		if (hole[q]) for (let k = 0; k < ch; k++) img[q * ch + k] = acc[q * ch + k] / wsum[q];
		else if (predict && predict.mask[q]) for (let k = 0; k < ch; k++) predict.out[q * ch + k] = acc[q * ch + k] / wsum[q];
	}
}

function randomSource(L: Level, rnd: () => number): number {
	return L.srcList[Math.floor(rnd() * L.srcList.length)];
}

/** Fine-level NNF from the coarse one: a match at (sx, sy) for (x/2, y/2) becomes (2sx + x%2, 2sy + y%2). */
function upsampleNnf(C: Level, cn: Int32Array, F: Level, half: number, rnd: () => number): Int32Array {
	const nnf = new Int32Array(F.w * F.h).fill(-1);
	for (const p of F.targets) {
		const x = p % F.w;
		const y = (p - x) / F.w;
		const cp = Math.min(y >> 1, C.h - 1) * C.w + Math.min(x >> 1, C.w - 1);
		const cs = cn[cp];
		let s = -1;
		if (cs >= 0) {
			const csx = cs % C.w;
			const csy = (cs - csx) / C.w;
			const sx = Math.min(Math.max(2 * csx + (x & 1), half), F.w - half - 1);
			const sy = Math.min(Math.max(2 * csy + (y & 1), half), F.h - half - 1);
			s = sy * F.w + sx;
			if (!F.srcOK[s]) s = -1;
		}
		nnf[p] = s >= 0 ? s : randomSource(F, rnd);
	}
	return nnf;
}

/** Bilinear upsampling of the coarse colour into the fine level's hole pixels (the start point before the first vote). */
function upsampleHole(C: Level, F: Level, ch: number): void {
	for (let y = 0; y < F.h; y++)
		for (let x = 0; x < F.w; x++) {
			const i = y * F.w + x;
			if (!F.hole[i]) continue;
			const fx = Math.min(Math.max((x - 0.5) / 2, 0), C.w - 1);
			const fy = Math.min(Math.max((y - 0.5) / 2, 0), C.h - 1);
			const x0 = Math.floor(fx);
			const y0 = Math.floor(fy);
			const x1 = Math.min(x0 + 1, C.w - 1);
			const y1 = Math.min(y0 + 1, C.h - 1);
			const ax = fx - x0;
			const ay = fy - y0;
			for (let k = 0; k < ch; k++) {
				const top = C.img[(y0 * C.w + x0) * ch + k] * (1 - ax) + C.img[(y0 * C.w + x1) * ch + k] * ax;
				const bot = C.img[(y1 * C.w + x0) * ch + k] * (1 - ax) + C.img[(y1 * C.w + x1) * ch + k] * ax;
				F.img[i * ch + k] = top * (1 - ay) + bot * ay;
			}
		}
}

/**
 * Fills `hole` pixels of the interleaved float buffer in place. Returns false (leaving the
 * buffer alone) when the crop has no complete source patch to copy from.
 */
export function patchMatchFill(buf: Float32Array, w: number, h: number, ch: number, hole: Uint8Array, o: PatchMatchOptions): boolean {
	const half = o.patchSize >> 1;
	const rnd = prng(o.seed);
	const levels: Level[] = [makeLevel(w, h, buf, hole, half)];
	if (levels[0].srcList.length === 0) return false;
	if (levels[0].targets.length === 0) return true;
	// Go coarser while the hole is deeper than a patch half and the coarse level still has plenty to copy from.
	for (;;) {
		const L = levels[levels.length - 1];
		if (L.maxDepth <= half + 1 || Math.min(L.w, L.h) < 4 * o.patchSize) break;
		const c = downsample(L, ch);
		const C = makeLevel(c.w, c.h, c.img, c.hole, half);
		if (C.srcList.length < Math.max(48, C.targets.length >> 1)) break;
		levels.push(C);
	}
	let k = levels.length - 1;
	let L = levels[k];
	harmonicFill(L.img, L.w, L.h, ch, L.hole);
	let nnf: Int32Array = new Int32Array(L.w * L.h).fill(-1);
	for (const p of L.targets) nnf[p] = randomSource(L, rnd);
	let cost: Float32Array = new Float32Array(L.w * L.h);
	let sweep = 0;
	const rounds = (lev: number) => (lev === 0 ? o.emFine : lev === levels.length - 1 ? o.emCoarse : o.emMiddle);
	for (;;) {
		for (let e = 0; e < rounds(k); e++) {
			computeCosts(L, ch, half, nnf, cost);
			const n = k === 0 ? o.pmFine : o.pmSweeps;
			pmSweeps(L, ch, half, nnf, cost, rnd, n, sweep);
			sweep += n;
			if (o.seam && k === 0 && e === rounds(k) - 1) {
				const ring = holeRing(L.hole, L.w, L.h);
				const predict = { mask: ring, out: new Float32Array(L.img.length) };
				const grads = { gx: new Float32Array(L.img.length), gy: new Float32Array(L.img.length), wx: new Float32Array(L.w * L.h), wy: new Float32Array(L.w * L.h) };
				vote(L, ch, half, nnf, cost, true, predict, grads);
				correctSeam(L.img, L.w, L.h, ch, L.hole, ring, predict.out);
				poissonBlend(L.img, L.w, L.h, ch, L.hole, grads);
			} else vote(L, ch, half, nnf, cost, true);
		}
		if (k === 0) break;
		const F = levels[k - 1];
		nnf = upsampleNnf(L, nnf, F, half, rnd);
		upsampleHole(L, F, ch);
		cost = new Float32Array(F.w * F.h);
		computeCosts(F, ch, half, nnf, cost);
		vote(F, ch, half, nnf, cost, true);
		L = F;
		k--;
	}
	return true;
}
