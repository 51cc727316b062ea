"""Tests for Stretch Coach."""
