"""The public catalogue of published curricula."""
