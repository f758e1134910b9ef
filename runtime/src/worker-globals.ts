// Demo code reaches the worker's globals through `js`: it may replace
// `fetch`, `crypto.subtle.encrypt` or anything else the next demo relies on.
// The properties of a few objects are recorded once and put back after each run.

type Descriptors = Map<PropertyKey, PropertyDescriptor>;

function describe(target: object): Descriptors {
  const found: Descriptors = new Map();
  for (const key of Reflect.ownKeys(target)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
    if (descriptor) found.set(key, descriptor);
  }
  return found;
}

function same(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return a.value === b.value && a.get === b.get && a.set === b.set;
}

export interface GlobalsSnapshot {
  /** Put the recorded properties back; returns the names that could not be. */
  restore(): string[];
}

export function snapshotGlobals(targets: object[]): GlobalsSnapshot {
  const kept = targets.map((target) => ({ target, descriptors: describe(target) }));
  return {
    restore() {
      const stuck: string[] = [];
      for (const { target, descriptors } of kept) {
        for (const key of Reflect.ownKeys(target)) {
          if (!descriptors.has(key) && !Reflect.deleteProperty(target, key)) stuck.push(String(key));
        }
        for (const [key, descriptor] of descriptors) {
          const now = Reflect.getOwnPropertyDescriptor(target, key);
          if (now && same(now, descriptor)) continue;
          if (!Reflect.defineProperty(target, key, descriptor)) stuck.push(String(key));
        }
      }
      return stuck;
    },
  };
}
