/**
 * @module transport/decode
 * Compressed answers, as the official clients get them. The openai and anthropic SDKs send through Node's fetch,
 * which asks for `br, gzip, deflate` over https and `gzip, deflate` over http; CDNs and gateways in front of an
 * endpoint then compress. The harness asks the same way and decodes with undici's own decompress interceptor,
 * bounded per stage by --max-body-bytes (a compression bomb stops at the cap, it never fills memory).
 */
import { interceptors, type Dispatcher } from 'undici';

/** What Node's fetch sends (undici lib/web/fetch, "Modify httpRequest's header list per HTTP"). */
export function acceptEncodingFor(url: URL): string {
  return url.protocol === 'https:' ? 'br, gzip, deflate' : 'gzip, deflate';
}

/** Filled in while the response head passes by, before the decompressor drops the header. */
export interface EncodingNote {
  /** The response's Content-Encoding as sent, lower-cased; undefined for an uncompressed body. */
  encoding?: string;
}

/**
 * `dispatcher` with decoding: gzip, deflate and br bodies (error answers included: their messages are evidence)
 * arrive decoded, and `note` says what they were. A body whose encoding undici cannot decode arrives as it came,
 * with its Content-Encoding header still on it.
 */
export function decodingDispatcher(dispatcher: Dispatcher, maxBytes: number, note: EncodingNote): Dispatcher {
  return dispatcher.compose(noteEncoding(note), decompressor(maxBytes));
}

const decompressors = new Map<number, Dispatcher.DispatcherComposeInterceptor>();

function decompressor(maxBytes: number): Dispatcher.DispatcherComposeInterceptor {
  let made = decompressors.get(maxBytes);
  if (!made) {
    made = quietly(() => interceptors.decompress({ skipErrorResponses: false, maxSize: maxBytes }));
    decompressors.set(maxBytes, made);
  }
  return made;
}

/**
 * undici warns once per process that the interceptor is experimental. The warning is for library authors; a
 * user of the harness can do nothing about it, and it would land in every live run's console.
 */
function quietly<T>(make: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return make();
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * Composed first, so it sits nearest the socket and sees the head before the decompressor removes
 * Content-Encoding from it.
 */
function noteEncoding(note: EncodingNote): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) =>
    dispatch(options, {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onRequestUpgrade: (controller, status, headers, socket) => handler.onRequestUpgrade?.(controller, status, headers, socket),
      onResponseStart(controller, status, headers, message) {
        const raw = headers['content-encoding'];
        const encoding = (Array.isArray(raw) ? raw.join(', ') : raw)?.trim().toLowerCase();
        if (encoding && encoding !== 'identity') note.encoding = encoding;
        return handler.onResponseStart?.(controller, status, headers, message);
      },
      onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
      onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
      onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
    });
}
