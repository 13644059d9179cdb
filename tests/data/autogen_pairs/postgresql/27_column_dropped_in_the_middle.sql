-- kinds: column column_order
ALTER TABLE post_labels DROP COLUMN colour;
