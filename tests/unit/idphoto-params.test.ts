import { describe, expect, it } from 'vitest';
import { addBackgroundParams, adjustOnlyParams, idPhotoCropParams, idPhotoParams, layoutParams } from '../../src/lib/pipeline/idphoto-params';

describe('HivisionIDPhotos parameters', () => {
	it('idphoto defaults are the seed’s', () => {
		expect(idPhotoParams({})).toMatchObject({
			width: 295, height: 413, hd: true, dpi: 300, face_alignment: true,
			head_measure_ratio: 0.2, head_height_ratio: 0.45, top_distance_max: 0.12, top_distance_min: 0.1,
			face_detect_model: 'mtcnn', matting: { requested: 'modnet_photographic_portrait_matting', mode: 'quality' }
		});
	});
	it('accepts form-style strings, as the seed’s curl examples send', () => {
		expect(idPhotoParams({ height: '413', width: '295', hd: 'true', face_alignment: 'false', dpi: '300' })).toMatchObject({ height: 413, width: 295, hd: true, face_alignment: false });
	});
	it('maps every seed matting model name and rejects unknown ones', () => {
		expect(idPhotoParams({ human_matting_model: 'hivision_modnet' }).matting.mode).toBe('fast');
		expect(idPhotoParams({ human_matting_model: 'birefnet-v1-lite' }).matting.mode).toBe('quality');
		expect(() => idPhotoParams({ human_matting_model: 'u2net' })).toThrow(/human_matting_model/);
	});
	it('rejects out-of-range values with the parameter named', () => {
		expect(() => idPhotoParams({ width: -3 })).toThrow(/Expected integer between 16 and 10000 for width but received -3 of type number/);
		expect(() => idPhotoParams({ head_measure_ratio: 1.5 })).toThrow(/head_measure_ratio/);
		expect(() => idPhotoParams({ top_distance_min: 0.2, top_distance_max: 0.1 })).toThrow(/top_distance_min/);
		expect(() => idPhotoParams({ face_detect_model: 'dlib' })).toThrow(/face_detect_model/);
		expect(() => idPhotoParams({ hd: 'maybe' })).toThrow(/hd/);
	});
	it('the five beauty adjustments default to 0 (no change), as HivisionIDPhotos’ API', () => {
		expect(idPhotoParams({}).adjust).toEqual({ whitening_strength: 0, brightness_strength: 0, contrast_strength: 0, sharpen_strength: 0, saturation_strength: 0 });
		expect(idPhotoParams({ whitening_strength: '', brightness_strength: null }).adjust.brightness_strength).toBe(0);
	});
	it('adjustments take numbers or form-style numeric strings, at the ends of their ranges too', () => {
		expect(idPhotoParams({ whitening_strength: '15', brightness_strength: -5, contrast_strength: '50', sharpen_strength: 2.5, saturation_strength: '-10' }).adjust).toEqual({
			whitening_strength: 15,
			brightness_strength: -5,
			contrast_strength: 50,
			sharpen_strength: 2.5,
			saturation_strength: -10
		});
		expect(idPhotoParams({ brightness_strength: ' 25 ' }).adjust.brightness_strength).toBe(25);
	});
	it('an adjustment out of range or not a number is an invalid_parameter naming it and its range', () => {
		const cases: [string, unknown, string][] = [
			['whitening_strength', 16, 'between 0 and 15'],
			['whitening_strength', -1, 'between 0 and 15'],
			['brightness_strength', 26, 'between -5 and 25'],
			['brightness_strength', '-6', 'between -5 and 25'],
			['contrast_strength', -11, 'between -10 and 50'],
			['contrast_strength', 51, 'between -10 and 50'],
			['sharpen_strength', 5.5, 'between 0 and 5'],
			['saturation_strength', 60, 'between -10 and 50'],
			['saturation_strength', 'lots', 'between -10 and 50'],
			['sharpen_strength', true, 'between 0 and 5']
		];
		for (const [k, v, range] of cases) {
			let err: unknown;
			try {
				idPhotoParams({ [k]: v });
			} catch (e) {
				err = e;
			}
			expect(err, `${k}=${String(v)}`).toMatchObject({ code: 'invalid_parameter', status: 400, param: k });
			expect((err as Error).message).toContain(`Expected number ${range} for ${k} but received`);
		}
		expect(() => idPhotoParams({ brightness_strength: 30 })).toThrow('Expected number between -5 and 25 for brightness_strength but received 30 of type number');
	});
	it('adjust (the Darkroom addition) takes the same five and a dpi', () => {
		expect(adjustOnlyParams({ sharpen_strength: '1' })).toEqual({
			adjust: { whitening_strength: 0, brightness_strength: 0, contrast_strength: 0, sharpen_strength: 1, saturation_strength: 0 },
			dpi: 300
		});
		expect(() => adjustOnlyParams({ contrast_strength: 100 })).toThrow(/contrast_strength/);
		expect(() => adjustOnlyParams('x')).toThrow(/idphoto.adjust/);
	});
	it('idphoto_crop needs width and height', () => {
		expect(() => idPhotoCropParams({ width: 295 })).toThrow(/height/);
		expect(idPhotoCropParams({ width: 295, height: 413 })).toMatchObject({ width: 295, height: 413 });
	});
	it('add_background: colour with or without #, render 0–2, kb and dpi', () => {
		expect(addBackgroundParams({ color: '638cce' })).toEqual({ color: '638cce', render: 0, dpi: 300 });
		expect(addBackgroundParams({ color: '#FFF', render: '2', kb: '200', dpi: 350 })).toEqual({ color: '#FFF', render: 2, kb: 200, dpi: 350 });
		expect(() => addBackgroundParams({})).toThrow(/color/);
		expect(() => addBackgroundParams({ color: 'blue-ish' })).toThrow(/color/);
		expect(() => addBackgroundParams({ color: '638cce', render: 3 })).toThrow(/render/);
	});
	it('generate_layout_photos defaults', () => {
		expect(layoutParams({})).toEqual({ width: 295, height: 413, dpi: 300 });
		expect(() => layoutParams({ kb: 0 })).toThrow(/kb/);
	});
});
