"""One module per kind of rule file: the checks across files for that kind (see macros.rules.checker)."""
