// The site's service worker, served from the site root as coi-sw.js (its URL
// is its identity, so the name is not hashed). Two jobs:
//
// 1. Cross-origin isolation on a host that sets no headers (GitHub Pages):
//    every same-origin GET response gets Cross-Origin-Opener-Policy:
//    same-origin and Cross-Origin-Embedder-Policy: require-corp, so the page
//    can share a SharedArrayBuffer with the Python worker and Stop can
//    interrupt Python instead of killing it. require-corp rather than
//    credentialless: WebKit has no credentialless, and everything the site
//    loads is same-origin, which require-corp allows without CORP headers.
// 2. Files whose URL names their version or content hash (Pyodide, Mermaid,
//    the demo wheels, the runtime's hashed bundles) are served cache-first,
//    so a second visit or a flaky connection downloads none of them again.
//    Everything else, pages first of all, goes to the network as before.
//
// Non-GET and cross-origin requests are not touched: the browser handles
// them as if there were no service worker.

interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}

interface ServiceWorkerScopeLike {
  readonly location: Location;
  readonly registration: { readonly scope: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: "install" | "activate", listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: "fetch", listener: (event: FetchEventLike) => void): void;
}

const sw = self as unknown as ServiceWorkerScopeLike;

/** One cache; the suffix changes only if the stored format ever does. */
const CACHE = "livedemo-versioned-v1";

const ISOLATION: ReadonlyArray<readonly [string, string]> = [
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Cross-Origin-Embedder-Policy", "require-corp"],
];

// Paths below the scope whose bytes never change. `family` is what stays the
// same from one version to the next and `version` what changes, so storing a
// new version drops the old one: a new Pyodide never sits beside the old one.
const VERSIONED: ReadonlyArray<RegExp> = [
  // assets/vendor/pyodide/314.0.7/pyodide.asm.wasm (hooks/sitekit/vendor.py)
  /^(?<family>assets\/vendor\/[^/]+\/)(?<version>\d[^/]*)\/[^/]+$/,
  // assets/demos/wheels/<sha256[:12]>/<dist>-<version>-....whl (hooks/demos.py)
  /^assets\/demos\/wheels\/(?<version>[0-9a-f]{12})\/(?<family>[^/-]+)-[^/]+\.whl$/,
  // assets/demos/<entry>-<esbuild hash>.js|css (runtime/build.mjs)
  /^assets\/demos\/(?<family>[a-z][a-z-]*)-(?<version>[A-Z0-9]{8})\.(?<ext>js|css)$/,
];

interface Versioned {
  family: string;
  version: string;
}

function versioned(url: URL): Versioned | null {
  const scope = new URL(sw.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname) || url.search !== "") return null;
  const path = url.pathname.slice(scope.pathname.length);
  for (const [index, pattern] of VERSIONED.entries()) {
    const groups = pattern.exec(path)?.groups;
    if (!groups) continue;
    // esbuild calls every shared chunk "chunk": each is a family of its own.
    const family = groups["family"] === "chunk" ? path : `${groups["family"]}.${groups["ext"] ?? ""}`;
    return { family: `${index}:${family}`, version: groups["version"] ?? "" };
  }
  return null;
}

sw.addEventListener("install", (event) => {
  // No precaching: the new worker takes over at once, so a first visit
  // becomes isolated after one reload.
  event.waitUntil(sw.skipWaiting());
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(Promise.all([sw.clients.claim(), dropOldCaches()]));
});

/** Caches of an older format of this worker (another suffix) are dropped. */
async function dropOldCaches(): Promise<void> {
  try {
    for (const name of await caches.keys()) {
      if (name.startsWith("livedemo-versioned-") && name !== CACHE) await caches.delete(name);
    }
  } catch {
    // storage disabled: nothing stored either
  }
}

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  // Chromium may ask for a cross-origin-mode "only-if-cached" request (its
  // devtools do); fetch() refuses those, so let the browser answer.
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  event.respondWith(respond(event, request, url));
});

async function respond(event: FetchEventLike, request: Request, url: URL): Promise<Response> {
  const version = request.headers.has("range") ? null : versioned(url);
  const cache = version ? await openCache() : null;
  if (cache) {
    const hit = await cache.match(request).catch(() => undefined);
    if (hit) return hit;
  }
  const response = isolated(await fetch(request));
  if (cache && version && response.status === 200 && response.type !== "opaque") {
    event.waitUntil(store(cache, request, response.clone(), version));
  }
  return response;
}

/** The response with the isolation headers; as it is where it cannot be rebuilt. */
function isolated(response: Response): Response {
  // Opaque and opaque-redirect responses (a navigation's redirect: the
  // browser follows it and the next request comes here again) have no
  // readable headers. A followed redirect would lose its final URL, which
  // module scripts resolve their imports against; same-origin subresources
  // need no COEP of their own, so it is passed on as it is.
  if (response.status === 0 || response.type === "opaqueredirect" || response.redirected) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of ISOLATION) headers.set(name, value);
  return new Response(NULL_BODY.has(response.status) ? null : response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

async function openCache(): Promise<Cache | null> {
  try {
    return await caches.open(CACHE);
  } catch {
    return null; // storage disabled or over quota: the network alone
  }
}

async function store(cache: Cache, request: Request, response: Response, stored: Versioned): Promise<void> {
  try {
    await cache.put(request, response);
    for (const key of await cache.keys()) {
      const other = versioned(new URL(key.url));
      if (other && other.family === stored.family && other.version !== stored.version) await cache.delete(key);
    }
  } catch {
    // A failed put only costs a download next time.
  }
}
