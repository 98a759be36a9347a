-- Web news shown beside an advisor answer (title, url, source, published, snippet), kept
-- apart from its citations: news is never evidence for a verdict, a date or an amount.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS news jsonb NOT NULL DEFAULT '[]';
