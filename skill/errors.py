"""The project's exceptions: one base class, so every adapter can catch ours and only ours."""


class StretchCoachError(Exception):
    """Base class for every error the coach raises on purpose."""


class ContentError(StretchCoachError):
    """The catalogue in content/ is wrong; the message names the file, entry and field."""

    def __init__(self, file: str, problem: str, entry: str | None = None, field: str | None = None):
        self.file = file
        self.entry = entry
        self.field = field
        self.problem = problem
        where = [file]
        if entry:
            where.append(entry)
        if field:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {problem}")
