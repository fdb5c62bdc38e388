import { describe, expect, it } from 'vitest';
import { compactOf, compactToFields, editableInForm, emptyFields, fieldsToCompact, fieldsToTransform } from '../../src/lib/ui/transformations/form';
import { parseTransformString } from '../../src/lib/pipeline/transform';

describe('transformation form ↔ compact string', () => {
	it('writes the compact string the grammar reads back to the same transform', () => {
		const f = { ...emptyFields(), width: '400', height: '300', fit: 'cover', gravity: 'south_east', background: 'fff', format: 'webp', quality: '80', rotate: '90', flop: true, enlarge: true };
		const s = fieldsToCompact(f)!;
		expect(s).toBe('w_400,h_300,c_cover,g_south_east,b_fff,e_1,a_90,fl_h,f_webp,q_80');
		expect(parseTransformString(s)).toMatchObject({ width: 400, height: 300, fit: 'cover', background: '#fff', enlarge: true, rotate: 90, flop: true, format: 'webp', quality: 80 });
		expect(compactToFields(s).fields).toEqual(f);
	});

	it('puts a message on each wrong field and writes no string', () => {
		const r = fieldsToTransform({ ...emptyFields(), width: '12.5', height: '0', quality: '101', rotate: 'x', background: 'red' });
		expect(r.transform).toBeUndefined();
		expect(r.errors).toEqual({
			width: { key: 'validate.integer' },
			height: { key: 'validate.range', params: { min: 1, max: 65535 } },
			quality: { key: 'validate.range', params: { min: 1, max: 100 } },
			rotate: { key: 'validate.number' },
			background: { key: 'validate.color' }
		});
		expect(fieldsToCompact({ ...emptyFields(), width: 'abc' })).toBeUndefined();
	});

	it('reads any gravity spelling as the form option for it, and reports t_ references', () => {
		expect(compactToFields('w_10,g_top-left').fields.gravity).toBe('north_west');
		expect(compactToFields('w_10,g_northeast').fields.gravity).toBe('north_east');
		expect(compactToFields('t_thumb,f_png')).toMatchObject({ named: 'thumb', fields: { format: 'png', width: '' } });
	});

	it('refuses a wrong string with the grammar error naming the part', () => {
		expect(() => compactToFields('w_400,h_0')).toThrow(/transform \(h_\)/);
		expect(() => compactToFields('zz_1')).toThrow(/"zz_" is not one/);
	});

	it('shows stored transforms: strings as they are, objects compacted, ops as JSON (not form-editable)', () => {
		expect(compactOf('w_1,f_png')).toBe('w_1,f_png');
		expect(compactOf({ width: 200, format: 'webp' })).toBe('w_200,f_webp');
		const ops = { ops: [{ op: 'blur', params: { sigma: 2 } }] };
		expect(compactOf(ops)).toBe(JSON.stringify(ops));
		expect(editableInForm(ops)).toBe(false);
		expect(editableInForm({ width: 3 })).toBe(true);
	});
});
