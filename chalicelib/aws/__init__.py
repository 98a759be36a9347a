"""AWS-backed adapters: one module per service, each wrapping a client it is given."""
