// Share links: `#demo-<id>=<payload>`, where the payload is base64url of the
// raw-deflated UTF-8 code ("z" prefix) or, where CompressionStream is
// missing, of the plain UTF-8 code ("u" prefix).

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

export async function encodeCode(code: string): Promise<string> {
  const utf8 = new TextEncoder().encode(code);
  if (typeof CompressionStream === "undefined") return `u${toBase64url(utf8)}`;
  return `z${toBase64url(await pipe(utf8, new CompressionStream("deflate-raw")))}`;
}

export async function decodeCode(payload: string): Promise<string> {
  const bytes = fromBase64url(payload.slice(1));
  if (payload.startsWith("u")) return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  if (payload.startsWith("z")) {
    const raw = await pipe(bytes, new DecompressionStream("deflate-raw"));
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  }
  throw new Error("unknown share-link format");
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
