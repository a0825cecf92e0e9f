"""Pure domain: vocabularies, validation, catalog and the finalize checklist. No SQL, no UI."""
