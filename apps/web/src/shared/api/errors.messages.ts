import type { ErrorCode } from '@dlserve/shared';
import { defineMessages } from '../i18n/define-messages';

/** The codes the client gives failures that have no API error body (see `HttpError`). */
export type ClientErrorCode = 'network' | 'http' | 'unexpected' | 'no_result' | 'unknown_result' | 'example_failed';

/** Every code an `HttpError` can carry: the API's (`ERROR_CODES`) and the client's own. */
export type HttpErrorCode = ErrorCode | ClientErrorCode;

/**
 * What each error code means, for the UI in every language. Typed by the shared contract's
 * `ErrorCode`: a code added there without a sentence here fails the type check. (The English UI
 * shows the server's own English message, which names the file, the limit, the size; these
 * sentences stand in for it in the other languages, and the English ones say what it means.)
 */
const codes = {
  no_file: 'No file was sent.',
  unexpected_field: 'The request had a field the server does not expect.',
  invalid_option: 'An option has a value the server does not accept.',
  empty_file: 'The file is empty.',
  file_too_large: 'The file is too large for the server to accept.',
  too_many_files: 'Too many files in one request.',
  not_an_image: 'This file is not an image the server can read.',
  corrupt_image: 'The image is damaged and cannot be decoded.',
  not_found: 'Not found on the server.',
  bad_request: 'The server could not understand the request.',
  internal_error: 'Something went wrong on the server.',
  unavailable: 'The service is unavailable right now. Please try again in a moment.',
  model_unavailable: 'This model is not available right now.',
  inference_failed: 'Processing failed on the server.',
  busy: 'The server is busy. Please wait a moment and try again.',
  cancelled: 'Cancelled.',
  image_too_large: 'The image is too large for this model.',
  unsupported_image: 'This model cannot take this image (too small, or of a kind it does not read).',
  timeout: 'The server took too long to answer. Please try again.',
  unauthorized: 'The server needs a valid API key.',
  rate_limited: 'Too many requests. Please wait a moment and try again.',
  request_too_large: 'The request is too large for the server to accept.',
  queue_unavailable: 'The server cannot reach its work queue right now. Please try again in a moment.',
  network: 'Could not reach the server. Check your connection and try again.',
  http: 'Something went wrong. Please try again.',
  unexpected: 'The server sent an unexpected answer.',
  no_result: 'The server sent no result for this file.',
  unknown_result: 'This page cannot show this kind of result yet.',
  example_failed: 'Could not load the example image. Please try again.',
} satisfies Record<HttpErrorCode, string>;

export const errorsMessages = defineMessages(
  {
    codes,
    /** Answers without an API error body (a proxy's page, an empty 502). */
    status: {
      tooLarge: 'The file is too large for the server to accept.',
      busy: 'The server is busy. Please wait a moment and try again.',
      unavailable: 'The server is unavailable right now (HTTP {status}). Please try again in a moment.',
      other: 'The server could not handle the request (HTTP {status}).',
    },
  },
  {
    codes: {
      no_file: '没有收到文件。',
      unexpected_field: '请求中有服务器不认识的字段。',
      invalid_option: '有选项的值不被服务器接受。',
      empty_file: '文件是空的。',
      file_too_large: '文件太大，服务器无法接收。',
      too_many_files: '一次上传的文件太多。',
      not_an_image: '这不是服务器能读取的图片。',
      corrupt_image: '图片已损坏，无法解码。',
      not_found: '服务器上找不到请求的内容。',
      bad_request: '服务器无法理解这个请求。',
      internal_error: '服务器出错了，请稍后重试。',
      unavailable: '服务暂时不可用，请稍后重试。',
      model_unavailable: '该模型暂时不可用。',
      inference_failed: '服务器处理失败。',
      busy: '服务器繁忙，请稍后再试。',
      cancelled: '已取消。',
      image_too_large: '图片尺寸超出了该模型的上限。',
      unsupported_image: '该模型无法处理这张图片（尺寸太小或格式不支持）。',
      timeout: '服务器响应超时，请重试。',
      unauthorized: '服务器需要有效的 API 密钥。',
      rate_limited: '请求过于频繁，请稍后再试。',
      request_too_large: '请求太大，服务器无法接收。',
      queue_unavailable: '服务器暂时无法连接任务队列，请稍后重试。',
      network: '无法连接服务器，请检查网络后重试。',
      http: '出错了，请重试。',
      unexpected: '服务器返回了无法识别的响应。',
      no_result: '服务器没有返回这个文件的结果。',
      unknown_result: '本页面暂时无法显示这类结果。',
      example_failed: '示例图片加载失败，请重试。',
    },
    status: {
      tooLarge: '文件太大，服务器无法接收。',
      busy: '服务器繁忙，请稍后再试。',
      unavailable: '服务器暂时不可用（HTTP {status}），请稍后重试。',
      other: '服务器无法处理这个请求（HTTP {status}）。',
    },
  },
);

export const HTTP_ERROR_CODES = Object.keys(codes) as HttpErrorCode[];
