"""Content packs: pydantic models, a located-error YAML loader, seeded variants."""
