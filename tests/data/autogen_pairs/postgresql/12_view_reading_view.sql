-- kinds: view view_on_view
CREATE VIEW published_posts AS SELECT id, member_id, title FROM posts WHERE status = 'published';
CREATE VIEW published_counts AS SELECT member_id, count(*) AS posts FROM published_posts GROUP BY member_id;
