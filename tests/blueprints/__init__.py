"""Tests of the blueprints in blueprints/automation/contact_center/."""
