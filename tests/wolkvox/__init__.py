"""Tests of the wolkvox vendor through Home Assistant and the simulator."""
