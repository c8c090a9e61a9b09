"""The web checker: `symbackprop serve` pages, JSON API, worker pool and class records."""
