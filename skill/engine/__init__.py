"""The routine engine: compile a routine into a timed script and track where a person is."""
