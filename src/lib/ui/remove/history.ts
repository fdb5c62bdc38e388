/**
 * Undo/redo over immutable snapshots. Each edit (a stroke, a drag, a toggle) commits one
 * snapshot, so one Ctrl/Cmd+Z undoes one thing the user did, never a pointer move.
 */

export interface History<T> {
	past: T[];
	present: T;
	future: T[];
}

/** Snapshots kept for undo; older ones are dropped. */
export const HISTORY_LIMIT = 200;

export const startHistory = <T>(present: T): History<T> => ({ past: [], present, future: [] });

/** A new present; the redo branch is dropped. Committing the same value again is a no-op. */
export function commit<T>(h: History<T>, next: T, limit = HISTORY_LIMIT): History<T> {
	if (next === h.present) return h;
	const past = [...h.past, h.present];
	if (past.length > limit) past.splice(0, past.length - limit);
	return { past, present: next, future: [] };
}

export function undo<T>(h: History<T>): History<T> {
	if (!h.past.length) return h;
	return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

export function redo<T>(h: History<T>): History<T> {
	if (!h.future.length) return h;
	return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}

export const canUndo = (h: History<unknown>) => h.past.length > 0;
export const canRedo = (h: History<unknown>) => h.future.length > 0;
