-- kinds: matview index
DROP MATERIALIZED VIEW member_stats;
CREATE MATERIALIZED VIEW member_stats AS
    SELECT m.id, m.email, count(p.id) AS posts, max(p.updated_at) AS last_post
    FROM members m LEFT JOIN posts p ON p.member_id = m.id
    GROUP BY m.id;
CREATE UNIQUE INDEX member_stats_id ON member_stats (id);
CREATE INDEX member_stats_last_post ON member_stats (last_post);
