"""The venue: where phones reach the ballot service (addresses, port)."""
