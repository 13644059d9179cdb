-- kinds: partition table
CREATE TABLE page_views (
    post_id integer NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    viewed_at timestamptz NOT NULL
) PARTITION BY RANGE (viewed_at);
CREATE TABLE page_views_2026 PARTITION OF page_views FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE page_views_2027 PARTITION OF page_views FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE INDEX page_views_post ON page_views (post_id);
