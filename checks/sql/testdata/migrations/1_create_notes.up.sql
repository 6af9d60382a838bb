CREATE TABLE notes (name text PRIMARY KEY);
