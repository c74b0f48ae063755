/** A nullable column as an optional field: SQLite's NULL becomes `undefined` in our types. */
export const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
