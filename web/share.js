// Share links: raw deflate (RFC 1951) through the browser's own CompressionStream and
// DecompressionStream, the format the links have always used (the app base64url-encodes the bytes
// into the URL fragment; see web/src/share.rs). Imported by the app's wasm-bindgen glue.

async function collect(stream, limit) {
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      // A crafted link must not exhaust memory: stop inflating as soon as it is too large.
      await reader.cancel().catch(() => {});
      throw new RangeError(`more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// `bytes` may be a view into the wasm memory: the Blob copies it before this returns.
export function deflateRaw(bytes) {
  return collect(new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw")), Infinity);
}

// Rejects damaged data and output above `limit` bytes.
export function inflateRaw(bytes, limit) {
  return collect(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")), limit);
}
