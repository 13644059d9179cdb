/* pgtree.h: a PostgreSQL statement's parse tree (libpg_query's protobuf,
 * unpacked), for the build-time rules and the linter. Only files that read
 * the tree include this; without libpg_query it declares nothing. */
#ifndef MIGC_PGTREE_H
#define MIGC_PGTREE_H

#ifdef MIGC_GENERATOR_WITH_PG_QUERY
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include "gen.h"

/* A split statement's parse tree: the one pg_split kept, else its text
 * parsed now into *owned (free it with pg_tree_free). NULL when the parser
 * rejects it, as it may in a '-- migc:parse none' revision. */
const PgQuery__Node *pg_statement_tree(const struct statement *s,
				       PgQuery__ParseResult **owned);
void pg_tree_free(PgQuery__ParseResult *tree);
#endif

#endif /* MIGC_PGTREE_H */
