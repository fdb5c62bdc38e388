/**
 * Worker side of models.add_inpainter: test the file stored under `sha256` and answer its
 * signature, or the failure as plain data that keeps its reason (the worker's generic error
 * path would keep only code, message and param).
 */
import { DarkroomError, type DarkroomErrorJSON } from '../../api/errors';
import { inpainterProblem, type InpainterProblem } from './errors';
import type { ProbeResult } from './types';

export interface ProbeJob {
	sha256: string;
}

export type ProbeReply = { ok: true; probe: ProbeResult } | { ok: false; error: DarkroomErrorJSON; reason?: InpainterProblem; values?: Record<string, string | number> };

export async function runProbeJob(job: ProbeJob): Promise<ProbeReply> {
	try {
		const { probeInpainter } = await import('./session');
		return { ok: true, probe: await probeInpainter(job.sha256) };
	} catch (e) {
		if (!DarkroomError.is(e)) throw e;
		const p = inpainterProblem(e);
		return { ok: false, error: (e as DarkroomError).toJSON(), ...(p ? { reason: p.reason, values: p.values } : {}) };
	}
}
