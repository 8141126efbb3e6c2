export declare const BENCH_HEADER: string[];
export declare const BENCH_SQL_TYPES: string[];
export declare function generateCsv(path: string, rows: number, options?: { seed?: number; noteWords?: number }): Promise<void>;
