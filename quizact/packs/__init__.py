"""Content packs: records validated by pydantic, a located-error YAML loader, seeded variants."""
