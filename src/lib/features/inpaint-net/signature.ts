/**
 * Which of the two supported signatures an ONNX model has, read from the names, element types
 * and shapes ONNX Runtime reports for its inputs and outputs (`session.inputMetadata`), and
 * the checks on a validation run's output. Pure: the ORT calls live in session.ts.
 */
import { EXPECTED_SIGNATURES, InpainterError } from './errors';
import type { InpainterKind } from './types';

/** One input or output as ORT describes it; `shape` holds numbers or symbolic names (unknown when absent). */
export interface TensorMeta {
	name: string;
	isTensor?: boolean;
	type?: string;
	shape?: readonly (number | string)[];
}

export interface Signature {
	kind: InpainterKind;
	inputs: { image: string; mask: string };
	output: string;
}

/** LaMa's fixed side. */
export const LAMA_SIZE = 512;

/** `image float32 [1,3,512,512]`, for messages. */
export function describeTensor(m: TensorMeta): string {
	const shape = m.shape && m.shape.length ? ` [${m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' && d ? d : '?')).join(',')}]` : '';
	return `${m.name}${m.isTensor === false ? ' (not a tensor)' : m.type ? ` ${m.type}` : ''}${shape}`;
}

function wrong(inputs: readonly TensorMeta[], outputs: readonly TensorMeta[], why: string): InpainterError {
	const has = `inputs ${inputs.map(describeTensor).join(', ') || 'none'}; outputs ${outputs.map(describeTensor).join(', ') || 'none'}`;
	return new InpainterError('unprocessable', 'wrong_signature', `Expected ${EXPECTED_SIGNATURES} but the model has ${has} (${why})`, 'file', { has, why });
}

const known = (d: number | string | undefined): d is number => typeof d === 'number' && d > 0;

function pick(list: readonly TensorMeta[], word: string): TensorMeta | undefined {
	return list.find((m) => m.name.toLowerCase() === word) ?? list.find((m) => m.name.toLowerCase().includes(word));
}

/**
 * The signature of a model from its inputs and outputs. Throws an InpainterError
 * ('wrong_signature', 422) that says what was expected and what the model has.
 */
export function detectSignature(inputs: readonly TensorMeta[], outputs: readonly TensorMeta[]): Signature {
	if (inputs.length !== 2) return fail(`${inputs.length} input${inputs.length === 1 ? '' : 's'} instead of 2`);
	const image = pick(inputs, 'image') ?? pick(inputs, 'img');
	const mask = pick(inputs, 'mask');
	if (!image || !mask || image === mask) return fail('no inputs named image and mask');
	if (image.isTensor === false || mask.isTensor === false) return fail('image and mask must be tensors');
	if (outputs.length < 1) return fail('no output');
	const output = pick(outputs, 'output') ?? pick(outputs, 'result') ?? outputs[0];
	let kind: InpainterKind;
	if (image.type === 'uint8' && mask.type === 'uint8') kind = 'migan';
	else if (image.type === 'float32' && mask.type === 'float32') kind = 'lama';
	else return fail(`image is ${image.type ?? 'of unknown type'} and mask ${mask.type ?? 'of unknown type'}: both must be uint8 (MI-GAN) or both float32 (LaMa)`);

	for (const [m, ch] of [[image, 3], [mask, 1]] as const) {
		const s = m.shape;
		if (!s || s.length === 0) continue; // shape not reported: the validation run decides
		if (s.length !== 4) return fail(`${m.name} has ${s.length} dimensions instead of 4`);
		if (known(s[0]) && s[0] !== 1) return fail(`${m.name} has batch ${s[0]} instead of 1`);
		if (known(s[1]) && s[1] !== ch) return fail(`${m.name} has ${s[1]} channels instead of ${ch}`);
		if (kind === 'lama' && ((known(s[2]) && s[2] !== LAMA_SIZE) || (known(s[3]) && s[3] !== LAMA_SIZE)))
			return fail(`a float32 (LaMa) model must take ${LAMA_SIZE}×${LAMA_SIZE}, not ${s[2]}×${s[3]}`);
		if (kind === 'migan' && (known(s[2]) || known(s[3]))) return fail(`a uint8 (MI-GAN pipeline v2) model must take any height and width, not a fixed ${s[2]}×${s[3]}`);
	}
	const o = output.shape;
	if (o && o.length && (o.length !== 4 || (known(o[1]) && o[1] !== 3))) return fail(`output ${output.name} is not [1,3,H,W]`);
	return { kind, inputs: { image: image.name, mask: mask.name }, output: output.name };

	function fail(why: string): never {
		throw wrong(inputs, outputs, why);
	}
}

/** Checks what a validation run answered: [1,3,h,w] of the right element type. */
export function checkRunOutput(kind: InpainterKind, name: string, type: string, dims: readonly number[], w: number, h: number): void {
	const okType = kind === 'migan' ? type === 'uint8' : type === 'float32' || type === 'uint8';
	const okDims = dims.length === 4 && dims[0] === 1 && dims[1] === 3 && dims[2] === h && dims[3] === w;
	if (!okType || !okDims) {
		const want = `${kind === 'migan' ? 'uint8' : 'float32'} [1,3,${h},${w}]`;
		const got = `${type} [${dims.join(',')}]`;
		throw new InpainterError('unprocessable', 'wrong_signature', `Expected the output ${name} of a test run on ${w}×${h} to be ${want} but it was ${got}`, 'file', {
			has: `output ${name} ${got}`,
			why: `expected ${want}`
		});
	}
}

/**
 * LaMa exports differ in their output range (0..1 or 0..255). The validation run feeds a
 * mid-grey (0.5) image, so the median output over the kept pixels is ≈ 0.5 or ≈ 127.5.
 */
export function outputScaleFrom(values: ArrayLike<number>, keep: (i: number) => boolean): 1 | 255 {
	const v: number[] = [];
	for (let i = 0; i < values.length; i++) if (keep(i) && Number.isFinite(values[i])) v.push(values[i]);
	if (!v.length) return 1;
	v.sort((a, b) => a - b);
	return v[v.length >> 1] > 4 ? 255 : 1;
}
