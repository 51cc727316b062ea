"""Render script blocks as speech: SSML for a voice assistant, text and pauses for local TTS."""
