import * as Comlink from 'comlink';
import { DarkroomError } from '../api/errors';
import type { Reply, WorkerApi } from './protocol';

type Method = Exclude<keyof WorkerApi, 'init' | 'crash'>;

interface Task {
	method: Method;
	args: unknown[];
	transfer: Transferable[];
	resolve: (v: unknown) => void;
	reject: (e: unknown) => void;
}

interface Slot {
	id: number;
	worker: Worker;
	remote: Comlink.Remote<WorkerApi>;
	ready: Promise<void>;
	task?: Task;
	dead: boolean;
}

let lockSeq = 0;
const poolId = Math.random().toString(36).slice(2, 8);

/**
 * A fixed-size pool of image workers. Jobs queue and go to the first idle worker.
 * A worker that dies (crash, out of memory, uncaught error) is noticed through its
 * Web Lock being released or its error event; its job rejects with a clear error and
 * a fresh worker takes its place, so the page stays usable.
 */
export class WorkerPool {
	private slots: Slot[] = [];
	private queue: Task[] = [];
	private size: number;
	/** Workers replaced after dying; visible for tests and diagnostics. */
	restarts = 0;

	constructor(
		private spawn: () => Worker,
		size?: number
	) {
		this.size = size ?? WorkerPool.defaultSize();
	}

	static defaultSize(): number {
		const hc = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
		// Leave a core for the page on big machines; every worker holds its own WASM heaps.
		return Math.max(1, Math.min(4, hc >= 4 ? hc - 1 : hc));
	}

	resize(size: number): void {
		this.size = Math.max(1, Math.min(16, Math.floor(size)));
		this.pump();
	}

	/** How many jobs run at once (the pool's size). */
	get capacity(): number {
		return this.size;
	}

	get workerCount(): number {
		return this.slots.length;
	}

	run<T>(method: Method, args: unknown[], transfer: Transferable[] = []): Promise<T> {
		return new Promise<Reply<T>>((resolve, reject) => {
			this.queue.push({ method, args, transfer, resolve: resolve as (v: unknown) => void, reject });
			this.pump();
		}).then((r) => {
			if (r.ok) return r.value;
			throw DarkroomError.fromJSON(r.error);
		});
	}

	/** Calls running right now (for tests and diagnostics). */
	get busyCount(): number {
		return this.slots.filter((s) => s.task && !s.dead).length;
	}

	/**
	 * Test hook: make a worker (the busy one if any) die. 'kill' ends it from outside,
	 * as the browser does on out-of-memory, without the pool's knowledge; 'throw' makes
	 * it raise an uncaught error; 'close' has it close itself.
	 */
	async crashOne(kind: 'kill' | 'close' | 'throw' = 'kill'): Promise<void> {
		const slot = this.slots.find((s) => s.task) ?? this.slots[0] ?? this.addSlot();
		await slot.ready;
		if (kind === 'kill') slot.worker.terminate();
		else void slot.remote.crash(kind);
	}

	private pump(): void {
		while (this.queue.length) {
			let slot = this.slots.find((s) => !s.task && !s.dead);
			if (!slot && this.slots.length < this.size) slot = this.addSlot();
			if (!slot) return;
			const task = this.queue.shift()!;
			this.start(slot, task);
		}
	}

	private start(slot: Slot, task: Task): void {
		slot.task = task;
		slot.ready
			.then(() => {
				const call = (slot.remote[task.method] as (...a: unknown[]) => Promise<unknown>)(...withTransfer(task.args, task.transfer));
				return call;
			})
			.then(
				(v) => {
					if (slot.task === task) this.finish(slot);
					task.resolve(v);
				},
				(e) => {
					if (slot.task === task) this.finish(slot);
					task.reject(e instanceof DarkroomError ? e : new DarkroomError('internal', `Image worker call failed: ${e instanceof Error ? e.message : String(e)}`));
				}
			);
	}

	private finish(slot: Slot): void {
		slot.task = undefined;
		this.pump();
	}

	private addSlot(): Slot {
		const worker = this.spawn();
		const remote = Comlink.wrap<WorkerApi>(worker);
		const lockName = `darkroom-worker-${poolId}-${++lockSeq}`;
		const slot: Slot = { id: lockSeq, worker, remote, dead: false, ready: Promise.resolve() };
		slot.ready = remote.init(lockName).then(() => {
			// Granted only once the worker's own hold on the lock ends, i.e. when it dies.
			void navigator.locks.request(lockName, () => this.onDeath(slot, 'stopped unexpectedly (it may have run out of memory)'));
		});
		worker.addEventListener('error', (ev) => {
			ev.preventDefault();
			this.onDeath(slot, `failed: ${ev.message || 'uncaught error'}`);
		});
		this.slots.push(slot);
		return slot;
	}

	private onDeath(slot: Slot, why: string): void {
		if (slot.dead) return;
		slot.dead = true;
		slot.worker.terminate();
		this.slots = this.slots.filter((s) => s !== slot);
		this.restarts++;
		const task = slot.task;
		slot.task = undefined;
		if (task)
			task.reject(
				new DarkroomError(
					'internal',
					`The image worker ${why} while running ${task.method}; a new worker has been started, so you can try again (with a smaller image if memory was the cause)`
				)
			);
		this.pump();
	}

	terminate(): void {
		for (const s of this.slots) {
			s.dead = true;
			s.worker.terminate();
		}
		this.slots = [];
	}
}

function withTransfer(args: unknown[], transfer: Transferable[]): unknown[] {
	if (!transfer.length || !args.length) return args;
	// comlink attaches transferables to a value; the first argument carries them all.
	return [Comlink.transfer(args[0], transfer), ...args.slice(1)];
}
