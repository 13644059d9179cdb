-- kinds: matview index
CREATE MATERIALIZED VIEW member_stats AS
    SELECT m.id, m.email, count(p.id) AS posts
    FROM members m LEFT JOIN posts p ON p.member_id = m.id
    GROUP BY m.id;
CREATE UNIQUE INDEX member_stats_id ON member_stats (id);
