-- kinds: sequence table
ALTER TABLE categories RENAME TO topics;
