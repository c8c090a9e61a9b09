"""Numbers from the derivation: the batched engine, quantity values, training and independent references."""
