import { describe, expect, it } from 'vitest';
import { DarkroomError } from '../../src/lib/api/errors';
import { DEFAULT_LIMITS } from '../../src/lib/codecs/types';
import { validateOps } from '../../src/lib/pipeline/ops';
import { dryRun } from '../../src/lib/pipeline/plan';
import { parseCosRule, resolveCosRule } from '../../src/lib/pipeline/cos-rule';
import { transformToRequest } from '../../src/lib/pipeline/transform';

/** Output size of `rule` on a w×h image, through the real process planner. */
function size(rule: string, w: number, h: number) {
	const req = resolveCosRule(parseCosRule(rule), w, h, (n) => transformToRequest(`t_${n}`, (x) => (x === 'sq' ? 'w_100,h_100,c_cover,f_webp' : undefined)));
	const ops = validateOps(req.ops);
	const sizes = dryRun({ width: w, height: h } as never, 1, false, ops, DEFAULT_LIMITS, true);
	const last = sizes.at(-1) ?? { width: w, height: h };
	return `${last.width}x${last.height}`;
}

function err(fn: () => unknown): DarkroomError {
	try {
		fn();
	} catch (e) {
		return e as DarkroomError;
	}
	throw new Error('expected an error');
}

describe('imageMogr2/thumbnail', () => {
	it.each([
		['imageMogr2/thumbnail/!50p', '600x400'],
		['imageMogr2/thumbnail/!50px', '600x800'],
		['imageMogr2/thumbnail/!x25p', '1200x200'],
		['imageMogr2/thumbnail/400x', '400x267'],
		['imageMogr2/thumbnail/x200', '300x200'],
		['imageMogr2/thumbnail/400x400', '400x267'],
		['imageMogr2/thumbnail/400x400!', '400x400'],
		['imageMogr2/thumbnail/400x400r', '600x400'],
		['imageMogr2/thumbnail/2400x', '2400x1600'],
		['imageMogr2/thumbnail/2400x>', '1200x800'],
		['imageMogr2/thumbnail/600x<', '1200x800'],
		['imageMogr2/thumbnail/2400x<', '2400x1600'],
		['imageMogr2/thumbnail/240000@', '600x400'],
		['imageMogr2/thumbnail/1000000000@', '1200x800']
	])('%s on 1200×800 → %s', (rule, want) => expect(size(rule, 1200, 800)).toBe(want));

	it('keeps an area limit as an upper bound for odd sizes', () => {
		const [w, h] = size('imageMogr2/thumbnail/10000@', 1000, 333).split('x').map(Number);
		expect(w * h).toBeLessThanOrEqual(10000);
		expect(w * h).toBeGreaterThan(9000);
	});
});

describe('imageMogr2 crop, cut, rotate, flip, format', () => {
	it('crops from the top-left by default and at the gravity given', () => {
		expect(resolveCosRule(parseCosRule('imageMogr2/crop/300x200'), 1200, 800).ops).toEqual([{ op: 'crop', params: { x: 0, y: 0, width: 300, height: 200 } }]);
		expect(resolveCosRule(parseCosRule('imageMogr2/gravity/center/crop/300x200'), 1200, 800).ops[0].params).toEqual({ x: 450, y: 300, width: 300, height: 200 });
		expect(resolveCosRule(parseCosRule('imageMogr2/crop/300x/gravity/southeast/dx/10/dy/20'), 1200, 800).ops[0].params).toEqual({ x: 890, y: 0, width: 300, height: 800 });
		// A crop larger than the image keeps the whole side.
		expect(size('imageMogr2/crop/5000x200', 1200, 800)).toBe('1200x200');
	});

	it('chains thumbnail, crop, rotate and format in order, tracking the size', () => {
		const r = resolveCosRule(parseCosRule('imageMogr2/thumbnail/600x/gravity/center/crop/400x400/rotate/90/flip/horizontal/format/webp/quality/80!'), 1200, 800);
		expect(r.ops.map((o) => o.op)).toEqual(['resize', 'crop', 'rotate', 'flop']);
		expect(r.ops[1].params).toEqual({ x: 100, y: 0, width: 400, height: 400 });
		expect(r).toMatchObject({ format: 'webp', quality: 80 });
		expect(size('imageMogr2/cut/300x200x1000x700', 1200, 800)).toBe('200x100');
		expect(size('imageMogr2/rotate/90', 1200, 800)).toBe('800x1200');
	});

	it('maps scrop to a smart crop of that size', () => {
		expect(resolveCosRule(parseCosRule('imageMogr2/scrop/300x300'), 1200, 800).ops).toEqual([{ op: 'smart_crop', params: { aspect: '300:300', width: 300, height: 300 } }]);
		expect(size('imageMogr2/scrop/300x200', 1200, 800)).toBe('300x200');
	});

	it('names the part at fault', () => {
		expect(err(() => parseCosRule('imageMogr2/thumbnail/abc')).message).toMatch(/thumbnail spec.*for rule \(imageMogr2\/thumbnail\)/);
		expect(err(() => parseCosRule('imageMogr2/thumbnail/!0p')).message).toMatch(/1 to 1000/);
		expect(err(() => parseCosRule('imageMogr2/rotate/-5')).message).toMatch(/imageMogr2\/rotate/);
		expect(err(() => parseCosRule('imageMogr2/blur/3x2')).message).toMatch(/imageMogr2\/blur is not supported/);
		expect(err(() => parseCosRule('imageMogr2/format/gif')).status).toBe(415);
		expect(err(() => parseCosRule('imageMogr2/dx/3')).message).toMatch(/dx after a crop/);
		expect(err(() => parseCosRule('watermark/2/text/abc')).message).toMatch(/"watermark" is not a supported processor/);
		expect(err(() => parseCosRule('')).status).toBe(400);
		expect(err(() => resolveCosRule(parseCosRule('imageMogr2/cut/10x10x2000x0'), 1200, 800)).message).toMatch(/outside the 1200×800 image/);
	});
});

describe('imageView2', () => {
	it.each([
		['imageView2/0/w/400/h/300', 1200, 800, '400x267'],
		['imageView2/0/w/400/h/300', 800, 1200, '267x400'],
		['imageView2/1/w/200/h/200', 1200, 800, '200x200'],
		['imageView2/1/w/200', 1200, 800, '200x200'],
		['imageView2/2/w/400/h/400', 1200, 800, '400x267'],
		['imageView2/3/w/400/h/400', 1200, 800, '600x400'],
		['imageView2/4/w/600/h/300', 1200, 800, '600x400'],
		['imageView2/5/w/300/h/200', 800, 1200, '200x300'],
		['imageView2/2/w/400/format/png', 1200, 800, '400x267']
	])('%s on %d×%d → %s', (rule, w, h, want) => expect(size(rule, w, h)).toBe(want));

	it('carries format and quality, and checks the mode', () => {
		expect(resolveCosRule(parseCosRule('imageView2/2/w/400/format/jpg/q/75'), 10, 10)).toMatchObject({ format: 'jpeg', quality: 75 });
		expect(resolveCosRule(parseCosRule('imageView2/2/format/png'), 10, 10)).toEqual({ ops: [], format: 'png' });
		// Seed 003's own example leaves the mode out.
		expect(resolveCosRule(parseCosRule('imageView2/format/png'), 10, 10)).toEqual({ ops: [], format: 'png' });
		expect(size('imageView2/w/100', 1200, 800)).toBe('100x67');
		expect(err(() => parseCosRule('imageView2/7/w/10')).message).toMatch(/mode from 0 to 5/);
		expect(err(() => parseCosRule('imageView2/2')).message).toMatch(/w and\/or h/);
		expect(err(() => parseCosRule('imageView2/2/x/3')).message).toMatch(/imageView2\/x is not supported/);
	});
});

describe('style and pipes', () => {
	it('runs a named transformation and processors joined by |', () => {
		expect(size('style/sq', 1200, 800)).toBe('100x100');
		expect(resolveCosRule(parseCosRule('style/sq'), 1200, 800, (n) => transformToRequest(`t_${n}`, () => 'w_100,h_100,c_cover,f_webp')).format).toBe('webp');
		expect(size('imageMogr2/thumbnail/!50p|imageView2/1/w/100', 1200, 800)).toBe('100x100');
		expect(err(() => size('style/sq|imageMogr2/thumbnail/!50p', 1200, 800)).message).toMatch(/style\/<name> must come last/);
		expect(err(() => size('style/none', 1200, 800)).status).toBe(404);
	});
});

describe('ci-process=ImageRepair (seed 002 on stored objects)', () => {
	it('keeps the mask parameters and refuses other processes', () => {
		const poly = Buffer.from(JSON.stringify([[[10, 10], [60, 10], [60, 40]]])).toString('base64url');
		expect(parseCosRule(`ci-process=ImageRepair&MaskPoly=${poly}`)).toEqual({ steps: [], ignoreError: false, repair: { MaskPoly: poly } });
		expect(parseCosRule('ci-process=ImageRepair&MaskPic=aHR0cDovL3gvbS5wbmc').repair).toEqual({ MaskPic: 'aHR0cDovL3gvbS5wbmc' });
		expect(err(() => parseCosRule('ci-process=ImageRepair')).message).toMatch(/needs MaskPic .* or MaskPoly/);
		expect(err(() => parseCosRule('ci-process=AIImageCrop&MaskPoly=x')).message).toMatch(/ci-process=AIImageCrop is not supported/);
		expect(err(() => parseCosRule('ci-process=ImageRepair&MaskPoly=x&Color=red')).message).toMatch(/Color is not a parameter/);
	});
});
