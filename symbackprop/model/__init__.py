"""The network model: the spec, its symbols, the function table, quantity names and the derivation."""
