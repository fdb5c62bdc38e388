/** Super-resolution planning, no model: tiles, passes, limits, and the resize op's validation. */
import { describe, expect, it } from 'vitest';
import { DarkroomError } from '../../src/lib/api/errors';
import { DEFAULT_LIMITS } from '../../src/lib/codecs/types';
import { validateResizeParams } from '../../src/lib/core/geometry';
import { AI_MAX_INPUT_PIXELS, checkAiEnlarge, planAiEnlarge, planPasses } from '../../src/lib/features/superres/passes';
import { DEFAULT_CONTEXT, DEFAULT_TILE, planSpans, planTiles } from '../../src/lib/features/superres/tiles';
import { dryRun } from '../../src/lib/pipeline/plan';
import { validateDirectOp, validateOps } from '../../src/lib/pipeline/ops';
import type { HeaderInfo } from '../../src/lib/codecs/types';

describe('planSpans / planTiles', () => {
	it('cores partition every length exactly, inputs ≤ tile, inner sides keep the context', () => {
		for (const [tile, context] of [[DEFAULT_TILE, DEFAULT_CONTEXT], [64, 12], [40, 8], [30, 14]]) {
			for (let L = 1; L <= 700; L += L < 80 ? 1 : 7) {
				const spans = planSpans(L, tile, context);
				expect(spans[0].coreStart).toBe(0);
				expect(spans[spans.length - 1].coreEnd).toBe(L);
				for (const [k, s] of spans.entries()) {
					if (k > 0) expect(s.coreStart).toBe(spans[k - 1].coreEnd);
					expect(s.coreEnd).toBeGreaterThan(s.coreStart);
					expect(s.inEnd - s.inStart).toBeLessThanOrEqual(tile);
					expect(s.inStart).toBe(Math.max(0, s.coreStart - context));
					expect(s.inEnd).toBe(Math.min(L, s.coreEnd + context));
				}
			}
		}
	});

	it('2-D: every pixel is covered by exactly one tile core (the weights sum to 1), and by the input of that tile', () => {
		for (const [w, h, tile, ctx] of [[500, 333, 64, 12], [1000, 37, 192, 12], [192, 193, 192, 12], [7, 5, 192, 12]]) {
			const owner = new Uint8Array(w * h);
			for (const { x, y } of planTiles(w, h, tile, ctx)) {
				for (let yy = y.coreStart; yy < y.coreEnd; yy++) for (let xx = x.coreStart; xx < x.coreEnd; xx++) owner[yy * w + xx]++;
				expect(x.inStart <= x.coreStart && x.coreEnd <= x.inEnd && y.inStart <= y.coreStart && y.coreEnd <= y.inEnd).toBe(true);
			}
			expect(owner.every((c) => c === 1), `${w}×${h}`).toBe(true);
		}
	});

	it('a context too large for the tile is refused', () => {
		expect(() => planSpans(100, 24, 12)).toThrow(/larger than twice the context/);
	});
});

describe('planPasses / planAiEnlarge', () => {
	it('one ×3/×4 pass up to ×4 (rdn-x2 alone loses to Lanczos); beyond: fewest passes, smallest product ≥ factor, small scales first', () => {
		const cases: [number, number[]][] = [
			[1, []], [0.5, []], [1.01, [3]], [2, [3]], [2.5, [3]], [3, [3]], [3.2, [4]], [4, [4]],
			[4.5, [2, 3]], [6, [2, 3]], [7, [2, 4]], [8, [2, 4]], [9, [3, 3]], [12, [3, 4]], [16, [4, 4]], [17, [2, 3, 3]], [64, [4, 4, 4]]
		];
		for (const [f, passes] of cases) expect(planPasses(f), `×${f}`).toEqual(passes);
	});

	it('sizes, model names and work', () => {
		expect(planAiEnlarge(100, 80, 100, 80)).toBeUndefined();
		expect(planAiEnlarge(100, 80, 50, 40)).toBeUndefined();
		expect(planAiEnlarge(100, 80, 200, 160)).toEqual({ passes: [3], model: 'rdn-x3', srWidth: 300, srHeight: 240, inputPixels: 8000 });
		// fill: one axis grows, the other shrinks: the larger factor decides.
		expect(planAiEnlarge(100, 80, 250, 40)?.passes).toEqual([3]);
		expect(planAiEnlarge(100, 100, 500, 500)).toEqual({ passes: [2, 3], model: 'rdn-x2+rdn-x3', srWidth: 600, srHeight: 600, inputPixels: 10000 + 40000 });
	});

	it('limits: the network output against maxPixels/maxDimension, the network input against AI_MAX_INPUT_PIXELS', () => {
		const limits = { maxPixels: 1_000_000, maxDimension: 65535 };
		// 800×600 ×2.5 = 2000×1500 fits 4 MP, but the ×3 network output is 2400×1800.
		const plan = planAiEnlarge(800, 600, 2000, 1500)!;
		let err: unknown;
		try {
			checkAiEnlarge(plan, 800, 600, { ...limits, maxPixels: 4_000_000 });
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(DarkroomError);
		expect((err as DarkroomError).status).toBe(413);
		expect((err as DarkroomError).message).toBe(
			"AI enlarge (kernel 'ai') of the 800×600 image runs rdn-x3 to 2400×1800 (4.3 megapixels) before the final resize; the limit is 4 megapixels and 65535 px per side. Ask for a smaller size or use kernel 'lanczos3'"
		);
		expect(() => checkAiEnlarge(planAiEnlarge(2100, 2000, 2200, 2100)!, 2100, 2000, DEFAULT_LIMITS)).toThrow(/over 4\.2 megapixels; the limit is 4\.0 megapixels of network input/);
		expect(() => checkAiEnlarge(planAiEnlarge(1000, 1000, 2000, 2000)!, 1000, 1000, DEFAULT_LIMITS)).not.toThrow();
		expect(AI_MAX_INPUT_PIXELS).toBe(4_000_000);
	});
});

describe("resize kernel 'ai': validation and the dry run", () => {
	const header = (width: number, height: number): HeaderInfo => ({ format: 'jpeg', width, height, frames: 1, hasAlpha: false, bitDepth: 8 }) as HeaderInfo;

	it('is accepted as a kernel; unknown kernels name it among the choices', () => {
		expect(validateResizeParams({ width: 10, kernel: 'ai' }).kernel).toBe('ai');
		expect(validateDirectOp('resize', { width: 10, enlarge: true, kernel: 'ai' })).toMatchObject({ op: 'resize', kernel: 'ai', enlarge: true });
		expect(() => validateResizeParams({ width: 10, kernel: 'AI' })).toThrow('Expected valid kernel name (one of lanczos3, lanczos2, cubic, linear, nearest, ai) for kernel but received "AI" of type string');
	});

	it('dry run: an AI enlarge over the limits is refused before decoding, naming the op in process', () => {
		const ops = validateOps([{ op: 'resize', params: { width: 2000, enlarge: true, kernel: 'ai' } }]);
		const limits = { ...DEFAULT_LIMITS, maxPixels: 4_000_000 };
		// 800×600 → 2000×1500 (3 MP) is within the limit; the ×3 network output (4.3 MP) is not.
		expect(() => dryRun(header(800, 600), 1, true, ops, limits, true)).toThrow(/^ops\[0\] \(resize\): AI enlarge \(kernel 'ai'\) of the 800×600 image runs rdn-x3 to 2400×1800/);
		// The same with lanczos passes, and a shrink with 'ai' is not an AI enlarge at all.
		expect(dryRun(header(800, 600), 1, true, validateOps([{ op: 'resize', params: { width: 2000, enlarge: true } }]), limits, true)).toEqual([{ width: 2000, height: 1500 }]);
		expect(dryRun(header(4000, 3000), 1, true, validateOps([{ op: 'resize', params: { width: 2000, kernel: 'ai' } }]), limits, true)).toEqual([{ width: 2000, height: 1500 }]);
		try {
			dryRun(header(800, 600), 1, true, [validateDirectOp('resize', { width: 2000, enlarge: true, kernel: 'ai' })], limits, false);
			expect.unreachable();
		} catch (e) {
			expect((e as DarkroomError).code).toBe('too_large');
			expect((e as DarkroomError).param).toBe('kernel');
		}
	});
});
