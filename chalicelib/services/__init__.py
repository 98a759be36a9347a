"""Services: FinQ's use cases, composed from repositories and adapters given to them."""
