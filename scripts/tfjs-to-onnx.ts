/**
 * tfjs models (model.json + weight shards) → ONNX ModelProto bytes (opset 13).
 *
 * Two input formats:
 *   - graph models (`modelTopology.node[]`, TensorFlow ops): convertTfjsGraph. Keeps tfjs'
 *     NHWC layout throughout; only the ops that need channels-first in ONNX (Conv,
 *     ConvTranspose, pools, Resize) are wrapped in Transpose NHWC→NCHW→op→NHWC.
 *     Filters are re-arranged at conversion time (HWIO → OIHW; depthwise HWCM → (C·M)1HW
 *     with group = C; Conv2DBackpropInput HW(out)(in) → (in)(out)HW).
 *     TF 'SAME' padding → auto_pad SAME_UPPER for Conv/pools (TF puts the odd pixel at the
 *     end too); for ConvTranspose the pads are computed from the known output size.
 *   - layers models (Keras functional topology in `modelTopology.model_config`):
 *     convertTfjsLayers. The ONNX model keeps the NHWC input and output of the tfjs model
 *     but runs channels-first inside (one Transpose at each end), so unknown (null) batch,
 *     height and width stay dynamic in the ONNX input.
 * convertTfjs picks the right one. Anything outside the supported ops / layers fails with
 * a TfjsToOnnxError naming them.
 *
 * This file is compiled by scripts/prepare-models.mjs (ts.transpileModule, cached under
 * node_modules/.cache/darkroom-models/) and imported directly by the unit tests.
 */
import { createRequire } from 'node:module';
import type { onnx } from 'onnx-proto';

type OnnxNs = typeof onnx;
let onnxNs: OnnxNs | undefined;
/**
 * onnx-proto (CommonJS, a dev dependency) is loaded on first conversion only, so that
 * importing this module costs nothing until a model is actually converted.
 */
const onnxProto = (): OnnxNs => (onnxNs ??= (createRequire(import.meta.url)('onnx-proto') as { onnx: OnnxNs }).onnx);

export const OPSET = 13;

// ---------------------------------------------------------------- types

/** A weight as tfjs describes it in weightsManifest. */
export interface WeightSpec {
	name: string;
	shape: number[];
	dtype: string;
	quantization?: { dtype: string; min?: number; scale?: number; original_dtype?: string };
}
export interface WeightGroup {
	paths: string[];
	weights: WeightSpec[];
}
/** A weight as stored: float16, or uint8/uint16 with value = q · scale + min. */
export interface StoredWeight {
	dtype: 'float16' | 'uint8' | 'uint16';
	raw: Uint8Array | Uint16Array;
	scale: number;
	min: number;
}
/** A decoded weight, always float32 or int32 (plus its stored form when it was compressed). */
export interface Tensor {
	dtype: 'float32' | 'int32';
	shape: number[];
	data: Float32Array | Int32Array;
	stored?: StoredWeight;
}

/** One attr value of a graph node (the JSON form of tensorflow.AttrValue). */
export interface TfjsAttr {
	s?: string;
	b?: boolean;
	i?: string | number;
	f?: number | string;
	type?: string;
	list?: { i?: (string | number)[]; s?: string[]; f?: (number | string)[] };
	shape?: { dim?: { size: string | number }[] };
	tensor?: unknown;
}
export interface TfjsNode {
	name: string;
	op: string;
	input?: string[];
	attr?: Record<string, TfjsAttr>;
}
interface SignatureTensor {
	name?: string;
	dtype?: string;
	tensorShape?: { dim?: { size: string | number }[] };
}
export interface Signature {
	inputs?: Record<string, SignatureTensor>;
	outputs?: Record<string, SignatureTensor>;
}
export interface TfjsGraphModelJson {
	format?: string;
	modelTopology: { node: TfjsNode[]; [k: string]: unknown };
	weightsManifest: WeightGroup[];
	signature?: Signature;
	userDefinedMetadata?: { signature?: Signature };
}

/** Keras layer config as saved by tfjs (only the fields this converter reads). */
export interface KerasLayer {
	class_name: string;
	name?: string;
	config: Record<string, unknown> & { name: string };
	inbound_nodes?: unknown[];
}
export interface KerasModelConfig {
	class_name: string;
	config: { name?: string; layers: KerasLayer[]; input_layers: unknown[]; output_layers: unknown[] };
}
export interface TfjsLayersModelJson {
	format?: string;
	/** Python converter: { keras_version, backend, model_config }; tfjs' own model.save(): the model config itself. */
	modelTopology: ({ model_config?: KerasModelConfig } | KerasModelConfig) & { [k: string]: unknown };
	weightsManifest: WeightGroup[];
}
export type TfjsModelJson = TfjsGraphModelJson | TfjsLayersModelJson;

export interface ConvertOptions {
	producerName?: string;
	graphName?: string;
	/**
	 * Graph models only: keep float16 and uint8/uint16-quantised weights compressed in the
	 * ONNX file (float16 / uint8 / uint16 initializers followed by Cast, and Mul + Add for the
	 * quantised ones), so the file is about as small as the tfjs weights; onnxruntime folds
	 * these constants back to float32 when the session is created. Default false (float32).
	 */
	compressWeights?: boolean;
	/**
	 * Graph models only: the tensors to expose as ONNX outputs (e.g. 'tower_0/keypoints'),
	 * instead of the signature's; the graph is cut there, so post-processing ops behind
	 * them (TopK, Gather, …) need no conversion.
	 */
	outputs?: string[];
}

export type WeightBuffers = Uint8Array | ArrayBuffer | (Uint8Array | ArrayBuffer)[];

/** Ops this converter understands (Const and Placeholder included). */
export const SUPPORTED_OPS = [
	'Const', 'Placeholder', 'Identity', 'Conv2D', '_FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative',
	'Conv2DBackpropInput', 'MaxPool', 'AvgPool', 'ResizeBilinear', 'Add', 'AddV2', 'BiasAdd', 'AddN', 'Sub', 'Mul', 'RealDiv',
	'Relu', 'Relu6', 'Sigmoid', 'Tanh', 'Prelu', 'Softmax', 'ConcatV2', 'Pad', 'Reshape', 'MatMul', '_FusedMatMul', 'Squeeze', 'Mean'
];

/** Keras layer classes convertTfjsLayers understands. */
export const SUPPORTED_LAYERS = ['InputLayer', 'Conv2D', 'Activation', 'ReLU', 'LeakyReLU', 'Add', 'Multiply', 'Concatenate', 'UpSampling2D'];

export class TfjsToOnnxError extends Error {
	constructor(message: string) {
		super(`tfjs-to-onnx: ${message}`);
		this.name = 'TfjsToOnnxError';
	}
}

// ---------------------------------------------------------------- weights

/** IEEE half → float. */
function halfToFloat(h: number): number {
	const s = h & 0x8000 ? -1 : 1;
	const e = (h >> 10) & 0x1f;
	const f = h & 0x3ff;
	if (e === 0) return s * f * 2 ** -24;
	if (e === 31) return f ? NaN : s * Infinity;
	return s * (1 + f / 1024) * 2 ** (e - 15);
}

const STORED_SIZE: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1, int8: 1 };

/**
 * Decodes every weight of a tfjs weightsManifest from the concatenated shard bytes
 * (in manifest order). float16 and uint8/uint16 (min/scale) quantisation → float32.
 */
export function decodeWeights(manifest: WeightGroup[], bytes: Uint8Array): Map<string, Tensor> {
	const out = new Map<string, Tensor>();
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let off = 0;
	for (const group of manifest) {
		for (const w of group.weights) {
			const n = w.shape.reduce((a, b) => a * b, 1);
			const q = w.quantization;
			const stored = q ? q.dtype : w.dtype;
			const size = STORED_SIZE[stored];
			if (!size) throw new TfjsToOnnxError(`weight ${w.name}: unsupported stored dtype ${stored}`);
			if (off + n * size > bytes.byteLength) throw new TfjsToOnnxError(`weight ${w.name}: weight data too short (need ${off + n * size} bytes, have ${bytes.byteLength})`);
			const target = w.dtype === 'int32' ? 'int32' : w.dtype === 'float32' ? 'float32' : null;
			if (!target) throw new TfjsToOnnxError(`weight ${w.name}: unsupported dtype ${w.dtype}`);
			const data = target === 'int32' ? new Int32Array(n) : new Float32Array(n);
			const scale = q?.scale ?? 1;
			const min = q?.min ?? 0;
			const compressed = target === 'float32' && (stored === 'float16' || stored === 'uint8' || stored === 'uint16');
			const raw = compressed ? (stored === 'uint8' ? new Uint8Array(n) : new Uint16Array(n)) : undefined;
			for (let i = 0; i < n; i++) {
				const p = off + i * size;
				let v: number;
				if (stored === 'float32') v = view.getFloat32(p, true);
				else if (stored === 'int32') v = view.getInt32(p, true);
				else if (stored === 'float16') v = halfToFloat(view.getUint16(p, true));
				else if (stored === 'uint16') v = view.getUint16(p, true);
				else if (stored === 'uint8') v = view.getUint8(p);
				else v = view.getInt8(p);
				if (raw) raw[i] = stored === 'float16' || stored === 'uint16' ? view.getUint16(p, true) : view.getUint8(p);
				if (q && (stored === 'uint8' || stored === 'uint16')) v = v * scale + min;
				data[i] = v;
			}
			off += n * size;
			const t: Tensor = { dtype: target, shape: w.shape, data };
			if (raw) t.stored = { dtype: stored as StoredWeight['dtype'], raw, scale: stored === 'float16' ? 1 : scale, min: stored === 'float16' ? 0 : min };
			out.set(w.name, t);
		}
	}
	return out;
}

/** The source index of every output element when permuting a row-major tensor of `shape` by `perm`. */
function permutation(shape: number[], perm: number[]): { index: Uint32Array; shape: number[] } {
	const outShape = perm.map((p) => shape[p]);
	const inStride = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
	const stride = perm.map((p) => inStride[p]);
	const index = new Uint32Array(shape.reduce((a, b) => a * b, 1));
	const idx: number[] = new Array<number>(shape.length).fill(0);
	for (let o = 0; o < index.length; o++) {
		let src = 0;
		for (let d = 0; d < idx.length; d++) src += idx[d] * stride[d];
		index[o] = src;
		for (let d = idx.length - 1; d >= 0; d--) {
			if (++idx[d] < outShape[d]) break;
			idx[d] = 0;
		}
	}
	return { index, shape: outShape };
}

/** Permutes a float32 weight (and its stored form, if any), giving it `newShape` (default: the permuted shape). */
function permute(t: Tensor, perm: number[], newShape?: number[]): Tensor & { data: Float32Array } {
	const { index, shape } = permutation(t.shape, perm);
	const data = new Float32Array(index.length);
	for (let o = 0; o < index.length; o++) data[o] = t.data[index[o]];
	const out: Tensor & { data: Float32Array } = { dtype: 'float32', shape: newShape ?? shape, data };
	if (t.stored) {
		const raw = t.stored.raw instanceof Uint8Array ? new Uint8Array(index.length) : new Uint16Array(index.length);
		for (let o = 0; o < index.length; o++) raw[o] = t.stored.raw[index[o]];
		out.stored = { ...t.stored, raw };
	}
	return out;
}

function joinBuffers(weightBuffers: WeightBuffers): Uint8Array {
	const parts = (Array.isArray(weightBuffers) ? weightBuffers : [weightBuffers]).map((b) => (b instanceof Uint8Array ? b : new Uint8Array(b)));
	if (parts.length === 1) return parts[0];
	const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
	let off = 0;
	for (const p of parts) {
		out.set(p, off);
		off += p.length;
	}
	return out;
}

// ---------------------------------------------------------------- ONNX building

const DT = { float32: 1, int32: 6, int64: 7 } as const;
type OnnxDtype = keyof typeof DT;
const AT = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;
const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

type AttrType = onnx.AttributeProto.AttributeType;
const ints = (name: string, v: number[]): onnx.IAttributeProto => ({ name, type: AT.INTS as AttrType, ints: v });
const int = (name: string, v: number): onnx.IAttributeProto => ({ name, type: AT.INT as AttrType, i: v });
const float = (name: string, v: number): onnx.IAttributeProto => ({ name, type: AT.FLOAT as AttrType, f: v });
const str = (name: string, v: string): onnx.IAttributeProto => ({ name, type: AT.STRING as AttrType, s: new TextEncoder().encode(v) });

/** Accumulates nodes and initializers; shared by the graph and the layers converter. */
class OnnxBuilder {
	readonly nodes: onnx.INodeProto[] = [];
	readonly initializers: onnx.ITensorProto[] = [];
	readonly inputs: onnx.IValueInfoProto[] = [];
	readonly initNames = new Set<string>();
	private uid = 0;

	tmp(base: string): string {
		return `${base}/__onnx_${this.uid++}`;
	}

	addInit(name: string, dtype: OnnxDtype, dims: number[], data: ArrayLike<number> & { buffer?: ArrayBufferLike }): string {
		if (this.initNames.has(name)) return name;
		this.initNames.add(name);
		let raw: Uint8Array;
		if (dtype === 'int64') raw = new Uint8Array(BigInt64Array.from(Array.from(data, (v) => BigInt(v))).buffer);
		else if (data instanceof Float32Array || data instanceof Int32Array) raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
		else raw = new Uint8Array((dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data)).buffer);
		this.initializers.push({ name, dataType: DT[dtype], dims, rawData: raw });
		return name;
	}

	/**
	 * A weight as initializer `name`: float32 (or int32) as is, or, with `compress` and a
	 * stored form, the stored values plus Cast (→ float32) and, for uint8/uint16, Mul by
	 * scale and Add min, the last node writing `name`.
	 */
	addWeight(name: string, t: Tensor, compress: boolean): string {
		const st = t.stored;
		if (!compress || !st || t.dtype !== 'float32') return this.addInit(name, t.dtype, t.shape, t.data);
		if (this.initNames.has(name)) return name;
		this.initNames.add(name);
		const rawName = `${name}/__${st.dtype}`;
		const dataType = { float16: 10, uint8: 2, uint16: 4 }[st.dtype];
		this.initializers.push({ name: rawName, dataType, dims: t.shape, rawData: new Uint8Array(st.raw.buffer, st.raw.byteOffset, st.raw.byteLength).slice() });
		if (st.dtype === 'float16') {
			this.emit('Cast', [rawName], [name], [int('to', DT.float32)]);
			return name;
		}
		const f = this.emit('Cast', [rawName], [`${name}/__f32`], [int('to', DT.float32)]);
		const scaled = this.emit('Mul', [f, this.addInit(`${name}/__scale`, 'float32', [], new Float32Array([st.scale]))], [`${name}/__scaled`]);
		this.emit('Add', [scaled, this.addInit(`${name}/__min`, 'float32', [], new Float32Array([st.min]))], [name]);
		return name;
	}

	scalar(v: number): string {
		return this.addInit(`__const_f32_${v}`, 'float32', [], new Float32Array([v]));
	}

	emit(opType: string, ins: string[], outs: string[], attribute: onnx.IAttributeProto[] = [], name: string = outs[0]): string {
		this.nodes.push({ opType, input: ins, output: outs, attribute, name });
		return outs[0];
	}

	/** NHWC x → Transpose → op(NCHW) → Transpose → NHWC out. */
	channelsFirst(base: string, x: string, make: (xt: string) => string, out: string): string {
		const xt = this.emit('Transpose', [x], [this.tmp(base)], [ints('perm', NHWC_TO_NCHW)]);
		const y = make(xt);
		return this.emit('Transpose', [y], [out], [ints('perm', NCHW_TO_NHWC)]);
	}

	encode(graphName: string, producerName: string, outputs: onnx.IValueInfoProto[]): Uint8Array {
		const o = onnxProto();
		const model = o.ModelProto.create({
			irVersion: 7,
			producerName,
			producerVersion: '1',
			opsetImport: [{ domain: '', version: OPSET }],
			graph: { name: graphName, node: this.nodes, initializer: this.initializers, input: this.inputs, output: outputs }
		});
		return o.ModelProto.encode(model).finish();
	}
}

/** A float32 tensor value info; a dim ≤ 0 or null becomes the symbolic dim `names[i]`. */
function valueInfo(name: string, dims: (number | null)[] | undefined, names: string[] = ['N']): onnx.IValueInfoProto {
	const tensorType: onnx.TypeProto.ITensor = { elemType: DT.float32 };
	if (dims) tensorType.shape = { dim: dims.map((d, i) => (d !== null && d > 0 ? { dimValue: d } : { dimParam: names[Math.min(i, names.length - 1)] })) };
	return { name, type: { tensorType } };
}

function filterOIHW(f: Tensor, what: string): Tensor {
	if (f.dtype !== 'float32' || f.shape.length !== 4) throw new TfjsToOnnxError(`${what}: filter must be float32 4-D`);
	return permute(f, [3, 2, 0, 1]); // HWIO → [O, I, kh, kw]
}

// ---------------------------------------------------------------- graph attrs

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
const attrS = (n: TfjsNode, k: string, d: string): string => {
	const s = n.attr?.[k]?.s;
	return s !== undefined ? b64(s) : d;
};
const attrB = (n: TfjsNode, k: string, d = false): boolean => {
	const b = n.attr?.[k]?.b;
	return b !== undefined ? !!b : d;
};
const attrInts = (n: TfjsNode, k: string, d: number[]): number[] => {
	const l = n.attr?.[k]?.list?.i;
	return l ? l.map(Number) : d;
};
const attrF = (n: TfjsNode, k: string, d: number): number => {
	const f = n.attr?.[k]?.f;
	return f !== undefined ? Number(f) : d;
};
const attrList = (n: TfjsNode, k: string): string[] => (n.attr?.[k]?.list?.s ?? []).map(b64);

// ---------------------------------------------------------------- graph converter

/** Converts a tfjs model of either format (graph or layers) to ONNX. */
export function convertTfjs(modelJson: TfjsModelJson, weightBuffers: WeightBuffers, options: ConvertOptions = {}): Uint8Array {
	if (isLayersModel(modelJson)) return convertTfjsLayers(modelJson, weightBuffers, options);
	return convertTfjsGraph(modelJson as TfjsGraphModelJson, weightBuffers, options);
}

export function isLayersModel(modelJson: TfjsModelJson): modelJson is TfjsLayersModelJson {
	return modelJson.format === 'layers-model' || kerasConfig(modelJson as TfjsLayersModelJson) !== undefined;
}

function kerasConfig(modelJson: TfjsLayersModelJson): KerasModelConfig | undefined {
	const t = modelJson?.modelTopology as { model_config?: KerasModelConfig; class_name?: unknown; config?: { layers?: unknown } } | undefined;
	if (t?.model_config) return t.model_config;
	if (typeof t?.class_name === 'string' && Array.isArray(t.config?.layers)) return t as KerasModelConfig;
	return undefined;
}

/** Converts a tfjs graph model to ONNX; returns the serialised onnx.ModelProto. */
export function convertTfjsGraph(modelJson: TfjsGraphModelJson, weightBuffers: WeightBuffers, options: ConvertOptions = {}): Uint8Array {
	const nodesIn = modelJson?.modelTopology?.node;
	if (!Array.isArray(nodesIn)) throw new TfjsToOnnxError('modelJson.modelTopology.node is missing (not a tfjs graph model?)');
	const weights = decodeWeights(modelJson.weightsManifest ?? [], joinBuffers(weightBuffers));

	const byName = new Map(nodesIn.map((n) => [n.name, n]));
	const refNode = (ref: string) => ref.replace(/^\^/, '').replace(/:\d+$/, '');
	const tensorName = (ref: string) => (/:\d+$/.test(ref) ? ref : `${ref}:0`);

	// Graph outputs: the caller's, else the signature's, else every node nobody consumes.
	const signature = modelJson.signature ?? modelJson.userDefinedMetadata?.signature;
	let outputRefs = options.outputs ?? Object.keys(signature?.outputs ?? {});
	if (!outputRefs.length) {
		const used = new Set(nodesIn.flatMap((n) => (n.input ?? []).map(refNode)));
		outputRefs = nodesIn.filter((n) => !used.has(n.name) && n.op !== 'Const' && n.op !== 'Placeholder').map((n) => `${n.name}:0`);
	}

	// Topological order (DFS from outputs) of the nodes that matter.
	const order: TfjsNode[] = [];
	const state = new Map<string, number>();
	const visit = (name: string): void => {
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

	// Only the ops that are reached need converting (so cut-off post-processing is fine).
	const reached = options.outputs ? order : nodesIn;
	const unsupported = [...new Set(reached.map((n) => n.op).filter((op) => !SUPPORTED_OPS.includes(op)))];
	if (unsupported.length) throw new TfjsToOnnxError(`unsupported op(s): ${unsupported.join(', ')} (supported: ${SUPPORTED_OPS.join(', ')})`);

	const b = new OnnxBuilder();
	const tmp = (base: string) => b.tmp(base);
	const emit = b.emit.bind(b);
	const addInit = b.addInit.bind(b);
	const addWeight = (name: string, t: Tensor) => b.addWeight(name, t, options.compressWeights === true);

	const constOf = (ref: string): Tensor | undefined => {
		const n = byName.get(refNode(ref));
		if (n?.op === 'Identity' && n.input?.[0]) return constOf(n.input[0]);
		if (!n || n.op !== 'Const') return undefined;
		const t = weights.get(n.name);
		if (!t) throw new TfjsToOnnxError(`Const ${n.name} has no weight data (inline constants are not supported)`);
		return t;
	};
	const needConst = (ref: string | undefined, what: string, node: TfjsNode): Tensor => {
		const t = ref === undefined ? undefined : constOf(ref);
		if (!t) throw new TfjsToOnnxError(`${node.op} ${node.name}: ${what} must be a constant`);
		return t;
	};
	/** The ONNX tensor name of a tfjs input ref; Consts become initializers on first use. */
	const input = (ref: string | undefined): string => {
		if (ref === undefined) throw new TfjsToOnnxError('missing node input');
		const n = byName.get(refNode(ref));
		if (n?.op === 'Const') return addWeight(tensorName(ref), constOf(ref)!);
		return tensorName(ref);
	};
	const checkNHWC = (n: TfjsNode) => {
		const f = attrS(n, 'data_format', 'NHWC');
		if (f !== 'NHWC') throw new TfjsToOnnxError(`${n.op} ${n.name}: data_format ${f} is not supported (NHWC only)`);
	};
	const spatial = (v: number[]): number[] => [v[1], v[2]]; // NHWC attr list → [h, w]
	const padAttrs = (n: TfjsNode): onnx.IAttributeProto[] => {
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
	const activation = (n: TfjsNode, op: string, x: string, out: string, alphaRef?: string): string => {
		switch (op) {
			case 'Relu':
				return emit('Relu', [x], [out]);
			case 'Relu6':
				return emit('Clip', [x, b.scalar(0), b.scalar(6)], [out]);
			case 'Sigmoid':
				return emit('Sigmoid', [x], [out]);
			case 'Tanh':
				return emit('Tanh', [x], [out]);
			case 'Elu':
				return emit('Elu', [x], [out]);
			case 'LeakyRelu':
				return emit('LeakyRelu', [x], [out], [float('alpha', attrF(n, 'leakyrelu_alpha', 0.2))]);
			case 'Prelu':
				return emit('PRelu', [x, input(alphaRef)], [out]);
			default:
				throw new TfjsToOnnxError(`${n.op} ${n.name}: fused activation ${op} is not supported`);
		}
	};
	/** BiasAdd and at most one activation from a fused op's fused_ops; returns [bias ref?, activation?]. */
	const fusedParts = (n: TfjsNode, ins: string[]): [string | undefined, string | undefined] => {
		const fused = attrList(n, 'fused_ops');
		let bias: string | undefined;
		let act: string | undefined;
		for (const op of fused) {
			if (op === 'BiasAdd') bias = input(ins[2]);
			else if (!act) act = op;
			else throw new TfjsToOnnxError(`${n.op} ${n.name}: fused_ops ${fused.join(',')} not supported`);
		}
		return [bias, act];
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
				b.inputs.push(valueInfo(out, dims, ['N', 'H', 'W', 'C']));
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
				let w: Tensor;
				let group = 1;
				if (depthwise) {
					w = permute(f, [2, 3, 0, 1], [ci * co, 1, kh, kw]); // [C, M, kh, kw] → [C·M, 1, kh, kw]
					group = ci;
				} else w = permute(f, [3, 2, 0, 1]); // [O, I, kh, kw]
				const wName = addWeight(`${n.name}/__filter_oihw`, w);
				const [bias, act] = n.op.startsWith('_Fused') || n.op.startsWith('Fused') ? fusedParts(n, ins) : [undefined, undefined];
				const convIns = bias ? [wName, bias] : [wName];
				const dil = spatial(attrInts(n, 'dilations', [1, 1, 1, 1]));
				const attrs = [ints('kernel_shape', [kh, kw]), ints('strides', spatial(attrInts(n, 'strides', [1, 1, 1, 1]))), ints('dilations', dil), int('group', group), ...padAttrs(n)];
				const convOut = act ? tmp(n.name) : out;
				b.channelsFirst(n.name, input(ins[0]), (xt) => emit('Conv', [xt, ...convIns], [tmp(n.name)], attrs), convOut);
				if (act) activation(n, act, convOut, out, ins[3]);
				break;
			}
			case 'Conv2DBackpropInput': {
				checkNHWC(n);
				const sizes = Array.from(needConst(ins[0], 'input_sizes', n).data);
				const f = needConst(ins[1], 'the filter', n);
				const [kh, kw] = f.shape;
				const w = permute(f, [3, 2, 0, 1]); // [in, out, kh, kw]
				const wName = addWeight(`${n.name}/__filter_iohw`, w);
				const [sh, sw] = spatial(attrInts(n, 'strides', [1, 1, 1, 1]));
				const [dh, dw] = spatial(attrInts(n, 'dilations', [1, 1, 1, 1]));
				const padding = attrS(n, 'padding', 'VALID');
				if (padding !== 'SAME' && padding !== 'VALID') throw new TfjsToOnnxError(`${n.name}: Conv2DBackpropInput padding ${padding} is not supported`);
				// The forward conv this is the gradient of: input `sizes`, output `inS`.
				const pads = [0, 0, 0, 0];
				const outPad = [0, 0];
				const dimsHW: [number, number, number, number][] = [
					[sizes[1], kh, sh, dh],
					[sizes[2], kw, sw, dw]
				];
				dimsHW.forEach(([o, k, s, d], i) => {
					const ke = (k - 1) * d + 1;
					const inS = padding === 'SAME' ? Math.ceil(o / s) : Math.floor((o - ke) / s) + 1;
					const total = padding === 'SAME' ? Math.max((inS - 1) * s + ke - o, 0) : 0;
					pads[i] = Math.floor(total / 2);
					pads[i + 2] = total - pads[i];
					outPad[i] = o - ((inS - 1) * s + ke - total);
				});
				const attrs = [ints('kernel_shape', [kh, kw]), ints('strides', [sh, sw]), ints('dilations', [dh, dw]), ints('pads', pads), ints('output_padding', outPad)];
				b.channelsFirst(n.name, input(ins[2]), (xt) => emit('ConvTranspose', [xt, wName], [tmp(n.name)], attrs), out);
				break;
			}
			case 'MaxPool':
			case 'AvgPool': {
				checkNHWC(n);
				const k = attrInts(n, 'ksize', []);
				if (k[0] !== 1 || k[3] !== 1) throw new TfjsToOnnxError(`${n.op} ${n.name}: pooling over batch/channels is not supported`);
				const attrs = [ints('kernel_shape', spatial(k)), ints('strides', spatial(attrInts(n, 'strides', [1, 1, 1, 1]))), ...padAttrs(n)];
				const op = n.op === 'MaxPool' ? 'MaxPool' : 'AveragePool';
				b.channelsFirst(n.name, input(ins[0]), (xt) => emit(op, [xt], [tmp(n.name)], attrs), out);
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
				b.channelsFirst(
					n.name,
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
			case 'MatMul':
			case '_FusedMatMul': {
				let [a, w] = [input(ins[0]), input(ins[1])];
				if (attrB(n, 'transpose_a')) a = emit('Transpose', [a], [tmp(n.name)], [ints('perm', [1, 0])]);
				if (attrB(n, 'transpose_b')) w = emit('Transpose', [w], [tmp(n.name)], [ints('perm', [1, 0])]);
				if (n.op === 'MatMul') {
					emit('MatMul', [a, w], [out]);
					break;
				}
				const [bias, act] = fusedParts(n, ins);
				const mm = bias || act ? tmp(n.name) : out;
				emit('MatMul', [a, w], [mm]);
				const biased = bias ? emit('Add', [mm, bias], [act ? tmp(n.name) : out]) : mm;
				if (act) activation(n, act, biased, out, ins[3]);
				break;
			}
			case 'Squeeze': {
				const axes = attrInts(n, 'squeeze_dims', attrInts(n, 'axis', []));
				if (!axes.length) throw new TfjsToOnnxError(`Squeeze ${n.name}: squeezing every unit dim (no squeeze_dims) is not supported`);
				emit('Squeeze', [input(ins[0]), addInit(`${n.name}/__axes`, 'int64', [axes.length], axes)], [out]);
				break;
			}
			case 'Mean': {
				const axes = Array.from(needConst(ins[1], 'reduction_indices', n).data);
				emit('ReduceMean', [input(ins[0])], [out], [ints('axes', axes), int('keepdims', attrB(n, 'keep_dims') ? 1 : 0)]);
				break;
			}
			default:
				throw new TfjsToOnnxError(`unsupported op ${n.op} (node ${n.name})`);
		}
	}

	const sigOut = signature?.outputs ?? {};
	const outputs = outputRefs.map((ref) => {
		const dims = sigOut[ref]?.tensorShape?.dim?.map((d) => Number(d.size));
		return valueInfo(tensorName(ref), dims);
	});
	return b.encode(options.graphName ?? 'tfjs', options.producerName ?? 'darkroom tfjs-to-onnx', outputs);
}

/** Op histogram of a tfjs graph model ({ op: count }). */
export function tfjsOps(modelJson: TfjsGraphModelJson): Record<string, number> {
	const ops: Record<string, number> = {};
	for (const n of modelJson.modelTopology.node) ops[n.op] = (ops[n.op] ?? 0) + 1;
	return ops;
}

// ---------------------------------------------------------------- layers converter

/** The inbound layer names of a Keras layer (one call site only). */
function inboundNames(layer: KerasLayer): string[] {
	const nodes = layer.inbound_nodes ?? [];
	if (nodes.length > 1) throw new TfjsToOnnxError(`layer ${layer.config.name}: shared layers (called ${nodes.length} times) are not supported`);
	if (!nodes.length) return [];
	const first = nodes[0];
	// Keras 2: [[name, nodeIndex, tensorIndex, kwargs], …]; Keras 3 style: { args: [...] } is not supported.
	if (!Array.isArray(first)) throw new TfjsToOnnxError(`layer ${layer.config.name}: inbound_nodes format not supported`);
	return first.map((e: unknown) => {
		if (!Array.isArray(e) || typeof e[0] !== 'string') throw new TfjsToOnnxError(`layer ${layer.config.name}: inbound_nodes entry not supported`);
		if (e[2] !== 0 && e[2] !== undefined) throw new TfjsToOnnxError(`layer ${layer.config.name}: multi-output inbound layers are not supported`);
		return e[0];
	});
}

const pair = (v: unknown, what: string): [number, number] => {
	const a = Array.isArray(v) ? v.map(Number) : [Number(v), Number(v)];
	if (a.length !== 2 || a.some((x) => !Number.isFinite(x))) throw new TfjsToOnnxError(`${what}: expected a pair of numbers`);
	return [a[0], a[1]];
};

/**
 * Converts a tfjs layers model (Keras functional topology, channels_last, one input, one
 * output) to ONNX. The ONNX input/output keep tfjs' NHWC layout and are named after the
 * Keras input/output layers; null dims of batch_input_shape become symbolic (N, H, W).
 */
export function convertTfjsLayers(modelJson: TfjsLayersModelJson, weightBuffers: WeightBuffers, options: ConvertOptions = {}): Uint8Array {
	const mc = kerasConfig(modelJson);
	if (!mc || !Array.isArray(mc.config?.layers)) throw new TfjsToOnnxError('modelJson.modelTopology.model_config.layers is missing (not a tfjs layers model?)');
	if (mc.class_name !== 'Functional' && mc.class_name !== 'Model') throw new TfjsToOnnxError(`model class ${mc.class_name} is not supported (Functional only)`);
	const layers = mc.config.layers;
	const unsupported = [...new Set(layers.map((l) => l.class_name).filter((c) => !SUPPORTED_LAYERS.includes(c)))];
	if (unsupported.length) throw new TfjsToOnnxError(`unsupported layer(s): ${unsupported.join(', ')} (supported: ${SUPPORTED_LAYERS.join(', ')})`);
	const ioName = (v: unknown[], what: string): string => {
		if (v.length !== 1 || !Array.isArray(v[0]) || typeof v[0][0] !== 'string') throw new TfjsToOnnxError(`exactly one ${what} layer is supported`);
		return v[0][0];
	};
	const inputLayer = ioName(mc.config.input_layers, 'input');
	const outputLayer = ioName(mc.config.output_layers, 'output');
	const weights = decodeWeights(modelJson.weightsManifest ?? [], joinBuffers(weightBuffers));
	const weight = (layer: string, kind: string): Tensor => {
		const t = weights.get(`${layer}/${kind}`);
		if (!t) throw new TfjsToOnnxError(`layer ${layer}: weight ${layer}/${kind} is missing from the weights manifest`);
		return t;
	};

	const b = new OnnxBuilder();
	const emit = b.emit.bind(b);
	const nchw = (layer: string) => `${layer}/nchw`; // internal tensors are channels-first
	/** Keras channels_last axis → NCHW axis. */
	const axisNCHW = (axis: number): number => {
		const a = axis < 0 ? axis + 4 : axis;
		if (a < 1 || a > 3) throw new TfjsToOnnxError(`axis ${axis} is not supported (4-D channels_last only)`);
		return a === 3 ? 1 : a + 1;
	};
	const kerasActivation = (layer: string, act: unknown, x: string, out: string): string => {
		switch (act ?? 'linear') {
			case 'linear':
				return x === out ? out : emit('Identity', [x], [out]);
			case 'relu':
				return emit('Relu', [x], [out]);
			case 'sigmoid':
				return emit('Sigmoid', [x], [out]);
			case 'tanh':
				return emit('Tanh', [x], [out]);
			case 'elu':
				return emit('Elu', [x], [out]);
			case 'softmax':
				return emit('Softmax', [x], [out], [int('axis', 1)]);
			default:
				throw new TfjsToOnnxError(`layer ${layer}: activation ${String(act)} is not supported`);
		}
	};

	// Keras stores layers in topological order already; check it as we go.
	const done = new Set<string>();
	for (const layer of layers) {
		const name = layer.config.name;
		const cfg = layer.config;
		const ins = inboundNames(layer);
		for (const i of ins) if (!done.has(i)) throw new TfjsToOnnxError(`layer ${name}: input ${i} is not defined before it`);
		const xs = ins.map(nchw);
		const out = nchw(name);
		if (cfg.data_format !== undefined && cfg.data_format !== 'channels_last') throw new TfjsToOnnxError(`layer ${name}: data_format ${String(cfg.data_format)} is not supported`);
		switch (layer.class_name) {
			case 'InputLayer': {
				const shape = (cfg.batch_input_shape ?? cfg.batch_shape) as (number | null)[] | undefined;
				if (!Array.isArray(shape) || shape.length !== 4) throw new TfjsToOnnxError(`InputLayer ${name}: a 4-D batch_input_shape is required`);
				if (cfg.dtype !== undefined && cfg.dtype !== 'float32') throw new TfjsToOnnxError(`InputLayer ${name}: dtype ${String(cfg.dtype)} is not supported`);
				b.inputs.push(valueInfo(name, shape, ['N', 'H', 'W', 'C']));
				emit('Transpose', [name], [out], [ints('perm', NHWC_TO_NCHW)]);
				break;
			}
			case 'Conv2D': {
				if ((cfg.groups ?? 1) !== 1) throw new TfjsToOnnxError(`Conv2D ${name}: groups ${String(cfg.groups)} is not supported`);
				const f = weight(name, 'kernel');
				const w = filterOIHW(f, `Conv2D ${name}`);
				const convIns = [xs[0], b.addInit(`${name}/kernel_oihw`, 'float32', w.shape, w.data)];
				if (cfg.use_bias !== false) {
					const bias = weight(name, 'bias');
					convIns.push(b.addInit(`${name}/bias`, 'float32', bias.shape, bias.data));
				}
				const padding = cfg.padding ?? 'valid';
				if (padding !== 'same' && padding !== 'valid') throw new TfjsToOnnxError(`Conv2D ${name}: padding ${String(padding)} is not supported`);
				const attrs = [
					ints('kernel_shape', [f.shape[0], f.shape[1]]),
					ints('strides', pair(cfg.strides ?? 1, `Conv2D ${name} strides`)),
					ints('dilations', pair(cfg.dilation_rate ?? 1, `Conv2D ${name} dilation_rate`)),
					int('group', 1),
					padding === 'same' ? str('auto_pad', 'SAME_UPPER') : ints('pads', [0, 0, 0, 0])
				];
				const act = cfg.activation ?? 'linear';
				const conv = emit('Conv', convIns, [act === 'linear' ? out : b.tmp(name)], attrs);
				kerasActivation(name, act, conv, out);
				break;
			}
			case 'Activation':
				kerasActivation(name, cfg.activation, xs[0], out);
				break;
			case 'ReLU': {
				if (cfg.max_value != null || (cfg.negative_slope ?? 0) !== 0 || (cfg.threshold ?? 0) !== 0) throw new TfjsToOnnxError(`ReLU ${name}: only plain ReLU is supported`);
				emit('Relu', xs, [out]);
				break;
			}
			case 'LeakyReLU':
				emit('LeakyRelu', xs, [out], [float('alpha', Number(cfg.alpha ?? 0.3))]);
				break;
			case 'Add':
				emit(xs.length === 2 ? 'Add' : 'Sum', xs, [out]);
				break;
			case 'Multiply':
				if (xs.length !== 2) throw new TfjsToOnnxError(`Multiply ${name}: only 2 inputs are supported`);
				emit('Mul', xs, [out]);
				break;
			case 'Concatenate':
				emit('Concat', xs, [out], [int('axis', axisNCHW(Number(cfg.axis ?? -1)))]);
				break;
			case 'UpSampling2D': {
				const [sh, sw] = pair(cfg.size ?? 2, `UpSampling2D ${name} size`);
				const interpolation = cfg.interpolation ?? 'nearest';
				const scales = b.addInit(`${name}/scales`, 'float32', [4], new Float32Array([1, 1, sh, sw]));
				// tfjs: nearest reads input[floor(y / s)]; bilinear is resizeBilinear without half-pixel centres.
				const attrs =
					interpolation === 'nearest'
						? [str('mode', 'nearest'), str('coordinate_transformation_mode', 'asymmetric'), str('nearest_mode', 'floor')]
						: interpolation === 'bilinear'
							? [str('mode', 'linear'), str('coordinate_transformation_mode', 'asymmetric')]
							: undefined;
				if (!attrs) throw new TfjsToOnnxError(`UpSampling2D ${name}: interpolation ${String(interpolation)} is not supported`);
				emit('Resize', [xs[0], '', scales], [out], attrs);
				break;
			}
			default:
				throw new TfjsToOnnxError(`unsupported layer ${layer.class_name} (${name})`);
		}
		done.add(name);
	}
	if (!done.has(inputLayer) || !done.has(outputLayer)) throw new TfjsToOnnxError(`input ${inputLayer} or output ${outputLayer} is not a layer of the model`);
	emit('Transpose', [nchw(outputLayer)], [outputLayer], [ints('perm', NCHW_TO_NHWC)]);
	return b.encode(options.graphName ?? mc.config.name ?? 'tfjs', options.producerName ?? 'darkroom tfjs-to-onnx', [valueInfo(outputLayer, [null, null, null, null], ['N', 'H_out', 'W_out', 'C_out'])]);
}

/** Layer-class histogram of a tfjs layers model ({ class: count }). */
export function tfjsLayerClasses(modelJson: TfjsLayersModelJson): Record<string, number> {
	const out: Record<string, number> = {};
	for (const l of kerasConfig(modelJson)?.config.layers ?? []) out[l.class_name] = (out[l.class_name] ?? 0) + 1;
	return out;
}
