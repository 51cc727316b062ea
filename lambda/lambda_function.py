"""AWS Lambda entry point: the skill, configured from the environment on its first request."""

from skill.alexa.app import lambda_handler

__all__ = ["lambda_handler"]
