"""The Textual app. Talks to services only; never imports the database layer."""
