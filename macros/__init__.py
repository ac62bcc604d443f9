"""Build-time code: load and validate rules/, generate pages, provide page macros, export calculator data."""
