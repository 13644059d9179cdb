package migrations
// a Go migration: listed, not imported
