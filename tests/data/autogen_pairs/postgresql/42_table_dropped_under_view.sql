-- kinds: table view
DROP VIEW topic_names;
DROP TABLE topics;
