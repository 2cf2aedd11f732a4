"""Tests of the Bright Pattern vendor."""
