/**
 * ISNet (IS-Net, "isnet-small" from @imgly/background-removal-data) salient-object matte.
 *
 * Preprocessing: stretch-resize to inputSize², RGB, (v − 128) / 256, NCHW float32.
 * Output `output` [1,1,S,S] is the foreground alpha in 0..1.
 *
 * Input size: the exported graph is NOT size-agnostic. Its input is declared
 * [1,3,1024,1024]; feeding 512² / 768² is refused by ORT ("Got invalid dimensions"). Relaxing
 * the declared input dims (and dropping the graph's value_info shape hints) gets past that,
 * but the graph's internal Resize/Upsample nodes carry sizes baked in at export (trace) time,
 * so a Concat in stage 1 then fails ("Axis 2 has mismatched dimensions of 16 and 32").
 * Running at another size would need re-exporting the model; until then only 1024 works.
 */
import { DarkroomError } from '../../api/errors';
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';
import { getRuntime, getSession } from '../../models/session';

export const ISNET_MODEL = 'isnet-small';
/** The only input size the shipped graph accepts (see the module comment). */
export const ISNET_SIZES: readonly number[] = [1024];
export const ISNET_DEFAULT_SIZE = 1024;

export interface IsnetOptions {
	inputSize?: number;
}

/** inputSize² RGBA → NCHW float32, (v − 128) / 256. */
export function isnetInput(img: RGBAImage, size: number): Float32Array {
	const small = img.width === size && img.height === size ? img : resizeImage(img, size, size, 'linear');
	const n = size * size;
	const out = new Float32Array(3 * n);
	const d = small.data;
	for (let i = 0, j = 0; j < n; i += 4, j++) {
		out[j] = (d[i] - 128) / 256;
		out[n + j] = (d[i + 1] - 128) / 256;
		out[2 * n + j] = (d[i + 2] - 128) / 256;
	}
	return out;
}

/** Foreground alpha (0..1) of `img` at inputSize × inputSize (stretched, not letterboxed). */
export async function runIsnet(img: RGBAImage, { inputSize = ISNET_DEFAULT_SIZE }: IsnetOptions = {}): Promise<Float32Array> {
	if (!ISNET_SIZES.includes(inputSize)) {
		throw new DarkroomError(
			'invalid_parameter',
			`ISNet input size ${inputSize} is not supported: the model's graph is fixed at ${ISNET_SIZES.join(', ')}² (its internal resize sizes are baked in).`,
			'inputSize'
		);
	}
	const [{ ort }, session] = await Promise.all([getRuntime(), getSession(ISNET_MODEL)]);
	const input = new ort.Tensor('float32', isnetInput(img, inputSize), [1, 3, inputSize, inputSize]);
	const name = session.inputNames.includes('input') ? 'input' : session.inputNames[0];
	const outName = session.outputNames.includes('output') ? 'output' : session.outputNames[0];
	const r = await session.run({ [name]: input }, [outName]);
	const t = r[outName];
	const data = t.data as Float32Array;
	if (data.length !== inputSize * inputSize) {
		throw new DarkroomError('internal', `ISNet output has ${data.length} values, expected ${inputSize}².`);
	}
	const alpha = new Float32Array(data.length);
	for (let i = 0; i < data.length; i++) alpha[i] = data[i] < 0 ? 0 : data[i] > 1 ? 1 : data[i];
	t.dispose?.();
	input.dispose?.();
	return alpha;
}
