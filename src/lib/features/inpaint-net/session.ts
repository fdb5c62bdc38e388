/**
 * Worker side: the ONNX Runtime session of the user's network (one per worker, for the network
 * last used; built from the OPFS copy, reused until another network is asked for), the
 * validation run that tells a candidate file's signature, and the runner `run.ts` calls.
 */
import { getRuntime, type Ort, type Session } from '../../models/session';
import { InpainterError } from './errors';
import type { NetFeeds, NetOutput, NetRunner } from './run';
import { checkRunOutput, detectSignature, LAMA_SIZE, outputScaleFrom, type Signature, type TensorMeta } from './signature';
import { readModel } from './store';
import type { NetworkSpec, ProbeResult } from './types';

let current: { sha256: string; session: Promise<Session> } | undefined;

async function createSession(ort: Ort, backend: string, bytes: Uint8Array): Promise<Session> {
	const executionProviders = backend === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'];
	try {
		return await ort.InferenceSession.create(bytes, { executionProviders, graphOptimizationLevel: 'all', logSeverityLevel: 3 });
	} catch (e) {
		const why = (e instanceof Error ? e.message : String(e)).slice(0, 300);
		throw new InpainterError('unsupported_format', 'not_onnx', `Expected an ONNX model for file but ONNX Runtime could not load it: ${why}`, 'file', { why });
	}
}

/** This worker's session for `sha256`: reused when it is the one held, else the old one is released. */
function sessionFor(sha256: string, bytes?: () => Promise<Uint8Array>): Promise<Session> {
	if (current?.sha256 === sha256) return current.session;
	const old = current;
	const session = (async () => {
		if (old) await old.session.then((s) => s.release()).catch(() => {});
		const { ort, backend } = await getRuntime();
		return createSession(ort, backend, await (bytes ? bytes() : readModel(sha256)));
	})();
	current = { sha256, session };
	session.catch(() => {
		if (current?.session === session) current = undefined;
	});
	return session;
}

/** The session's inputs and outputs as signature.ts reads them. */
export function sessionMeta(s: Session): { inputs: TensorMeta[]; outputs: TensorMeta[] } {
	const meta = (names: readonly string[], m: readonly unknown[] | undefined): TensorMeta[] =>
		names.map((name, i) => {
			const v = (m?.[i] ?? {}) as { isTensor?: boolean; type?: string; shape?: readonly (number | string)[] };
			return { name, isTensor: v.isTensor, type: v.type, shape: v.shape };
		});
	return { inputs: meta(s.inputNames, s.inputMetadata), outputs: meta(s.outputNames, s.outputMetadata) };
}

/** The NetRunner for a session: one run per crop. */
export function sessionRunner(ort: Ort, s: Session, sig: Pick<Signature, 'kind' | 'inputs' | 'output'>): NetRunner {
	return async (f: NetFeeds): Promise<NetOutput> => {
		const type = sig.kind === 'migan' ? 'uint8' : 'float32';
		const feeds = {
			[sig.inputs.image]: new ort.Tensor(type, f.image, [1, 3, f.height, f.width]),
			[sig.inputs.mask]: new ort.Tensor(type, f.mask, [1, 1, f.height, f.width])
		};
		const out = await s.run(feeds);
		const t = out[sig.output];
		if (!t) throw new InpainterError('unprocessable', 'wrong_signature', `The network answered no output named ${sig.output}`, 'file', { has: Object.keys(out).join(', '), why: `no output ${sig.output}` });
		const data = (await t.getData()) as ArrayLike<number>;
		for (const v of Object.values(out)) if (v !== t) v.dispose();
		return { data, type: t.type, dims: t.dims };
	};
}

/**
 * Loads the file stored under `sha256` (or `bytes`), reads its signature and test-runs it on a
 * small mid-grey picture with a square hole: MI-GAN at 64×64, LaMa at 512². The output must have
 * the right shape and type; for LaMa its range (0..1 or 0..255) is read from the kept pixels.
 * The session stays as this worker's session for that network.
 */
export async function probeInpainter(sha256: string, bytes?: Uint8Array): Promise<ProbeResult> {
	try {
		return await probe(sha256, bytes);
	} catch (e) {
		// A file that failed is not kept as this worker's session.
		if (current?.sha256 === sha256) await releaseInpainter();
		throw e;
	}
}

async function probe(sha256: string, bytes?: Uint8Array): Promise<ProbeResult> {
	const t0 = performance.now();
	const s = await sessionFor(sha256, bytes ? async () => bytes : undefined);
	const { ort } = await getRuntime();
	const { inputs, outputs } = sessionMeta(s);
	const sig = detectSignature(inputs, outputs);
	const side = sig.kind === 'migan' ? 64 : LAMA_SIZE;
	const n = side * side;
	const inHole = (i: number) => {
		const x = i % side;
		const y = (i - x) / side;
		return x >= side / 4 && x < (side * 3) / 4 && y >= side / 4 && y < (side * 3) / 4;
	};
	const image = sig.kind === 'migan' ? new Uint8Array(3 * n).fill(128) : new Float32Array(3 * n).fill(0.5);
	const mask = sig.kind === 'migan' ? new Uint8Array(n) : new Float32Array(n);
	for (let i = 0; i < n; i++) mask[i] = sig.kind === 'migan' ? (inHole(i) ? 0 : 255) : inHole(i) ? 1 : 0;
	let r: NetOutput;
	try {
		r = await sessionRunner(ort, s, sig)({ image, mask, width: side, height: side });
	} catch (e) {
		if (e instanceof InpainterError) throw e;
		const why = (e instanceof Error ? e.message : String(e)).slice(0, 300);
		throw new InpainterError('unprocessable', 'wrong_signature', `A test run of the network on a ${side}×${side} picture failed: ${why}`, 'file', { has: `a failing test run`, why });
	}
	checkRunOutput(sig.kind, sig.output, r.type, r.dims, side, side);
	const outputScale = sig.kind === 'migan' || r.type === 'uint8' ? 255 : outputScaleFrom(r.data, (i) => !inHole(i % n));
	return { ...sig, outputScale, ms: Math.round(performance.now() - t0) };
}

/** The runner for the installed network `spec` in this worker. */
export async function networkRunner(spec: NetworkSpec): Promise<NetRunner> {
	const s = await sessionFor(spec.sha256);
	const { ort } = await getRuntime();
	return sessionRunner(ort, s, spec);
}

/** Drops this worker's session (the network was removed). */
export async function releaseInpainter(): Promise<void> {
	const old = current;
	current = undefined;
	if (old) await old.session.then((s) => s.release()).catch(() => {});
}
