CREATE TABLE sample.a (id text PRIMARY KEY);
