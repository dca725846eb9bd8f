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

/** Filled in while the response heads pass by, before the decompressor drops the header. */
export interface EncodingNote {
  /** The response's Content-Encoding as sent, lower-cased; undefined for an uncompressed body. */
  encoding?: string;
  /** The status of the last informational head (1xx) skipped before the final one, if any. */
  informational?: number;
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
 * Content-Encoding from it. It also keeps informational heads (1xx: a CDN's 103 Early Hints, an unsolicited 100
 * Continue) from the handlers above, as fetch does: undici hands each to onResponseStart, and the decompressor takes
 * a second start for a bug (an assertion that read as "could not reach" the endpoint). The final head is the answer;
 * one that never comes after a 1xx is said by unread-head.ts with the 1xx noted here (a bare 101 among them: it
 * reaches this handler, then fails undici's own assertion; one with Upgrade headers never reaches it).
 */
function noteEncoding(note: EncodingNote): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) =>
    dispatch(options, {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onRequestUpgrade: (controller, status, headers, socket) => handler.onRequestUpgrade?.(controller, status, headers, socket),
      onResponseStart(controller, status, headers, message) {
        if (status < 200) {
          note.informational = status;
          return;
        }
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
