// The slice of Pyodide's API the worker uses. Declared here rather than taken
// from the npm package's .d.ts, which needs Node's type definitions.

export interface PyodideWriter {
  write(buffer: Uint8Array): number;
  isatty?: boolean;
}

export interface PyodideAPI {
  version: string;
  runPython(code: string): unknown;
  runPythonAsync(code: string, options?: { filename?: string }): Promise<unknown>;
  setStdout(options: PyodideWriter): void;
  setStderr(options: PyodideWriter): void;
  setInterruptBuffer(buffer: Uint8Array): void;
  unpackArchive(buffer: Uint8Array, format: string, options?: { extractDir?: string }): void;
  globals: { set(name: string, value: unknown): void };
  FS: {
    writeFile(path: string, data: Uint8Array): void;
    unlink(path: string): void;
    analyzePath(path: string): { exists: boolean };
  };
}

export interface PyodideModule {
  loadPyodide(options: {
    indexURL: string;
    stdout?: (text: string) => void;
    stderr?: (text: string) => void;
    packages?: string[];
  }): Promise<PyodideAPI>;
}
