-- kinds: view instead_of
DROP VIEW note_counts;
DROP VIEW named_accounts;
