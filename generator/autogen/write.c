/* write.c: what both dialects' change SQL shares: blank lines between
 * operations, the "-- migc data loss:" and "-- migc note:" comments (one
 * wording for both), and tables ordered by their foreign keys. */
#include "dialect.h"

#include <stdlib.h>
#include <string.h>

void sql_gap(struct buffer *out)
{
	if (out->length > 0 &&
	    !(out->length >= 2 && out->data[out->length - 1] == '\n' &&
	      out->data[out->length - 2] == '\n'))
		buffer_puts(out, "\n");
}

char *sql_finish(struct buffer *out)
{
	buffer_puts(out, "");
	while (out->length >= 2 && out->data[out->length - 1] == '\n' &&
	       out->data[out->length - 2] == '\n')
		out->data[--out->length] = '\0';
	if (out->length == 1 && out->data[0] == '\n')
		out->data[--out->length] = '\0';
	return out->data;
}

int autogen_outside_transaction(const char *script)
{
	return strncmp(script, AUTOGEN_NO_TRANSACTION,
		       sizeof AUTOGEN_NO_TRANSACTION - 1) == 0;
}

void note_cannot(struct buffer *out, const char *reason)
{
	buffer_printf(out, "-- migc cannot: %s\n", reason);
}

int sql_looks_renamed(size_t common, size_t count_a, size_t count_b)
{
	size_t smaller = count_a < count_b ? count_a : count_b;
	return common > 0 && 2 * common >= smaller;
}

void note_table_rename(struct buffer *out, const char *old_name,
		       const char *new_name, const char *old_quoted,
		       const char *new_quoted)
{
	buffer_printf(out,
		      "-- migc note: if this is a rename of %s to %s, replace "
		      "the drop and add with ALTER TABLE %s RENAME TO %s; no "
		      "tool can tell a rename from a drop plus an add\n",
		      old_name, new_name, old_quoted, new_quoted);
}

void note_column_renames(struct buffer *out, const struct column_changes *c)
{
	if (!c->dropped || !c->added)
		return;
	if (c->dropped == 1 && c->added == 1)
		buffer_printf(out,
			      "-- migc note: if this is a rename of %s.%s to "
			      "%s, replace the drop and add with ALTER TABLE "
			      "%s RENAME COLUMN %s TO %s; no tool can tell a "
			      "rename from a drop plus an add\n",
			      c->table, c->one_dropped, c->one_added,
			      c->table_quoted, c->dropped_quoted,
			      c->added_quoted);
	else
		buffer_printf(out,
			      "-- migc note: if columns of %s were renamed, "
			      "replace the drop and add with ALTER TABLE %s "
			      "RENAME COLUMN old TO new; no tool can tell a "
			      "rename from a drop plus an add\n",
			      c->table, c->table_quoted);
}

void note_dropped_table(struct buffer *out, const char *table)
{
	buffer_printf(out,
		      "-- migc data loss: drops table %s and every row in "
		      "it\n",
		      table);
}

void note_dropped_column(struct buffer *out, const char *table,
			 const char *column)
{
	buffer_printf(out,
		      "-- migc data loss: drops column %s.%s and its values\n",
		      table, column);
}

void note_type_change(struct buffer *out, const char *table, const char *column,
		      const char *from, const char *to)
{
	buffer_printf(out,
		      "-- migc data loss: column %s.%s changes type from '%s' "
		      "to '%s'; values may be converted or cut\n",
		      table, column, from, to);
}

/* The NOT NULL notes start so, and name the column up to NOT_NULL_END:
 * sql_not_null_notes finds them again. */
static const char not_null_note[] = "-- migc note: ";
static const char not_null_end[] = " without a default: ";

void note_becomes_not_null(struct buffer *out, const char *table,
			   const char *column, const char *what_fails)
{
	buffer_printf(out,
		      "%scolumn %s.%s becomes NOT NULL%srows holding NULL "
		      "there make %s fail; fill them first\n",
		      not_null_note, table, column, not_null_end, what_fails);
}

void note_added_not_null(struct buffer *out, const char *table,
			 const char *column, const char *what_fails)
{
	buffer_printf(out,
		      "%snew column %s.%s is NOT NULL%son a table with rows %s "
		      "fails; give it a DEFAULT, or write the values the rows "
		      "need\n",
		      not_null_note, table, column, not_null_end, what_fails);
}

void sql_not_null_notes(const char *script, struct buffer *out)
{
	const size_t prefix = sizeof not_null_note - 1;
	const char *line = script;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		const char *stop = strstr(line, not_null_end);
		size_t n = end ? (size_t)(end - line) : strlen(line);
		if (strncmp(line, not_null_note, prefix) == 0 && stop &&
		    (size_t)(stop - line) < n) {
			const char *what = line + prefix;
			buffer_printf(out, "%s%.*s", out->length ? "; " : "",
				      (int)(stop - what), what);
		}
		line = end ? end + 1 : NULL;
	}
}

void order_by_dependency(size_t *set, size_t count,
			 int (*waits)(const void *context, size_t a, size_t b),
			 const void *context)
{
	size_t placed = 0;
	while (placed < count) {
		size_t i, j, pick = placed, chosen;
		for (i = placed; i < count; i++) {
			int waiting = 0;
			for (j = placed; j < count && !waiting; j++)
				if (j != i && waits(context, set[i], set[j]))
					waiting = 1;
			if (!waiting) {
				pick = i;
				break;
			}
		}
		chosen = set[pick];
		memmove(set + placed + 1, set + placed,
			(pick - placed) * sizeof *set);
		set[placed++] = chosen;
	}
}
