-- An upload keeps the rows it read (one JSON array per line: row number, then cells), not the original file:
-- the import then runs without decoding and parsing the spreadsheet a second time. NULL: the original file (an
-- upload from before), read as file_format says.
ALTER TABLE imports ADD COLUMN data_format text CHECK (data_format IN ('rows'));
