"""Integration tests with a CoBrowser.net account: the simulator's."""
