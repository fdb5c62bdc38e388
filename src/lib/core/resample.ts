import { invalidParam } from '../api/errors';
import type { Kernel } from './geometry';
import { KERNELS } from './geometry';
import type { RGBAImage } from './image';
import { pixelWords } from './pixel-words';

export type { Kernel };

interface KernelShape {
	/** Half-width of the filter at scale 1, in source pixels. */
	radius: number;
	weight(x: number): number;
}

function sinc(x: number): number {
	if (x === 0) return 1;
	const px = Math.PI * x;
	return Math.sin(px) / px;
}

function lanczos(a: number): KernelShape {
	return { radius: a, weight: (x) => (x <= -a || x >= a ? 0 : sinc(x) * sinc(x / a)) };
}

/** Catmull-Rom (B=0, C=0.5): the cubic libvips and sharp mean by 'cubic'. */
const catmullRom: KernelShape = {
	radius: 2,
	weight(x) {
		x = Math.abs(x);
		if (x < 1) return 1.5 * x * x * x - 2.5 * x * x + 1;
		if (x < 2) return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2;
		return 0;
	}
};

const triangle: KernelShape = { radius: 1, weight: (x) => Math.max(0, 1 - Math.abs(x)) };

const SHAPES: Record<Exclude<Kernel, 'nearest'>, KernelShape> = {
	lanczos3: lanczos(3),
	lanczos2: lanczos(2),
	cubic: catmullRom,
	linear: triangle
};

/**
 * One axis of a separable resample: output sample i reads source samples
 * start[i] .. start[i] + count[i] - 1 with weights[i * taps + k].
 */
export interface WeightTable {
	start: Int32Array;
	count: Int32Array;
	weights: Float32Array;
	/** Stride of `weights` per output sample (the largest count). */
	taps: number;
}

/**
 * Weights for resampling `src` samples to `dst` samples. Pixel centres are aligned
 * (output centre i maps to source (i + 0.5)·src/dst − 0.5). When shrinking, the
 * kernel is stretched by the ratio, so every source pixel contributes in proportion
 * to its coverage (area-aware, no aliasing); when enlarging it is used as is.
 * Taps that fall outside the image are dropped and the rest renormalised to sum 1,
 * which is what keeps a constant image constant up to its edges.
 */
export function weightTable(src: number, dst: number, kernel: Kernel): WeightTable {
	const start = new Int32Array(dst);
	const count = new Int32Array(dst);
	const scale = src / dst;
	if (kernel === 'nearest') {
		const weights = new Float32Array(dst).fill(1);
		for (let i = 0; i < dst; i++) {
			start[i] = Math.min(src - 1, Math.floor((i + 0.5) * scale));
			count[i] = 1;
		}
		return { start, count, weights, taps: 1 };
	}
	const shape = SHAPES[kernel];
	const stretch = Math.max(1, scale);
	const support = shape.radius * stretch;
	const taps = Math.ceil(support * 2) + 1;
	const weights = new Float32Array(dst * taps);
	const tmp = new Float64Array(taps);
	for (let i = 0; i < dst; i++) {
		const centre = (i + 0.5) * scale - 0.5;
		let lo = Math.max(0, Math.ceil(centre - support));
		const hi = Math.min(src - 1, Math.floor(centre + support));
		let n = 0;
		let sum = 0;
		for (let j = lo; j <= hi; j++) {
			const w = shape.weight((j - centre) / stretch);
			tmp[n++] = w;
			sum += w;
		}
		// Exact zeros at the ends (lanczos/cubic at integer offsets) are work with no effect.
		let first = 0;
		while (first < n - 1 && tmp[first] === 0) first++;
		while (n - 1 > first && tmp[n - 1] === 0) n--;
		lo += first;
		if (sum === 0) {
			// Unreachable for these kernels, but a hole in the table must never turn a pixel black.
			const nearest = Math.min(src - 1, Math.max(0, Math.round(centre)));
			start[i] = nearest;
			count[i] = 1;
			weights[i * taps] = 1;
			continue;
		}
		start[i] = lo;
		count[i] = n - first;
		const base = i * taps;
		for (let k = first; k < n; k++) weights[base + k - first] = tmp[k] / sum;
	}
	return { start, count, weights, taps };
}

/** Upper bound for the ring of horizontally filtered rows. */
const RING_BUDGET_BYTES = 32 << 20;

// Images with transparency: floats, premultiplied alpha.

/** Straight RGBA bytes of one row → premultiplied floats in 0..255. */
function premultiplyRow(src: Uint8ClampedArray, offset: number, width: number, out: Float32Array): void {
	for (let i = 0, s = offset, end = width * 4; i < end; i += 4, s += 4) {
		const a = src[s + 3];
		if (a === 255) {
			out[i] = src[s];
			out[i + 1] = src[s + 1];
			out[i + 2] = src[s + 2];
			out[i + 3] = 255;
		} else {
			const f = a / 255;
			out[i] = src[s] * f;
			out[i + 1] = src[s + 1] * f;
			out[i + 2] = src[s + 2] * f;
			out[i + 3] = a;
		}
	}
}

/** Output columns [x0, x1) of one row; `row` holds source columns from `rowStart` on. */
function filterRow(row: Float32Array, rowStart: number, out: Float32Array, t: WeightTable, x0: number, x1: number): void {
	const { start, count, weights, taps } = t;
	for (let x = x0, o = 0; x < x1; x++, o += 4) {
		let s = (start[x] - rowStart) << 2;
		let w = x * taps;
		const end = w + count[x];
		let r = 0, g = 0, b = 0, a = 0;
		// Two taps per iteration: ~10% faster in V8 on the pass that dominates a downscale.
		for (; w + 1 < end; w += 2, s += 8) {
			const k0 = weights[w];
			const k1 = weights[w + 1];
			r += row[s] * k0 + row[s + 4] * k1;
			g += row[s + 1] * k0 + row[s + 5] * k1;
			b += row[s + 2] * k0 + row[s + 6] * k1;
			a += row[s + 3] * k0 + row[s + 7] * k1;
		}
		if (w < end) {
			const k = weights[w];
			r += row[s] * k;
			g += row[s + 1] * k;
			b += row[s + 2] * k;
			a += row[s + 3] * k;
		}
		out[o] = r;
		out[o + 1] = g;
		out[o + 2] = b;
		out[o + 3] = a;
	}
}

/**
 * acc = Σ rows[k]·w[k] over the vertical window. Four rows per sweep halves the
 * load/store traffic on `acc`, which is what this loop is bound by.
 */
function filterColumns(ring: Float32Array[], ringSize: number, y0: number, n: number, weights: Float32Array, wBase: number, acc: Float32Array): void {
	const len = acc.length;
	let k = 0;
	if (n >= 4) {
		const r0 = ring[y0 % ringSize], r1 = ring[(y0 + 1) % ringSize];
		const r2 = ring[(y0 + 2) % ringSize], r3 = ring[(y0 + 3) % ringSize];
		const w0 = weights[wBase], w1 = weights[wBase + 1];
		const w2 = weights[wBase + 2], w3 = weights[wBase + 3];
		for (let i = 0; i < len; i++) acc[i] = r0[i] * w0 + r1[i] * w1 + r2[i] * w2 + r3[i] * w3;
		k = 4;
	} else {
		acc.fill(0);
	}
	for (; k + 4 <= n; k += 4) {
		const r0 = ring[(y0 + k) % ringSize], r1 = ring[(y0 + k + 1) % ringSize];
		const r2 = ring[(y0 + k + 2) % ringSize], r3 = ring[(y0 + k + 3) % ringSize];
		const w0 = weights[wBase + k], w1 = weights[wBase + k + 1];
		const w2 = weights[wBase + k + 2], w3 = weights[wBase + k + 3];
		for (let i = 0; i < len; i++) acc[i] += r0[i] * w0 + r1[i] * w1 + r2[i] * w2 + r3[i] * w3;
	}
	if (k + 2 <= n) {
		const r0 = ring[(y0 + k) % ringSize], r1 = ring[(y0 + k + 1) % ringSize];
		const w0 = weights[wBase + k], w1 = weights[wBase + k + 1];
		for (let i = 0; i < len; i++) acc[i] += r0[i] * w0 + r1[i] * w1;
		k += 2;
	}
	if (k < n) {
		const r = ring[(y0 + k) % ringSize];
		const w = weights[wBase + k];
		for (let i = 0; i < len; i++) acc[i] += r[i] * w;
	}
}

/**
 * Back to straight 8-bit RGBA. Negative lobes (lanczos, cubic) can overshoot: alpha is
 * clamped to 0..255 and colour to 0..alpha before un-premultiplying, so ringing never
 * produces colour brighter than its own coverage allows.
 */
function unpremultiplyRow(acc: Float32Array, out: Uint8ClampedArray, offset: number, width: number): void {
	for (let i = 0, d = offset, end = width * 4; i < end; i += 4, d += 4) {
		let a = acc[i + 3];
		if (a <= 0.5) {
			out[d] = out[d + 1] = out[d + 2] = out[d + 3] = 0;
			continue;
		}
		if (a > 255) a = 255;
		const f = 255 / a;
		let r = acc[i], g = acc[i + 1], b = acc[i + 2];
		r = r < 0 ? 0 : r > a ? a : r;
		g = g < 0 ? 0 : g > a ? a : g;
		b = b < 0 ? 0 : b > a ? a : b;
		// Uint8ClampedArray rounds half to even; +0.5 then truncation would be biased upwards.
		out[d] = r * f;
		out[d + 1] = g * f;
		out[d + 2] = b * f;
		out[d + 3] = a;
	}
}

// Opaque images (every photo): fixed point, RGB only.

/**
 * A weight table in fixed point: weights[i·taps + k] ≈ w·2^bits, each row summing to
 * exactly 2^bits (so a constant stays exactly constant). Rounding is done on the running
 * sum (q_k = round(2^bits·Σ_{j≤k} w_j) minus the same for k − 1), so no prefix of a row
 * is off by more than half a unit. `absSum` is the largest Σ|q| of any
 * row, which bounds every partial sum for the overflow checks. Int16 weights keep each
 * product typed as int32 in V8, so the hot loops compile to integer multiply-adds.
 */
interface FixedTable {
	start: Int32Array;
	count: Int32Array;
	weights: Int16Array;
	taps: number;
	bits: number;
	absSum: number;
}

/** `t` with `bits` fraction bits, or fewer where the largest weight would not fit in int16. */
function fixedTable(t: WeightTable, bits: number): FixedTable {
	const { taps, weights } = t;
	let maxW = 0;
	for (let i = 0; i < weights.length; i++) maxW = Math.max(maxW, Math.abs(weights[i]));
	// Rounding the running sum moves a weight by less than one unit.
	while (bits > 1 && maxW * 2 ** bits + 1 > 0x7fff) bits--;
	const start = new Int32Array(t.start);
	const count = new Int32Array(t.count);
	const q = new Int16Array(weights.length);
	const one = 2 ** bits;
	const tail = 2 ** -15;
	let absSum = 0;
	for (let i = 0, n = count.length; i < n; i++) {
		const base = i * taps;
		const c = count[i];
		// The far tails of a stretched kernel: end taps whose running sum from that end is
		// below 2^-15 (what would round to 0 at 14 bits) are dropped, their weight moved to
		// the nearest tap kept: ~3% of the taps at ÷10, for under 0.02 of a level.
		let lo = 0;
		let hi = c;
		let cum = 0;
		while (hi - lo > 1 && Math.abs(cum + weights[base + lo]) < tail) cum += weights[base + lo++];
		for (let rest = 0; hi - lo > 1 && Math.abs(rest + weights[base + hi - 1]) < tail; ) rest += weights[base + --hi];
		let prev = 0;
		let abs = 0;
		for (let k = lo; k < hi; k++) {
			cum += weights[base + k];
			const next = k === hi - 1 ? one : Math.round(cum * one);
			q[base + k - lo] = next - prev;
			abs += Math.abs(next - prev);
			prev = next;
		}
		if (abs > absSum) absSum = abs;
		start[i] += lo;
		count[i] = hi - lo;
	}
	return { start, count, weights: q, taps, bits, absSum };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * True when every pixel has alpha 255 (every photo); `words` little-endian. A pass of its
 * own over the image (~7 ms for 12 MP, bound by memory): checking each row as it goes into
 * the ring measured slower, and checking inside the filter loop slower still. ANDs 1024
 * pixels at a time and tests once, so a transparent image exits early.
 */
function allOpaque(words: Int32Array): boolean {
	for (let i = 0, n = words.length; i < n; ) {
		const end = Math.min(n, i + 1024);
		let m = -1;
		for (; i < end; i++) m &= words[i];
		if (m >>> 24 !== 255) return false;
	}
	return true;
}

/**
 * Opaque rows: output columns [x0, x1) of two source rows at once (the one starting at
 * pixel `rowOff` and the one `stride` pixels on), RGB only, straight from the pixels as
 * 32-bit words: one load per pixel instead of three, which is most of the cost of this
 * loop in V8, and each weight loaded once for both rows. Sums have `t.bits` fraction
 * bits; `shift` of them are dropped, with rounding, so the results fit the Int16 ring.
 */
function filterRowsRGB(src: Int32Array, rowOff: number, stride: number, out0: Int16Array, out1: Int16Array, t: FixedTable, x0: number, x1: number, shift: number): void {
	const { start, count, weights, taps } = t;
	const half = 1 << (shift - 1);
	for (let x = x0, o = 0; x < x1; x++, o += 3) {
		let s = rowOff + start[x];
		let w = x * taps;
		const end = w + count[x];
		let r0 = 0, g0 = 0, b0 = 0, r1 = 0, g1 = 0, b1 = 0;
		for (; w < end; w++, s++) {
			const k = weights[w];
			const p = src[s];
			const q = src[s + stride];
			r0 = (r0 + k * (p & 255)) | 0;
			g0 = (g0 + k * ((p >> 8) & 255)) | 0;
			b0 = (b0 + k * ((p >> 16) & 255)) | 0;
			r1 = (r1 + k * (q & 255)) | 0;
			g1 = (g1 + k * ((q >> 8) & 255)) | 0;
			b1 = (b1 + k * ((q >> 16) & 255)) | 0;
		}
		out0[o] = (r0 + half) >> shift;
		out0[o + 1] = (g0 + half) >> shift;
		out0[o + 2] = (b0 + half) >> shift;
		out1[o] = (r1 + half) >> shift;
		out1[o + 1] = (g1 + half) >> shift;
		out1[o + 2] = (b1 + half) >> shift;
	}
}

/**
 * Vertical pass for opaque rows, fused with the output. All but the last 1–8 rows of the
 * window are summed into `acc` four at a time (four rows per sweep halves the load/store
 * traffic on `acc`); the last sweep adds the remaining rows, rounds, drops `frac`
 * fraction bits, clamps and writes whole RGBA pixels (alpha 255) as 32-bit words: one
 * store instead of four clamped byte stores, which matters most when enlarging.
 */
function filterColumnsRGB(
	ring: Int16Array[], ringSize: number, y0: number, n: number, weights: Int16Array, wBase: number,
	acc: Int32Array, len: number, out: Int32Array, offset: number, frac: number
): void {
	let k = 0;
	if (n > 8) {
		const r0 = ring[y0 % ringSize], r1 = ring[(y0 + 1) % ringSize];
		const r2 = ring[(y0 + 2) % ringSize], r3 = ring[(y0 + 3) % ringSize];
		const w0 = weights[wBase], w1 = weights[wBase + 1];
		const w2 = weights[wBase + 2], w3 = weights[wBase + 3];
		for (let i = 0; i < len; i++) acc[i] = r0[i] * w0 + r1[i] * w1 + r2[i] * w2 + r3[i] * w3;
		for (k = 4; n - k > 8; k += 4) {
			const r0 = ring[(y0 + k) % ringSize], r1 = ring[(y0 + k + 1) % ringSize];
			const r2 = ring[(y0 + k + 2) % ringSize], r3 = ring[(y0 + k + 3) % ringSize];
			const w0 = weights[wBase + k], w1 = weights[wBase + k + 1];
			const w2 = weights[wBase + k + 2], w3 = weights[wBase + k + 3];
			for (let i = 0; i < len; i++) acc[i] = (acc[i] + r0[i] * w0 + r1[i] * w1 + r2[i] * w2 + r3[i] * w3) | 0;
		}
	} else {
		acc.fill(0, 0, len);
	}
	const half = 1 << (frac - 1);
	const m = n - k; // 1..8 rows left, one loop each so every weight and row stays in a local
	const r0 = ring[(y0 + k + 0) % ringSize], w0 = weights[wBase + k + 0];
	if (m === 1) {
		for (let i = 0, d = offset; i < len; i += 3, d++) {
			const r = (acc[i] + r0[i] * w0 + half) >> frac;
			const g = (acc[i + 1] + r0[i + 1] * w0 + half) >> frac;
			const b = (acc[i + 2] + r0[i + 2] * w0 + half) >> frac;
			out[d] = (r < 0 ? 0 : r > 255 ? 255 : r) | ((g < 0 ? 0 : g > 255 ? 255 : g) << 8) | ((b < 0 ? 0 : b > 255 ? 255 : b) << 16) | 0xff000000;
		}
		return;
	}
	const r1 = ring[(y0 + k + 1) % ringSize], w1 = weights[wBase + k + 1];
	if (m === 2) {
		for (let i = 0, d = offset; i < len; i += 3, d++) {
			const r = (acc[i] + r0[i] * w0 + r1[i] * w1 + half) >> frac;
			const g = (acc[i + 1] + r0[i + 1] * w0 + r1[i + 1] * w1 + half) >> frac;
			const b = (acc[i + 2] + r0[i + 2] * w0 + r1[i + 2] * w1 + half) >> frac;
			out[d] = (r < 0 ? 0 : r > 255 ? 255 : r) | ((g < 0 ? 0 : g > 255 ? 255 : g) << 8) | ((b < 0 ? 0 : b > 255 ? 255 : b) << 16) | 0xff000000;
		}
		return;
	}
	const r2 = ring[(y0 + k + 2) % ringSize], w2 = weights[wBase + k + 2];
	if (m === 3) {
		for (let i = 0, d = offset; i < len; i += 3, d++) {
			const r = (acc[i] + r0[i] * w0 + r1[i] * w1 + r2[i] * w2 + half) >> frac;
			const g = (acc[i + 1] + r0[i + 1] * w0 + r1[i + 1] * w1 + r2[i + 1] * w2 + half) >> frac;
			const b = (acc[i + 2] + r0[i + 2] * w0 + r1[i + 2] * w1 + r2[i + 2] * w2 + half) >> frac;
			out[d] = (r < 0 ? 0 : r > 255 ? 255 : r) | ((g < 0 ? 0 : g > 255 ? 255 : g) << 8) | ((b < 0 ? 0 : b > 255 ? 255 : b) << 16) | 0xff000000;
		}
		return;
	}
	const r3 = ring[(y0 + k + 3) % ringSize], w3 = weights[wBase + k + 3];
	if (m === 4) {
		for (let i = 0, d = offset; i < len; i += 3, d++) {
			const r = (acc[i] + r0[i] * w0 + r1[i] * w1 + r2[i] * w2 + r3[i] * w3 + half) >> frac;
			const g = (acc[i + 1] + r0[i + 1] * w0 + r1[i + 1] * w1 + r2[i + 1] * w2 + r3[i + 1] * w3 + half) >> frac;
			const b = (acc[i + 2] + r0[i + 2] * w0 + r1[i + 2] * w1 + r2[i + 2] * w2 + r3[i + 2] * w3 + half) >> frac;
			out[d] = (r < 0 ? 0 : r > 255 ? 255 : r) | ((g < 0 ? 0 : g > 255 ? 255 : g) << 8) | ((b < 0 ? 0 : b > 255 ? 255 : b) << 16) | 0xff000000;
		}
		return;
	}
	const r4 = ring[(y0 + k + 4) % ringSize], w4 = weights[wBase + k + 4];
	if (m === 5) {
		for (let i = 0, d = offset; i < len; i += 3, d++) {
			const r = (acc[i] + r0[i] * w0 + r1[i] * w1 + r2[i] * w2 + r3[i] * w3 + r4[i] * w4 + half) >> frac;
			const g = (acc[i + 1] + r0[i + 1] * w0 + r1[i + 1] * w1 + r2[i + 1] * w2 + r3[i + 1] * w3 + r4[i + 1] * w4 + half) >> frac;
			const b = (acc[i + 2] + r0[i + 2] * w0 + r1[i + 2] * w1 + r2[i + 2] * w2 + r3[i + 2] * w3 + r4[i + 2] * w4 + half) >> frac;
			out[d] = (r < 0 ? 0 : r > 255 ? 255 : r) | ((g < 0 ? 0 : g > 255 ? 255 : g) << 8) | ((b < 0 ? 0 : b > 255 ? 255 : b) << 16) | 0xff000000;
		}
		return;
	}
	const r5 = ring[(y0 + k + 5) % ringSize], w5 = weights[wBase + k + 5];
	if (m === 6) {
		for (let i = 0, d = offset; i < len; i += 3, d++) {
			const r = (acc[i] + r0[i] * w0 + r1[i] * w1 + r2[i] * w2 + r3[i] * w3 + r4[i] * w4 + r5[i] * w5 + half) >> frac;
			const g = (acc[i + 1] + r0[i + 1] * w0 + r1[i + 1] * w1 + r2[i + 1] * w2 + r3[i + 1] * w3 + r4[i + 1] * w4 + r5[i + 1] * w5 + half) >> frac;
			const b = (acc[i + 2] + r0[i + 2] * w0 + r1[i + 2] * w1 + r2[i + 2] * w2 + r3[i + 2] * w3 + r4[i + 2] * w4 + r5[i + 2] * w5 + half) >> frac;
			out[d] = (r < 0 ? 0 : r > 255 ? 255 : r) | ((g < 0 ? 0 : g > 255 ? 255 : g) << 8) | ((b < 0 ? 0 : b > 255 ? 255 : b) << 16) | 0xff000000;
		}
		return;
	}
	const r6 = ring[(y0 + k + 6) % ringSize], w6 = weights[wBase + k + 6];
	if (m === 7) {
		for (let i = 0, d = offset; i < len; i += 3, d++) {
			const r = (acc[i] + r0[i] * w0 + r1[i] * w1 + r2[i] * w2 + r3[i] * w3 + r4[i] * w4 + r5[i] * w5 + r6[i] * w6 + half) >> frac;
			const g = (acc[i + 1] + r0[i + 1] * w0 + r1[i + 1] * w1 + r2[i + 1] * w2 + r3[i + 1] * w3 + r4[i + 1] * w4 + r5[i + 1] * w5 + r6[i + 1] * w6 + half) >> frac;
			const b = (acc[i + 2] + r0[i + 2] * w0 + r1[i + 2] * w1 + r2[i + 2] * w2 + r3[i + 2] * w3 + r4[i + 2] * w4 + r5[i + 2] * w5 + r6[i + 2] * w6 + half) >> frac;
			out[d] = (r < 0 ? 0 : r > 255 ? 255 : r) | ((g < 0 ? 0 : g > 255 ? 255 : g) << 8) | ((b < 0 ? 0 : b > 255 ? 255 : b) << 16) | 0xff000000;
		}
		return;
	}
	const r7 = ring[(y0 + k + 7) % ringSize], w7 = weights[wBase + k + 7];
	for (let i = 0, d = offset; i < len; i += 3, d++) {
		const r = (acc[i] + r0[i] * w0 + r1[i] * w1 + r2[i] * w2 + r3[i] * w3 + r4[i] * w4 + r5[i] * w5 + r6[i] * w6 + r7[i] * w7 + half) >> frac;
		const g = (acc[i + 1] + r0[i + 1] * w0 + r1[i + 1] * w1 + r2[i + 1] * w2 + r3[i + 1] * w3 + r4[i + 1] * w4 + r5[i + 1] * w5 + r6[i + 1] * w6 + r7[i + 1] * w7 + half) >> frac;
		const b = (acc[i + 2] + r0[i + 2] * w0 + r1[i + 2] * w1 + r2[i + 2] * w2 + r3[i + 2] * w3 + r4[i + 2] * w4 + r5[i + 2] * w5 + r6[i + 2] * w6 + r7[i + 2] * w7 + half) >> frac;
		out[d] = (r < 0 ? 0 : r > 255 ? 255 : r) | ((g < 0 ? 0 : g > 255 ? 255 : g) << 8) | ((b < 0 ? 0 : b > 255 ? 255 : b) << 16) | 0xff000000;
	}
}

/**
 * The opaque case in fixed point (integer weights, ·2^14 or finer, as in pica and libvips):
 * integer multiply-adds straight from the pixel words, three channels instead of four, no
 * premultiplying, so V8 runs it without a single float conversion. The horizontal pass
 * keeps a few fraction bits in an Int16 ring; the bounds below guarantee that neither the
 * ring nor any int32 sum can overflow. False (nothing written) if they cannot be met,
 * which no kernel here comes near.
 */
function resizeOpaque(words: Int32Array, srcW: number, srcH: number, out: Int32Array, width: number, height: number, kernel: Kernel): boolean {
	// Precision. The rounding of the weights adds an error that grows with the window (like
	// √taps on the worst content: 0 and 255 alternating), so wide windows get more weight
	// bits: as many as int16 holds for the horizontal pass; for the vertical one, whose sums
	// must also fit int32, every bit there is one fewer kept in the ring, and on photos the
	// ring's precision matters more: 14 + log2(taps)/3 (15 at ÷2.5 and ÷10, 17 at ÷100).
	const txF = weightTable(srcW, width, kernel);
	let tx = fixedTable(txF, 22);
	// Horizontal sums: |Σ| ≤ 255·Σ|q|, kept below 2^30 to leave room for rounding.
	while (255 * tx.absSum >= 2 ** 30) {
		if (tx.bits <= 8) return false;
		tx = fixedTable(txF, tx.bits - 1);
	}
	const tyF = weightTable(srcH, height, kernel);
	const ty = fixedTable(tyF, 14 + Math.floor(Math.log2(tyF.taps) / 3));
	// The horizontal sums lose `shift` fraction bits, rounded, on their way into the Int16
	// ring: as few as keep the ring in int16 and every vertical sum (plus its rounding
	// offset) in int32. Checked here, so no loop below can overflow.
	let shift = 1;
	let frac = tx.bits - 1 + ty.bits;
	for (; ; shift++, frac--) {
		if (frac < 1) return false;
		const ringMax = Math.floor((255 * tx.absSum) / 2 ** shift) + 1;
		if (ringMax <= 0x7fff && ringMax * ty.absSum + 2 ** (frac - 1) < 2 ** 31) break;
	}

	// One row more than the window, so rows can always be filtered in pairs: the row ahead
	// lands in the slot of one that no output from here on reads.
	const ringSize = ty.taps + 1;
	const bandW = Math.max(1, Math.min(width, Math.floor(RING_BUDGET_BYTES / (ringSize * 3 * 2))));
	const ring: Int16Array[] = [];
	for (let i = 0; i < ringSize; i++) ring.push(new Int16Array(bandW * 3));
	const acc = new Int32Array(bandW * 3);

	for (let bx0 = 0; bx0 < width; bx0 += bandW) {
		const bx1 = Math.min(width, bx0 + bandW);
		const len = (bx1 - bx0) * 3;
		let filtered = 0; // source rows [0, filtered) are in the ring for this band
		for (let y = 0; y < height; y++) {
			const y0 = ty.start[y];
			const yn = ty.count[y];
			const need = y0 + yn;
			if (filtered < y0) filtered = y0;
			for (; filtered < need; filtered += 2) {
				// In pairs, one row ahead at most; the last row of an odd count goes with itself.
				const stride = filtered + 1 < srcH ? srcW : 0;
				filterRowsRGB(words, filtered * srcW, stride, ring[filtered % ringSize], ring[(filtered + 1) % ringSize], tx, bx0, bx1, shift);
			}
			filterColumnsRGB(ring, ringSize, y0, yn, ty.weights, y * ty.taps, acc, len, out, y * width + bx0, frac);
		}
	}
	return true;
}

/**
 * The general case, in floats and premultiplied alpha. Horizontal pass first, row by row,
 * into a ring of filtered rows just deep enough for the vertical kernel, so memory is a
 * few rows rather than a second full-size image.
 */
function resizeFloat(src: Uint8ClampedArray, srcW: number, srcH: number, out: Uint8ClampedArray, width: number, height: number, kernel: Kernel): void {
	const tx = weightTable(srcW, width, kernel);
	const ty = weightTable(srcH, height, kernel);
	const ringSize = ty.taps;
	// A steep vertical shrink needs a deep ring (4000 → 10 rows: ~1800 rows); past a
	// budget the output is done in vertical bands so the ring stays bounded.
	const bandW = Math.max(1, Math.min(width, Math.floor(RING_BUDGET_BYTES / (ringSize * 16))));
	const ring: Float32Array[] = [];
	for (let i = 0; i < ringSize; i++) ring.push(new Float32Array(bandW * 4));
	const srcRow = new Float32Array(srcW * 4);
	const acc = new Float32Array(bandW * 4);

	for (let bx0 = 0; bx0 < width; bx0 += bandW) {
		const bx1 = Math.min(width, bx0 + bandW);
		const bandAcc = bx1 - bx0 === bandW ? acc : acc.subarray(0, (bx1 - bx0) * 4);
		// Only the source columns this band reads are premultiplied.
		const sx0 = tx.start[bx0];
		const sx1 = tx.start[bx1 - 1] + tx.count[bx1 - 1];
		let filtered = 0; // source rows [0, filtered) are in the ring for this band
		for (let y = 0; y < height; y++) {
			const y0 = ty.start[y];
			const yn = ty.count[y];
			const need = y0 + yn;
			if (filtered < y0) filtered = y0;
			for (; filtered < need; filtered++) {
				premultiplyRow(src, (filtered * srcW + sx0) * 4, sx1 - sx0, srcRow);
				filterRow(srcRow, sx0, ring[filtered % ringSize], tx, bx0, bx1);
			}
			filterColumns(ring, ringSize, y0, yn, ty.weights, y * ty.taps, bandAcc);
			unpremultiplyRow(bandAcc, out, (y * width + bx0) * 4, bx1 - bx0);
		}
	}
}

/**
 * Resamples to width×height with a separable filter in premultiplied alpha (transparent
 * pixels carry no colour into their neighbours).
 *
 * Opaque images (every photo) take a fixed-point path with no alpha work at all, whose
 * output is within one level of the float path's; images with transparency use floats.
 */
export function resizeImage(img: RGBAImage, width: number, height: number, kernel: Kernel = 'lanczos3'): RGBAImage {
	if (!Number.isInteger(width) || width <= 0) throw invalidParam('width', 'positive integer', width);
	if (!Number.isInteger(height) || height <= 0) throw invalidParam('height', 'positive integer', height);
	if (!(KERNELS as readonly string[]).includes(kernel)) throw invalidParam('kernel', `valid kernel name (one of ${KERNELS.join(', ')})`, kernel);
	const srcW = img.width;
	const srcH = img.height;
	const src = img.data;
	if (width === srcW && height === srcH) {
		return { width, height, data: new Uint8ClampedArray(src) };
	}
	const out = new Uint8ClampedArray(width * height * 4);

	if (kernel === 'nearest') {
		// Point sampling: copy whole pixels as 32-bit words; no filtering, so no premultiply.
		const xs = weightTable(srcW, width, 'nearest').start;
		const ys = weightTable(srcH, height, 'nearest').start;
		const s32 = pixelWords(src);
		const d32 = new Uint32Array(out.buffer);
		for (let y = 0, o = 0; y < height; y++) {
			const row = ys[y] * srcW;
			for (let x = 0; x < width; x++) d32[o++] = s32[row + xs[x]];
		}
		return { width, height, data: out };
	}

	if (LITTLE_ENDIAN) {
		// Pixel words: red in the low byte, alpha in the high one.
		const u32 = pixelWords(src);
		const words = new Int32Array(u32.buffer, u32.byteOffset, u32.length);
		// (An empty source has no opaque pixels: it keeps the float path's transparent result.)
		if (words.length > 0 && allOpaque(words) && resizeOpaque(words, srcW, srcH, new Int32Array(out.buffer), width, height, kernel)) {
			return { width, height, data: out };
		}
	}
	resizeFloat(src, srcW, srcH, out, width, height, kernel);
	return { width, height, data: out };
}
