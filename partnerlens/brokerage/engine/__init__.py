"""The brokerage matching engine: pure functions, no Django."""
