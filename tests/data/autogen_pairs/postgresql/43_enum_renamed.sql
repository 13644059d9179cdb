-- kinds: enum rename
ALTER TYPE member_role RENAME TO member_kind;
