"""Pages of network entry: the unit's instrument list and editor, and the operator's review."""
