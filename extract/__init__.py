"""Text to events: read documents, find actors, actions, times and places, emit `Event` records."""
