/* The import's floor for the benchmark: what an import wrote, written again with nothing more
 * than it needs (tests/bench/floor.c). */
#ifndef XINFANG_BENCH_FLOOR_H
#define XINFANG_BENCH_FLOOR_H

#include <sqlite3.h>

struct xf_floor;

/* Reads the rows an import wrote into the store at imported, and the file it read. */
struct xf_floor *floor_load(const char *imported, const char *csv_path);
/* Writes them into a fresh initialised store (its rows, snapshots, chain, index, counts) in
 * one transaction, reading the file first as the import does. */
void floor_write(struct xf_floor *f, sqlite3 *db);
void floor_free(struct xf_floor *f);

#endif
