import { type CsvTable, toCsv } from './csv';

/** Saves a blob as a file named `name`, from the browser, with no server involved. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves a CSV table as `<name>.csv`. */
export function downloadCsv(table: CsvTable): void {
  downloadBlob(`${table.name}.csv`, new Blob([toCsv(table)], { type: 'text/csv;charset=utf-8' }));
}

/** Saves bytes (a ZIP, a PDF) as a file. */
export function downloadBytes(name: string, bytes: Uint8Array, type: string): void {
  downloadBlob(name, new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
}
