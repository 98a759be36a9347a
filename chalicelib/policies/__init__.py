"""Youth policies: reading Ontong Youth records and normalizing them for storage and search."""
