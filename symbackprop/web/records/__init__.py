"""Class records: every checked entry stored in SQLite or PostgreSQL, and what the dashboard reads from them."""
