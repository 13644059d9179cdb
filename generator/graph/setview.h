/* setview.h: a loaded graph as a migc_set for runtime/cli/format.c. */
#ifndef MIGC_SETVIEW_H
#define MIGC_SETVIEW_H

#include "gen.h"
#include "migc.h"

/* Borrows strings from `g`, which must outlive the view. */
void setview_build(migc_set *out, const struct graph *g);
void setview_free(migc_set *set);

#endif /* MIGC_SETVIEW_H */
