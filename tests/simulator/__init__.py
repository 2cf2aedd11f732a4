"""Tests of the vendor API simulator."""
