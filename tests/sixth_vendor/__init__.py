"""A vendor that exists only in the tests, added the way the README says a vendor is added."""
