"""Randomized exams: configuration, variant draws, content, manifest, Moodle XML and the stress test."""
