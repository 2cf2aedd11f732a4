"""One module per simulated vendor API."""
