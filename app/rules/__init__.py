"""Pure calculations and checks, with no Flask or database import."""
