"""Authentication: API keys (created once, stored hashed, checked in constant time) and their scopes."""
