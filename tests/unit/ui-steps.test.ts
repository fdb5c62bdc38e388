import { describe, expect, it } from 'vitest';
import { createStep, locateParam, stepToOp, validateStep, type Step } from '../../src/lib/ui/steps';
import { outputFilename, formatBytes, formatPercent } from '../../src/lib/ui/format';
import { imagesIn, substituteFile, resolveMethod } from '../../src/lib/ui/console-methods';

describe('toolbox steps', () => {
	it('turns default steps into valid ops', () => {
		for (const kind of ['resize', 'crop', 'rotate', 'flip', 'flop', 'watermark', 'compress'] as const) {
			const s = createStep(kind, { width: 1000, height: 800 });
			expect(validateStep(s), kind).toEqual({});
			expect(stepToOp(s).op).toBe(kind);
		}
	});

	it('builds resize params without blanks', () => {
		const s = { ...createStep('resize'), width: '640', height: '', fit: 'cover', position: 'top' } as Step;
		expect(stepToOp(s)).toEqual({ op: 'resize', params: { width: 640, fit: 'cover', position: 'top' } });
	});

	it('validates numbers, ranges and required fields', () => {
		const crop = { ...createStep('crop'), x: '-1', y: 'abc', width: '1.5', height: '' } as Step;
		const e = validateStep(crop);
		expect(e.x?.key).toBe('validate.range');
		expect(e.y?.key).toBe('validate.number');
		expect(e.width?.key).toBe('validate.integer');
		expect(e.height?.key).toBe('validate.required');
		const resize = { ...createStep('resize'), width: '', height: '' } as Step;
		expect(validateStep(resize).width?.key).toBe('validate.resizeNeedsSize');
		const wm = { ...createStep('watermark'), text: ' ', opacity: '2', color: 'red' } as Step;
		expect(Object.keys(validateStep(wm)).sort()).toEqual(['color', 'opacity', 'text']);
	});

	it('compress by target size sends bytes', () => {
		const s = { ...createStep('compress'), mode: 'target', targetKb: '50' } as Step;
		expect(stepToOp(s)).toEqual({ op: 'compress', params: { target_bytes: 51200 } });
	});

	it('places API errors on fields', () => {
		expect(locateParam('ops[2].params.width')).toEqual({ step: 2, field: 'width' });
		expect(locateParam('ops[0].params.target_bytes')).toEqual({ step: 0, field: 'targetKb' });
		expect(locateParam('ops[1]')).toEqual({ step: 1, field: undefined });
		expect(locateParam('quality')).toEqual({ output: 'quality' });
		expect(locateParam('image')).toEqual({});
		// bare names from run-time errors: placed only when unambiguous
		expect(locateParam('width', [{ kind: 'rotate' }, { kind: 'crop' }])).toEqual({ step: 1, field: 'width' });
		expect(locateParam('width', [{ kind: 'resize' }, { kind: 'crop' }])).toEqual({});
	});
});

describe('formatting', () => {
	it('names downloads after the original', () => {
		expect(outputFilename('Holiday.JPG', 'image/webp', 800, 600)).toBe('Holiday-800x600.webp');
		expect(outputFilename('a.b.png', 'image/jpeg', 1, 2)).toBe('a.b-1x2.jpg');
		expect(outputFilename('', 'image/avif', 3, 4)).toBe('image-3x4.avif');
	});
	it('formats sizes', () => {
		expect(formatBytes(512)).toBe('512 B');
		expect(formatBytes(2048)).toBe('2.0 KB');
		expect(formatBytes(3 * 1024 ** 3)).toBe('3.00 GB');
		expect(formatBytes(10240.07 * 1024 ** 2)).toBe('10.0 GB');
		expect(formatBytes(3 * 1024 * 1024)).toBe('3.00 MB');
		expect(formatPercent(25, 100)).toBe('25%');
	});
});

describe('API console helpers', () => {
	it('substitutes "$file" deeply', () => {
		const f = new File([new Uint8Array([1])], 'x.png');
		const { value, used } = substituteFile({ items: [{ image: '$file' }], n: 1 }, f);
		expect(used).toBe(true);
		expect((value as { items: { image: unknown }[] }).items[0].image).toBe(f);
	});
	it('finds images in responses', () => {
		const found = imagesIn({ image_url: 'blob:x', data: { image_base64: 'iVBORw0KGgo' + 'A'.repeat(40) }, url: '/cdn/a.jpg' });
		expect(found.map((f) => f.key)).toEqual(['image_url', 'data.image_base64', 'url']);
		expect(found[1].src.startsWith('data:image/png;base64,')).toBe(true);
	});
	it('resolves dotted methods bound to their namespace', async () => {
		const api = { image: { transformation: { k: 2, create(this: { k: number }, r: { n: number }) { return r.n * this.k; } } } };
		expect(resolveMethod(api, 'image.transformation.create')?.({ n: 3 })).toBe(6);
		expect(resolveMethod(api, 'image.nope')).toBeUndefined();
	});
});

describe('AI steps', () => {
	it('smart crop: preset and custom aspects, auto target left to the API', () => {
		const s = createStep('smart_crop');
		expect(stepToOp(s)).toEqual({ op: 'smart_crop', params: { aspect: '1:1' } });
		if (s.kind !== 'smart_crop') throw new Error('kind');
		s.aspect = 'custom';
		s.customAspect = ' 1.91:1 ';
		s.target = 'face';
		expect(validateStep(s)).toEqual({});
		expect(stepToOp(s)).toEqual({ op: 'smart_crop', params: { aspect: '1.91:1', target: 'face' } });
		for (const bad of ['wide', '16:', ':9', '-1', '']) {
			s.customAspect = bad;
			expect(validateStep(s).aspect, bad).toEqual({ key: 'validate.aspect' });
		}
	});

	it('background removal: transparent, colour, blur, mask', () => {
		const s = createStep('background_remove');
		if (s.kind !== 'background_remove') throw new Error('kind');
		expect(stepToOp(s)).toEqual({ op: 'background_remove', params: {} });
		s.background = 'color';
		s.color = '#438edb';
		expect(stepToOp(s)).toEqual({ op: 'background_remove', params: { background: '#438edb' } });
		s.color = 'blue-ish';
		expect(validateStep(s).color).toEqual({ key: 'validate.color' });
		s.background = 'blur';
		expect(stepToOp(s)).toEqual({ op: 'background_remove', params: { background: 'blur' } });
		s.output = 'mask';
		expect(validateStep(s)).toEqual({});
		expect(stepToOp(s)).toEqual({ op: 'background_remove', params: { output: 'mask' } });
	});

	it('face blur: style, strength range, colour only for the solid box', () => {
		const s = createStep('face_blur');
		if (s.kind !== 'face_blur') throw new Error('kind');
		expect(stepToOp(s)).toEqual({ op: 'face_blur', params: { style: 'gaussian', strength: 50 } });
		s.strength = '101';
		expect(validateStep(s).strength).toEqual({ key: 'validate.range', params: { min: 0, max: 100 } });
		s.strength = '80';
		s.style = 'box';
		s.color = '#ff0000';
		expect(stepToOp(s)).toEqual({ op: 'face_blur', params: { style: 'box', strength: 80, color: '#ff0000' } });
	});

	it('resize asks for the AI kernel only when enlarging with AI on', () => {
		const s = createStep('resize', { width: 400, height: 300 });
		if (s.kind !== 'resize') throw new Error('kind');
		s.width = '1200';
		s.ai = true;
		expect((stepToOp(s).params as { kernel?: string }).kernel).toBeUndefined();
		s.enlarge = true;
		expect(stepToOp(s).params).toMatchObject({ width: 1200, enlarge: true, kernel: 'ai' });
	});
});
