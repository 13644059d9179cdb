/* compare.c: what both dialects' catalogs use to name things and their
 * differences: string lists, look-ups by name, and the
 * comparison that counts differences and words each as one line. */
#include "dialect.h"

#include <stdlib.h>
#include <string.h>

void *grow_items(void *items, size_t count, size_t size)
{
	void *out = realloc(items, (count + 1) * size);
	if (!out)
		abort();
	memset((char *)out + count * size, 0, size);
	return out;
}

static void *member_at(void *holder, size_t offset)
{
	void *pointer;
	memcpy(&pointer, (char *)holder + offset, sizeof pointer);
	return pointer;
}

static void free_item(char *item, const struct item_layout *l)
{
	size_t j;
	for (j = 0; j < l->string_count; j++)
		free(member_at(item, l->strings[j]));
	for (j = 0; j < l->list_count; j++)
		string_list_free((struct string_list *)(item + l->lists[j]));
	free_arrays(item, l->arrays, l->array_count);
}

void free_arrays(void *holder, const struct item_array *arrays, size_t count)
{
	size_t i, j, items_count;
	for (i = 0; i < count; i++) {
		const struct item_array *a = &arrays[i];
		char *items = member_at(holder, a->items_offset);
		memcpy(&items_count, (char *)holder + a->count_offset,
		       sizeof items_count);
		for (j = 0; j < items_count; j++)
			free_item(items + j * a->layout->size, a->layout);
		free(items);
	}
}

const void *named_item(const void *items, size_t count, size_t size,
		       size_t name_offset, const char *name,
		       int (*same)(const char *, const char *))
{
	const char *item = items;
	size_t i;
	for (i = 0; i < count; i++, item += size) {
		const char *its_name;
		memcpy(&its_name, item + name_offset, sizeof its_name);
		if (same(its_name, name) == 0)
			return item;
	}
	return NULL;
}

void differ(struct comparison *c, const char *format, ...)
{
	va_list args;
	struct buffer line = {0};
	c->count++;
	if (!c->out)
		return;
	va_start(args, format);
	buffer_vprintf(&line, format, args);
	va_end(args);
	string_list_add(c->out, line.data);
}

void compare_column_basics(struct comparison *c, const char *table,
			   const char *column, int not_null_a, int not_null_b,
			   const char *default_a, const char *default_b)
{
	if (not_null_a != not_null_b)
		differ(c, "table %s: column %s: %s in %s, %s in %s", table,
		       column, not_null_a ? "NOT NULL" : "nullable", c->a,
		       not_null_b ? "NOT NULL" : "nullable", c->b);
	if (!same_text(default_a, default_b))
		differ(c, "table %s: column %s: default is %s in %s, %s in %s",
		       table, column, or_none(default_a), c->a,
		       or_none(default_b), c->b);
}

const char *or_none(const char *text)
{
	return text ? text : "none";
}

int same_text(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The items of list `l` in one catalog, and their count. */
static const char *list_items(const struct catalog_list *l, const void *catalog,
			      size_t *count)
{
	const char *items;
	memcpy(&items, (const char *)catalog + l->array.items_offset,
	       sizeof items);
	memcpy(count, (const char *)catalog + l->array.count_offset,
	       sizeof *count);
	return items;
}

void catalog_free(const struct catalog_shape *shape, void *catalog)
{
	size_t i;
	for (i = 0; i < shape->count; i++)
		free_arrays(catalog, &shape->lists[i].array, 1);
	memset(catalog, 0, shape->size);
}

void catalog_release(const struct catalog_shape *shape, void *catalog)
{
	if (!catalog)
		return;
	catalog_free(shape, catalog);
	free(catalog);
}

static const void *list_named(const struct catalog_list *l, const char *items,
			      size_t count, const char *name)
{
	return named_item(items, count, l->array.layout->size, l->name_offset,
			  name, l->same);
}

static void only_in(struct comparison *c, const char *kind, const char *owner,
		    const char *name, const char *label)
{
	if (owner)
		differ(c, "table %s: %s %s only in %s", owner, kind, name,
		       label);
	else
		differ(c, "%s %s: only in %s", kind, name, label);
}

/* `owner` NULL: a catalog's list, "<kind> <name>: only in <label>";
 * else the members of two namesakes (a table's columns), "table <owner>:
 * <kind> <name> only in <label>", and `pair` gets the owner's name. */
static void compare_list(struct comparison *c, const struct catalog_list *l,
			 const char *owner, const void *catalog_a,
			 const void *catalog_b)
{
	size_t a_count, b_count, i;
	const char *a = list_items(l, catalog_a, &a_count);
	const char *b = list_items(l, catalog_b, &b_count);
	const char *x;
	for (i = 0, x = a; i < a_count; i++, x += l->array.layout->size) {
		const char *name;
		const void *other;
		memcpy(&name, x + l->name_offset, sizeof name);
		other = list_named(l, b, b_count, name);
		if (other)
			l->pair(c, owner ? owner : l->kind, x, other);
		else
			only_in(c, l->kind, owner, name, c->a);
	}
	for (i = 0, x = b; i < b_count; i++, x += l->array.layout->size) {
		const char *name;
		memcpy(&name, x + l->name_offset, sizeof name);
		if (!list_named(l, a, a_count, name))
			only_in(c, l->kind, owner, name, c->b);
	}
}

void compare_members(struct comparison *c, const struct catalog_list *members,
		     const char *table, const void *table_a,
		     const void *table_b)
{
	compare_list(c, members, table, table_a, table_b);
}

size_t catalog_compare(const struct catalog_shape *shape, const void *a,
		       const void *b, const char *label_a, const char *label_b,
		       struct string_list *out)
{
	struct comparison c;
	size_t i;
	c.a = label_a;
	c.b = label_b;
	c.out = out;
	c.count = 0;
	for (i = 0; i < shape->count; i++)
		compare_list(&c, &shape->lists[i], NULL, a, b);
	return c.count;
}
