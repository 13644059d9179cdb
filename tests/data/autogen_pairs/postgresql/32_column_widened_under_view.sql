-- kinds: column_type view
DROP VIEW topic_names;
ALTER TABLE topics ALTER COLUMN name TYPE varchar(120);
CREATE VIEW topic_names AS SELECT id, name FROM topics;
