// Edits kept in localStorage, keyed by the demo id (a hash of the original
// code): when the page's code changes, the id changes and old edits are
// simply never found.

const PREFIX = "livedemo:edits:";

export function loadEdits(id: string): string | null {
  try {
    return window.localStorage.getItem(PREFIX + id);
  } catch {
    return null; // storage disabled (privacy mode): no persistence, no error
  }
}

export function saveEdits(id: string, code: string, original: string): void {
  try {
    if (code === original) window.localStorage.removeItem(PREFIX + id);
    else window.localStorage.setItem(PREFIX + id, code);
  } catch {
    // quota or privacy mode: edits still live in the editor
  }
}

export function clearEdits(id: string): void {
  try {
    window.localStorage.removeItem(PREFIX + id);
  } catch {
    // nothing stored, nothing to clear
  }
}
