-- kinds: index function
CREATE UNIQUE INDEX posts_slug ON posts (slugify(title));
