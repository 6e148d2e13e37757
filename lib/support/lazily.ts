// An object whose properties are built at first read and then kept: per-function composition
// without a list per function, since a function builds exactly what its code touches.

/** `factories[name]()` runs at the first read of `name`; later reads get the same value. */
export function lazily<T extends object>(factories: { [K in keyof T]: () => T[K] }): T {
  const target = {} as T;
  for (const name of Object.keys(factories) as (keyof T)[]) {
    Object.defineProperty(target, name, {
      enumerable: true,
      configurable: true,
      get() {
        const value = factories[name]();
        Object.defineProperty(target, name, { value, enumerable: true, writable: false, configurable: false });
        return value;
      },
    });
  }
  return target;
}
