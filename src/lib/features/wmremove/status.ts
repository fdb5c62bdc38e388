/**
 * Seed 004's processStatus codes and the messages that go with them (`CODE::说明`, as the seed
 * writes its own), plus the httpCode messages this call uses.
 */
export const PROCESS_STATUS = {
	/** Processed. */
	OK: 0,
	/** Asynchronous call accepted (sync: true): the result goes to the callback URL. */
	WAITING: 52000,
	/** Not processed: the request did not pass validation (bad parameter, file too large, not an image…). */
	UNHANDLED: 52001,
	/** Not processed: no rectangles given and no text found in the image. */
	NO_TEXT: 52002,
	/** Timed out. */
	TIMEOUT: 52003,
	/** Internal error. */
	ERROR: 52004,
	/** Processed, but the offset was ignored: it would have moved a rectangle outside the image. */
	OFFSET_IGNORED: 52005,
	/** ocrOnly: rectangles found, nothing removed. */
	OCR_ONLY: 52006
} as const;

export type ProcessStatus = (typeof PROCESS_STATUS)[keyof typeof PROCESS_STATUS];

export const PROCESS_MSG: Record<ProcessStatus, string> = {
	0: 'SUCCESS::处理成功',
	52000: 'WAITING::异步请求',
	52001: 'UNHANDLED::因其他问题导致未处理',
	52002: 'UNHANDLED::未识别到图片中的文字水印',
	52003: 'TIMEOUT::请求超时',
	52004: 'ERROR::服务端系统出错',
	52005: 'SUCCESS::处理成功,但偏移量超出图片边框,已忽略偏移量',
	52006: 'OCR_ONLY::仅识别文字水印,未去除'
};

/** English meaning of each code (docs, console). */
export const PROCESS_MEANING: Record<ProcessStatus, string> = {
	0: 'processed',
	52000: 'asynchronous call accepted; the result is POSTed to callback',
	52001: 'not processed: the request failed validation',
	52002: 'not processed: no rectangles given and no text found',
	52003: 'timed out',
	52004: 'internal error',
	52005: 'processed without the offset, which would have left the image',
	52006: 'ocrOnly: boxes found, nothing removed'
};

export const HTTP_MSG: Record<number, string> = {
	200: 'SUCCESS::调用成功',
	304: 'CACHE::本次响应为缓存数据,未作任何修改',
	400: 'FAILED::请求参数错误',
	413: 'FAILED::上传文件大小超出限制',
	500: 'FAILED::服务端系统出错'
};
