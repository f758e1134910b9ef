// Share links: `#demo-<id>=<payload>`, where the payload is base64url of the
// raw-deflated UTF-8 code ("z" prefix) or, where CompressionStream is
// missing, of the plain UTF-8 code ("u" prefix). A link holds at most
// MAX_CODE_BYTES of code: a small link must not inflate into a huge one.

/** The largest code a share link may carry, in UTF-8 bytes. */
export const MAX_CODE_BYTES = 64 * 1024;
// Incompressible code of that size, as base64url, with room to spare.
const MAX_PAYLOAD_CHARS = Math.ceil((MAX_CODE_BYTES * 4) / 3) + 1024;

export class ShareLinkError extends Error {}

const tooBig = (): ShareLinkError =>
  new ShareLinkError(`the shared code is larger than ${MAX_CODE_BYTES / 1024} KB, the most a link may hold`);

export function hashKey(id: string): string {
  return `demo-${id}=`;
}

function toBase64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflate, giving up as soon as the result passes the limit. */
async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_CODE_BYTES) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

export async function encodeCode(code: string): Promise<string> {
  const utf8 = new TextEncoder().encode(code);
  if (utf8.length > MAX_CODE_BYTES) throw tooBig();
  if (typeof CompressionStream === "undefined") return `u${toBase64url(utf8)}`;
  return `z${toBase64url(await pipe(utf8, new CompressionStream("deflate-raw")))}`;
}

export async function decodeCode(payload: string): Promise<string> {
  if (payload.length > MAX_PAYLOAD_CHARS) throw tooBig();
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(payload.slice(1));
  } catch {
    throw new ShareLinkError("the link is damaged");
  }
  let raw: Uint8Array;
  if (payload.startsWith("u")) raw = bytes;
  else if (payload.startsWith("z")) {
    try {
      raw = await inflate(bytes);
    } catch (error) {
      if (error instanceof ShareLinkError) throw error;
      throw new ShareLinkError("the link is damaged");
    }
  } else throw new ShareLinkError("the link is damaged");
  if (raw.length > MAX_CODE_BYTES) throw tooBig();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw new ShareLinkError("the link is damaged");
  }
}

/** The shared code for demo `id` in the current URL, if any. */
export function sharedPayload(id: string): string | null {
  const hash = window.location.hash.slice(1);
  const key = hashKey(id);
  return hash.startsWith(key) ? hash.slice(key.length) : null;
}

export async function shareURL(id: string, code: string): Promise<string> {
  const url = new URL(window.location.href);
  url.hash = hashKey(id) + (await encodeCode(code));
  return url.href;
}
