-- kinds: exclusion extension table
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE room_bookings (
    id serial PRIMARY KEY,
    room integer NOT NULL,
    during tstzrange NOT NULL,
    EXCLUDE USING gist (room WITH =, during WITH &&)
);
