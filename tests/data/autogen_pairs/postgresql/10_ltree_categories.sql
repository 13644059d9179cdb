-- kinds: extension table
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE TABLE categories (
    id serial PRIMARY KEY,
    path ltree NOT NULL
);
CREATE INDEX categories_path ON categories USING gist (path);
