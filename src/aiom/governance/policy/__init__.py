"""The policy: its schema, versions and activation, limits on reading YAML, simulation."""
