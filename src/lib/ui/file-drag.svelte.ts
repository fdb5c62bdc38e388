/**
 * Tracks files being dragged over the window, for drop targets that cover the whole page.
 * dragenter/dragleave fire for every element crossed, so a counter (not a flag) says whether
 * files are still over the page. Drags of text or links are left to the browser.
 */
export class FileDrag {
	#depth = $state(0);

	/** Files are being dragged over the page. */
	get active(): boolean {
		return this.#depth > 0;
	}

	enter = (e: DragEvent) => {
		if (!hasFiles(e)) return;
		e.preventDefault();
		this.#depth++;
	};

	over = (e: DragEvent) => {
		if (!hasFiles(e)) return;
		e.preventDefault();
		if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
	};

	leave = (e: DragEvent) => {
		if (!hasFiles(e)) return;
		this.#depth = Math.max(0, this.#depth - 1);
	};

	/** Ends the drag; the dropped data when it carries files (the browser's default is then prevented), else null. */
	drop(e: DragEvent): DataTransfer | null {
		if (!hasFiles(e) || !e.dataTransfer) return null;
		e.preventDefault();
		this.#depth = 0;
		return e.dataTransfer;
	}
}

function hasFiles(e: DragEvent): boolean {
	return !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
}
