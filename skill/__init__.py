"""Stretch Coach: a hands-free, voice-guided coach for lower-back and hip stretching."""
