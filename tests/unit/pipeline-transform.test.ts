import { describe, expect, it } from 'vitest';
import { DarkroomError } from '../../src/lib/api/errors';
import { DEFAULT_LIMITS } from '../../src/lib/codecs/types';
import { validateOps } from '../../src/lib/pipeline/ops';
import { dryRun } from '../../src/lib/pipeline/plan';
import { checkName, normalizeTransformObject, parseTransformString, transformToRequest, transformToString, type ImageTransform } from '../../src/lib/pipeline/transform';

/** The size process would produce from a w×h source for this request (the real planner). */
function outSize(req: { ops: { op: string; params: Record<string, unknown> }[] }, width: number, height: number) {
	const ops = validateOps(req.ops);
	const sizes = dryRun({ width, height } as never, 1, false, ops, DEFAULT_LIMITS, true);
	return sizes.at(-1) ?? { width, height };
}

function err(fn: () => unknown): DarkroomError {
	try {
		fn();
	} catch (e) {
		return e as DarkroomError;
	}
	throw new Error('expected an error');
}

describe('compact transform strings', () => {
	it('parses the issue example into resize + output options', () => {
		const r = transformToRequest('w_400,h_300,c_cover,f_webp,q_80');
		expect(r).toEqual({ ops: [{ op: 'resize', params: { width: 400, height: 300, fit: 'cover' } }], format: 'webp', quality: 80 });
		expect(outSize(r, 1920, 1080)).toEqual({ width: 400, height: 300 });
	});

	it('maps fit aliases, gravity, background, enlarge, rotate and mirror', () => {
		expect(parseTransformString('c_pad').fit).toBe('contain');
		expect(parseTransformString('c_fit').fit).toBe('inside');
		expect(parseTransformString('c_scale').fit).toBe('fill');
		expect(parseTransformString('c_limit')).toEqual({ fit: 'inside', enlarge: false });
		const r = transformToRequest('w_200,h_200,c_contain,g_south_east,b_ff0000,e_1,a_90,fl_h');
		expect(r.ops).toEqual([
			{ op: 'resize', params: { width: 200, height: 200, fit: 'contain', position: 'south_east', background: '#ff0000', enlarge: true } },
			{ op: 'rotate', params: { degrees: 90, background: '#ff0000' } },
			{ op: 'flop', params: {} }
		]);
		// Valid for process as it stands, and the size follows: 100×50 enlarged into 200×200, turned.
		expect(outSize(r, 100, 50)).toEqual({ width: 200, height: 200 });
	});

	it('round-trips through transformToString', () => {
		for (const s of ['w_400,h_300,c_cover,f_webp,q_80', 'w_64,c_inside,e_0,k_cubic', 'h_10,g_north,b_transparent,a_-45,fl_hv,f_png']) {
			const t = parseTransformString(s);
			expect(parseTransformString(transformToString(t))).toEqual(t);
		}
	});

	it('names the bad part of a string', () => {
		expect(err(() => parseTransformString('w_0')).message).toMatch(/integer from 1 to 65535 for transform \(w_\)/);
		expect(err(() => parseTransformString('w_400,w_500')).message).toMatch(/w_ is repeated/);
		expect(err(() => parseTransformString('z_1')).message).toMatch(/"z_" is not one/);
		expect(err(() => parseTransformString('c_stretch')).message).toMatch(/a fit/);
		expect(err(() => parseTransformString('f_gif')).message).toMatch(/jpeg, png, webp, avif/);
		expect(err(() => parseTransformString('q_101')).message).toMatch(/1 to 100/);
		expect(err(() => parseTransformString('w400')).message).toMatch(/key_value/);
		expect(err(() => parseTransformString('')).status).toBe(400);
		expect(err(() => parseTransformString('g_sideways')).message).toMatch(/gravity/);
		expect(err(() => parseTransformString('t_thumb,w_100')).message).toMatch(/t_ combined only with f_ and q_/);
	});
});

describe('named transformations', () => {
	const store: Record<string, ImageTransform | string> = {
		thumb: { width: 200, height: 200, fit: 'cover', format: 'jpeg', quality: 70 },
		card: 't_thumb',
		loop1: 't_loop2',
		loop2: 't_loop1',
		chain: { ops: [{ op: 'smart_crop', params: { aspect: '1:1' } }, { op: 'resize', params: { width: 64 } }], format: 'png' }
	};
	const lookup = (n: string) => store[n];

	it('resolves t_<name>, with f_/q_ overriding the output only', () => {
		expect(transformToRequest('t_thumb', lookup)).toEqual({ ops: [{ op: 'resize', params: { width: 200, height: 200, fit: 'cover' } }], format: 'jpeg', quality: 70 });
		expect(transformToRequest('t_thumb,f_webp', lookup)).toMatchObject({ format: 'webp', quality: 70 });
		expect(transformToRequest('t_card', lookup).ops[0].params.width).toBe(200);
		expect(transformToRequest('t_chain', lookup).ops.map((o) => o.op)).toEqual(['smart_crop', 'resize']);
	});

	it('404s an unknown name and refuses a cycle', () => {
		const e = err(() => transformToRequest('t_nope', lookup));
		expect(e.status).toBe(404);
		expect(e.message).toMatch(/No named transformation "nope"/);
		expect(err(() => transformToRequest('t_loop1', lookup)).message).toMatch(/nested at most 8 deep/);
	});

	it('checks names', () => {
		expect(checkName('thumb_200.v2')).toBe('thumb_200.v2');
		for (const bad of ['', '_x', 'a b', 'x'.repeat(65), 'a/b', 3]) expect(() => checkName(bad)).toThrow(/name of 1–64/);
	});
});

describe('transform objects', () => {
	it('accepts the seed-style object and ops', () => {
		expect(transformToRequest({ width: 800, format: 'jpg', quality: 82 })).toEqual({ ops: [{ op: 'resize', params: { width: 800 } }], format: 'jpeg', quality: 82 });
		const r = transformToRequest({ ops: [{ op: 'crop', params: { x: 0, y: 0, width: 10, height: 10 } }] });
		expect(outSize(r, 100, 100)).toEqual({ width: 10, height: 10 });
	});

	it('names the bad key', () => {
		expect(err(() => normalizeTransformObject({ widht: 3 })).param).toBe('transform.widht');
		expect(err(() => normalizeTransformObject({ width: -1 })).message).toMatch(/transform\.width/);
		expect(err(() => normalizeTransformObject({ flip: 'yes' })).param).toBe('transform.flip');
		expect(err(() => normalizeTransformObject({ ops: [] })).param).toBe('transform.ops');
		expect(err(() => normalizeTransformObject({ ops: [{ params: {} }] })).param).toBe('transform.ops[0]');
		expect(err(() => normalizeTransformObject(null)).status).toBe(400);
		expect(() => transformToString({ ops: [{ op: 'flip' }] })).toThrow(/no compact string form/);
	});
});
