-- kinds: grant
GRANT SELECT ON posts, published_posts TO PUBLIC;
