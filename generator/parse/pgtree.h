/* pgtree.h: a PostgreSQL statement's parse tree (libpg_query's protobuf,
 * unpacked), for the build-time rules and the linter. Only files that read
 * the tree include this; without libpg_query it declares nothing. */
#ifndef MIGC_PGTREE_H
#define MIGC_PGTREE_H

#ifdef MIGC_GENERATOR_WITH_PG_QUERY
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

/* The tree of one split statement (its own text), or NULL when the parser
 * rejects it (only in a '-- migc:parse none' revision does a statement
 * that does not parse get this far). Free with pg_tree_free. */
PgQuery__ParseResult *pg_tree_parse(const char *sql);
void pg_tree_free(PgQuery__ParseResult *tree);
/* The one statement of a tree, or NULL. */
const PgQuery__Node *pg_tree_statement(const PgQuery__ParseResult *tree);
#endif

#endif /* MIGC_PGTREE_H */
