-- kinds: view view_on_view
CREATE OR REPLACE VIEW published_posts AS SELECT id, member_id, title, updated_at FROM posts WHERE status = 'published';
