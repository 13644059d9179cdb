-- kinds: schema table
CREATE SCHEMA audit;
CREATE TABLE audit.events (
    id bigserial PRIMARY KEY,
    member_id bigint REFERENCES members(id) ON DELETE SET NULL,
    action text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
