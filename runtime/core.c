/* placeholder: being written */
typedef int migc_placeholder_core;
