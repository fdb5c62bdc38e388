/**
 * Pure alpha refinement: upsample a low-resolution matte to the image size and snap its
 * edges to the image with a fast guided filter (He, Sun & Tang 2013; He & Sun 2015 "Fast
 * Guided Filter"), then optionally decontaminate edge colours so the old background does
 * not show as a halo once the subject is composited on something else.
 *
 * All box filters are O(1) per pixel (running sums), with windows clipped at the borders.
 */
import type { RGBAImage } from '../../core/image';

/** Mean over the (2r+1)² window clipped to the image, separable running sums. */
export function boxFilter(src: Float32Array, w: number, h: number, r: number): Float32Array {
	const tmp = new Float32Array(w * h);
	const out = new Float32Array(w * h);
	if (r <= 0) {
		out.set(src);
		return out;
	}
	// Horizontal.
	for (let y = 0; y < h; y++) {
		const o = y * w;
		let s = 0;
		const hi0 = Math.min(r, w - 1);
		for (let x = 0; x <= hi0; x++) s += src[o + x];
		for (let x = 0; x < w; x++) {
			const lo = x - r;
			const hi = x + r;
			tmp[o + x] = s / (Math.min(hi, w - 1) - Math.max(lo, 0) + 1);
			if (hi + 1 < w) s += src[o + hi + 1];
			if (lo >= 0) s -= src[o + lo];
		}
	}
	// Vertical, row-wise accumulation (cache friendly).
	const acc = new Float64Array(w);
	const hi0 = Math.min(r, h - 1);
	for (let y = 0; y <= hi0; y++) for (let x = 0, o = y * w; x < w; x++) acc[x] += tmp[o + x];
	for (let y = 0; y < h; y++) {
		const n = Math.min(y + r, h - 1) - Math.max(y - r, 0) + 1;
		const o = y * w;
		for (let x = 0; x < w; x++) out[o + x] = acc[x] / n;
		const add = y + r + 1;
		const sub = y - r;
		if (add < h) for (let x = 0, oa = add * w; x < w; x++) acc[x] += tmp[oa + x];
		if (sub >= 0) for (let x = 0, os = sub * w; x < w; x++) acc[x] -= tmp[os + x];
	}
	return out;
}

const mul = (a: Float32Array, b: Float32Array) => {
	const o = new Float32Array(a.length);
	for (let i = 0; i < a.length; i++) o[i] = a[i] * b[i];
	return o;
};

/**
 * Guided filter with a single-channel guide: q = mean(a)·I + mean(b), a = cov(I,p)/(var(I)+eps).
 * Returns the coefficient maps (mean a, mean b) so they can be upsampled (fast guided filter).
 */
export function guidedCoefficientsGray(I: Float32Array, p: Float32Array, w: number, h: number, r: number, eps: number): [Float32Array, Float32Array] {
	const mI = boxFilter(I, w, h, r);
	const mp = boxFilter(p, w, h, r);
	const mIp = boxFilter(mul(I, p), w, h, r);
	const mII = boxFilter(mul(I, I), w, h, r);
	const a = new Float32Array(w * h);
	const b = new Float32Array(w * h);
	for (let i = 0; i < a.length; i++) {
		const v = mII[i] - mI[i] * mI[i];
		a[i] = (mIp[i] - mI[i] * mp[i]) / (v + eps);
		b[i] = mp[i] - a[i] * mI[i];
	}
	return [boxFilter(a, w, h, r), boxFilter(b, w, h, r)];
}

/** Guided filter, single-channel guide, same resolution. Output not clamped. */
export function guidedFilterGray(I: Float32Array, p: Float32Array, w: number, h: number, r: number, eps: number): Float32Array {
	const [a, b] = guidedCoefficientsGray(I, p, w, h, r, eps);
	const q = new Float32Array(w * h);
	for (let i = 0; i < q.length; i++) q[i] = a[i] * I[i] + b[i];
	return q;
}

/**
 * Guided filter coefficients with an RGB guide (3×3 covariance per pixel): returns mean
 * a_r, a_g, a_b and mean b so that q = a·I + b.
 */
export function guidedCoefficientsRgb(
	R: Float32Array,
	G: Float32Array,
	B: Float32Array,
	p: Float32Array,
	w: number,
	h: number,
	r: number,
	eps: number
): [Float32Array, Float32Array, Float32Array, Float32Array] {
	const bf = (x: Float32Array) => boxFilter(x, w, h, r);
	const mR = bf(R), mG = bf(G), mB = bf(B), mp = bf(p);
	const mRp = bf(mul(R, p)), mGp = bf(mul(G, p)), mBp = bf(mul(B, p));
	const mRR = bf(mul(R, R)), mRG = bf(mul(R, G)), mRB = bf(mul(R, B));
	const mGG = bf(mul(G, G)), mGB = bf(mul(G, B)), mBB = bf(mul(B, B));
	const n = w * h;
	const ar = new Float32Array(n), ag = new Float32Array(n), ab = new Float32Array(n), bb = new Float32Array(n);
	for (let i = 0; i < n; i++) {
		const cr = mRp[i] - mR[i] * mp[i];
		const cg = mGp[i] - mG[i] * mp[i];
		const cb = mBp[i] - mB[i] * mp[i];
		const vrr = mRR[i] - mR[i] * mR[i] + eps;
		const vrg = mRG[i] - mR[i] * mG[i];
		const vrb = mRB[i] - mR[i] * mB[i];
		const vgg = mGG[i] - mG[i] * mG[i] + eps;
		const vgb = mGB[i] - mG[i] * mB[i];
		const vbb = mBB[i] - mB[i] * mB[i] + eps;
		// Inverse of the symmetric 3×3 matrix via cofactors.
		const i00 = vgg * vbb - vgb * vgb;
		const i01 = vrb * vgb - vrg * vbb;
		const i02 = vrg * vgb - vrb * vgg;
		const i11 = vrr * vbb - vrb * vrb;
		const i12 = vrb * vrg - vrr * vgb;
		const i22 = vrr * vgg - vrg * vrg;
		const det = vrr * i00 + vrg * i01 + vrb * i02;
		const x = (i00 * cr + i01 * cg + i02 * cb) / det;
		const y = (i01 * cr + i11 * cg + i12 * cb) / det;
		const z = (i02 * cr + i12 * cg + i22 * cb) / det;
		ar[i] = x;
		ag[i] = y;
		ab[i] = z;
		bb[i] = mp[i] - x * mR[i] - y * mG[i] - z * mB[i];
	}
	return [bf(ar), bf(ag), bf(ab), bf(bb)];
}

/** Bilinear resample of a single-channel map (pixel centres aligned, edges clamped). */
export function resizeBilinear(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
	const out = new Float32Array(dw * dh);
	if (sw === dw && sh === dh) {
		out.set(src);
		return out;
	}
	const sx = sw / dw;
	const sy = sh / dh;
	const x0 = new Int32Array(dw), x1 = new Int32Array(dw), fx = new Float32Array(dw);
	for (let x = 0; x < dw; x++) {
		const u = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), sw - 1);
		x0[x] = Math.floor(u);
		x1[x] = Math.min(x0[x] + 1, sw - 1);
		fx[x] = u - x0[x];
	}
	for (let y = 0; y < dh; y++) {
		const v = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), sh - 1);
		const y0 = Math.floor(v);
		const y1 = Math.min(y0 + 1, sh - 1);
		const fy = v - y0;
		const r0 = y0 * sw, r1 = y1 * sw, o = y * dw;
		for (let x = 0; x < dw; x++) {
			const a = src[r0 + x0[x]] + (src[r0 + x1[x]] - src[r0 + x0[x]]) * fx[x];
			const b = src[r1 + x0[x]] + (src[r1 + x1[x]] - src[r1 + x0[x]]) * fx[x];
			out[o + x] = a + (b - a) * fy;
		}
	}
	return out;
}

/** Area-average downsample of an RGBA image's channels to dw×dh, as 0..1 planes. */
function planes(img: RGBAImage, dw: number, dh: number): [Float32Array, Float32Array, Float32Array] {
	const { width: w, height: h, data } = img;
	const R = new Float32Array(dw * dh), G = new Float32Array(dw * dh), B = new Float32Array(dw * dh);
	if (dw === w && dh === h) {
		for (let i = 0, j = 0; j < w * h; i += 4, j++) {
			R[j] = data[i] / 255;
			G[j] = data[i + 1] / 255;
			B[j] = data[i + 2] / 255;
		}
		return [R, G, B];
	}
	const cnt = new Float32Array(dw * dh);
	for (let y = 0; y < h; y++) {
		const ty = Math.min(dh - 1, Math.floor((y * dh) / h)) * dw;
		for (let x = 0; x < w; x++) {
			const t = ty + Math.min(dw - 1, Math.floor((x * dw) / w));
			const i = (y * w + x) * 4;
			R[t] += data[i];
			G[t] += data[i + 1];
			B[t] += data[i + 2];
			cnt[t]++;
		}
	}
	for (let t = 0; t < dw * dh; t++) {
		const k = 1 / (255 * cnt[t]);
		R[t] *= k;
		G[t] *= k;
		B[t] *= k;
	}
	return [R, G, B];
}

const luma = (R: Float32Array, G: Float32Array, B: Float32Array) => {
	const Y = new Float32Array(R.length);
	for (let i = 0; i < Y.length; i++) Y[i] = 0.299 * R[i] + 0.587 * G[i] + 0.114 * B[i];
	return Y;
};

export interface RefineOptions {
	/** Guided-filter radius in pixels of the working resolution; default scales with it (≈ workMax/128, at least 2). */
	radius?: number;
	/** Regulariser on 0..1 values: larger = smoother, closer to the input matte. */
	eps?: number;
	/** 'rgb' (3×3 covariance, best on hair) or 'luma' (cheaper). */
	guide?: 'rgb' | 'luma';
	/** Longest side of the working resolution of the fast guided filter (coefficients are upsampled from it). */
	workMax?: number;
	/** false: plain bilinear upsampling, no guided filter. */
	guided?: boolean;
	/**
	 * Keep the coarse matte where it is confident (near 0 or 1) and use the guided result only
	 * in its uncertain band, blended smoothly: stops the local linear model from leaking a
	 * faint veil (or a dent) into flat regions beside strong edges. Default true.
	 */
	confident?: boolean;
	/**
	 * Contrast applied to the coarse matte first: p' = clamp((p − center)·gain + 0.5). For a
	 * coarse person mask (fast mode) whose soft band overhangs the real edge, gain 3 with
	 * center 0.65 pulls the seeds inside the subject so the guided filter finds the edge
	 * instead of keeping a glow over bright backgrounds. Default: none (gain 1, center 0.5).
	 */
	gain?: number;
	center?: number;
}

/** Confidence blend weight of the coarse matte: 0 in the uncertain band, 1 where p is near 0 or 1. */
function confidence(p: number): number {
	const c = Math.abs(2 * p - 1);
	const t = Math.min(1, Math.max(0, (c - 0.8) / 0.18));
	return t * t * (3 - 2 * t);
}

/** Default guided-filter radius (work-resolution px): 4–16 with image size, wider when upsampling a lot. */
export function defaultRadius(w: number, h: number, lowW: number, lowH: number): number {
	const bySize = Math.min(16, Math.max(4, Math.round(Math.max(w, h) / 128)));
	return Math.max(bySize, Math.round(2 * Math.max(w / lowW, h / lowH)));
}

export const REFINE_DEFAULTS = { eps: 1e-3, guide: 'rgb', workMax: 1024 } as const;

/**
 * Full-resolution alpha (0..255) of `img` from a low-resolution matte (0..1, lowW × lowH,
 * stretched over the whole image): bilinear upsample + fast guided filter, clamped 0..1.
 */
export function refineAlpha(img: RGBAImage, lowAlpha: Float32Array, lowW: number, lowH: number, opts: RefineOptions = {}): Uint8ClampedArray {
	const W = img.width;
	const H = img.height;
	const out = new Uint8ClampedArray(W * H);
	if ((opts.gain ?? 1) !== 1 || (opts.center ?? 0.5) !== 0.5) {
		const g = opts.gain ?? 1;
		const c0 = opts.center ?? 0.5;
		const src = lowAlpha;
		lowAlpha = new Float32Array(src.length);
		for (let i = 0; i < src.length; i++) {
			const v = (src[i] - c0) * g + 0.5;
			lowAlpha[i] = v < 0 ? 0 : v > 1 ? 1 : v;
		}
	}
	if (opts.guided === false) {
		const up = resizeBilinear(lowAlpha, lowW, lowH, W, H);
		for (let i = 0; i < up.length; i++) out[i] = Math.round(up[i] * 255);
		return out;
	}
	const workMax = opts.workMax ?? REFINE_DEFAULTS.workMax;
	const s = Math.max(1, Math.max(W, H) / workMax);
	const w = Math.max(1, Math.round(W / s));
	const h = Math.max(1, Math.round(H / s));
	const r = opts.radius ?? defaultRadius(w, h, lowW, lowH);
	const eps = opts.eps ?? REFINE_DEFAULTS.eps;
	const p = resizeBilinear(lowAlpha, lowW, lowH, w, h);
	const [R, G, B] = planes(img, w, h);
	const full = w === W && h === H;
	const [FR, FG, FB] = full ? [R, G, B] : planes(img, W, H);
	const q = new Float32Array(W * H);
	if ((opts.guide ?? REFINE_DEFAULTS.guide) === 'luma') {
		const [a, b] = guidedCoefficientsGray(luma(R, G, B), p, w, h, r, eps);
		const A = resizeBilinear(a, w, h, W, H);
		const Bc = resizeBilinear(b, w, h, W, H);
		const Y = full ? luma(R, G, B) : luma(FR, FG, FB);
		for (let i = 0; i < W * H; i++) q[i] = A[i] * Y[i] + Bc[i];
	} else {
		const [ar, ag, ab, bb] = guidedCoefficientsRgb(R, G, B, p, w, h, r, eps).map((c) => resizeBilinear(c, w, h, W, H));
		for (let i = 0; i < W * H; i++) q[i] = ar[i] * FR[i] + ag[i] * FG[i] + ab[i] * FB[i] + bb[i];
	}
	if (opts.confident !== false) {
		const P = resizeBilinear(lowAlpha, lowW, lowH, W, H);
		for (let i = 0; i < W * H; i++) {
			const c = confidence(P[i]);
			q[i] += (P[i] - q[i]) * c;
		}
	}
	for (let i = 0; i < W * H; i++) out[i] = Math.round(q[i] * 255); // Uint8ClampedArray clamps to 0..1
	return out;
}

export interface ApplyOptions {
	/**
	 * Estimate the foreground colour of partly transparent pixels so the old background does
	 * not bleed into the cut-out (halo). Default true.
	 */
	decontaminate?: boolean;
	/** Radius (full-resolution pixels) of the neighbourhood used for colour estimates; default ≈ max side / 100. */
	radius?: number;
}

/**
 * `img` with `alpha` (0..255, one per pixel) as its alpha channel. With decontamination,
 * a pixel with 0 < α < 1 gets F = lerp(F_near, F_solved, α): F_near is the mean colour of
 * nearby confident foreground, F_solved = (I − (1 − α)·B_near)/α from the compositing
 * equation with B_near the mean colour of nearby confident background.
 */
export function applyAlpha(img: RGBAImage, alpha: Uint8ClampedArray, opts: ApplyOptions = {}): RGBAImage {
	const { width: W, height: H, data: src } = img;
	const data = new Uint8ClampedArray(src);
	for (let i = 0; i < W * H; i++) data[i * 4 + 3] = Math.round((alpha[i] * src[i * 4 + 3]) / 255);
	if (opts.decontaminate === false) return { width: W, height: H, data };
	let edges = 0;
	for (let i = 0; i < W * H; i++) if (alpha[i] > 3 && alpha[i] < 250) edges++;
	if (edges === 0) return { width: W, height: H, data };

	const r = opts.radius ?? Math.max(3, Math.round(Math.max(W, H) / 100));
	const n = W * H;
	// Weighted sums of confident fg (α ≥ 0.95) and bg (α ≤ 0.05) colours.
	const wf = new Float32Array(n), wb = new Float32Array(n);
	const fc = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
	const bc = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
	for (let i = 0; i < n; i++) {
		const a = alpha[i];
		if (a >= 242) {
			wf[i] = 1;
			for (let c = 0; c < 3; c++) fc[c][i] = src[i * 4 + c];
		} else if (a <= 13) {
			wb[i] = 1;
			for (let c = 0; c < 3; c++) bc[c][i] = src[i * 4 + c];
		}
	}
	const mwf = boxFilter(wf, W, H, r), mwb = boxFilter(wb, W, H, r);
	const mfc = fc.map((x) => boxFilter(x, W, H, r));
	const mbc = bc.map((x) => boxFilter(x, W, H, r));
	for (let i = 0; i < n; i++) {
		const a8 = alpha[i];
		if (a8 <= 3 || a8 >= 250) continue;
		const a = a8 / 255;
		for (let c = 0; c < 3; c++) {
			const I = src[i * 4 + c];
			const Fn = mwf[i] > 1e-4 ? mfc[c][i] / mwf[i] : I;
			let Fs = I;
			if (mwb[i] > 1e-4) {
				const Bn = mbc[c][i] / mwb[i];
				Fs = (I - (1 - a) * Bn) / Math.max(a, 0.05);
				Fs = Fs < 0 ? 0 : Fs > 255 ? 255 : Fs;
			}
			data[i * 4 + c] = Math.round(Fn + (Fs - Fn) * a);
		}
	}
	return { width: W, height: H, data };
}
