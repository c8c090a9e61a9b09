"""The user's files: reading them safely and writing outputs atomically."""
