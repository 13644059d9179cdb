-- kinds: column view
ALTER TABLE topics ADD COLUMN name varchar(40);
CREATE VIEW topic_names AS SELECT id, name FROM topics;
