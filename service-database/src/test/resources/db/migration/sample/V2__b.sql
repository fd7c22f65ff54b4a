ALTER TABLE sample.a ADD COLUMN b text;
