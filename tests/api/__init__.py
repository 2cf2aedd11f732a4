"""Tests of the Home-Assistant-free client library (custom_components/contact_center/api)."""
