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

// The reader's own edits, kept aside when a share link brings other code.
const STASH = "livedemo:stash:";

export function loadStash(id: string): string | null {
  try {
    return window.localStorage.getItem(STASH + id);
  } catch {
    return null;
  }
}

export function saveStash(id: string, code: string): void {
  try {
    window.localStorage.setItem(STASH + id, code);
  } catch {
    // quota or privacy mode: the offer to go back is then not made
  }
}
