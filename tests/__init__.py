"""Tests of the Contact Center integration, its client library and its simulator."""
