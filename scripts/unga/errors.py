"""Errors that are the user's to fix: printed as one sentence, never as a traceback."""


class UserError(Exception):
    """A problem with the input or the environment that the user can act on."""
