-- Document frequency of every indexed token, so a long question keeps its informative terms and
-- drops the ones that match most of the code (slow to rank and nearly meaningless).
CREATE VIRTUAL TABLE code_fts_vocab USING fts5vocab ('code_fts', 'row');
